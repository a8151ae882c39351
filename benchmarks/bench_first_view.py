"""First view: from starting `stuurhut serve` to the overview's KPI tiles in headless Chromium, against a one-line app.

The reference is `streamlit run` of `st.write("hallo")` with the same server settings, timed the same way in
the same run: process start -> server answers -> page opened -> its content visible. The browser is started
before either clock runs. Median of 5 each, alternating.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import OUT, PY, ROOT, STUURHUT, Figure, Section, median, print_section  # noqa: E402

PORT = int(os.environ.get("STUURHUT_BENCH_PORT", "8608"))  # when taken, the next free one of PORT+10, +20, ...
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
TARGET_RATIO = 2.5
KPI = '[data-testid="stMetric"]'
TIMEOUT_S = 180


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def free_port(start: int = PORT) -> int:
    for port in range(start, start + 200, 10):
        if _port_free(port):
            return port
    raise RuntimeError(f"geen vrije poort vanaf {start}")


def wait_free(port: int, timeout: float = 30) -> None:
    end = time.monotonic() + timeout
    while not _port_free(port):
        if time.monotonic() > end:
            raise RuntimeError(f"poort {port} is bezet")
        time.sleep(0.1)


def wait_healthy(port: int, proc: subprocess.Popen, timeout: float = TIMEOUT_S) -> None:
    end = time.monotonic() + timeout
    url = f"http://127.0.0.1:{port}/_stcore/health"
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"server stopte met code {proc.returncode}")
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(url, timeout=1) as r:  # noqa: S310 - localhost
                if r.status == 200:
                    return
        time.sleep(0.05)
    raise RuntimeError("server antwoordde niet")


class Server:
    """A Streamlit server process in its own process group (stopped with the group, never by name)."""

    def __init__(self, cmd: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT):
        self.cmd, self.env, self.cwd = cmd, {**os.environ, **(env or {})}, cwd
        self.proc: subprocess.Popen | None = None

    def start(self) -> subprocess.Popen:
        self.proc = subprocess.Popen(self.cmd, env=self.env, cwd=self.cwd, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        return self.proc

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def stuurhut_server(db: Path, port: int = PORT) -> Server:
    return Server([STUURHUT, "serve", "--port", str(port), "--db", str(db)],
                  env={"STUURHUT_ACCOUNTS": str(OUT / "geen-accounts.json")})


def hello_app(directory: Path) -> Path:
    """The one-line reference app, with the repository's server settings (headless, no file watcher)."""
    (directory / ".streamlit").mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / ".streamlit" / "config.toml", directory / ".streamlit" / "config.toml")
    app = directory / "hallo.py"
    app.write_text('import streamlit as st\n\nst.write("hallo")\n', encoding="utf-8")
    return app


def hello_server(directory: Path, port: int = PORT) -> Server:
    return Server([PY, "-m", "streamlit", "run", str(hello_app(directory)), "--server.port", str(port)], cwd=directory)


def browser():
    """(playwright, browser): headless Chromium with the flags of the shared browse tool."""
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    return pw, pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def time_first_view(b, server: Server, url: str, selector: str, port: int = PORT) -> float:
    """Seconds from starting the server process to `selector` visible in a fresh page."""
    wait_free(port)
    page = b.new_page(viewport={"width": 1440, "height": 1000})
    try:
        t0 = time.perf_counter()
        proc = server.start()
        wait_healthy(port, proc)
        page.goto(url)
        page.wait_for_selector(selector, state="visible", timeout=TIMEOUT_S * 1000)
        return time.perf_counter() - t0
    finally:
        page.close()
        server.stop()


def measure(db: Path, repeat: int = 3, port: int | None = None) -> tuple[list[float], list[float]]:
    port = port or free_port()
    pw, b = browser()
    try:
        ours, ref = [], []
        with tempfile.TemporaryDirectory() as tmp:
            for _ in range(repeat):
                ref.append(time_first_view(b, hello_server(Path(tmp), port), f"http://127.0.0.1:{port}/",
                                           'div[data-testid="stMarkdownContainer"] >> text=hallo', port))
                ours.append(time_first_view(b, stuurhut_server(db, port), f"http://127.0.0.1:{port}/", KPI, port))
        return ours, ref
    finally:
        b.close()
        pw.stop()


def run(db: Path, small: bool = False, repeat: int = 5) -> Section:  # 3 starts each swung the ratio by 0.3
    ours, ref = measure(db, repeat=1 if small else repeat)
    o, r = median(ours), median(ref)
    ratio = o / r
    sec = Section("Eerste beeld (`stuurhut serve` tot KPI-tegels in headless Chromium)")
    sec.figures.append(Figure("overzicht / eenregelige Streamlit-app", f"{ratio:.2f}x ({o:.2f} s / {r:.2f} s)",
                              f"<= {TARGET_RATIO:.1f}x", ratio <= TARGET_RATIO))
    sec.notes.append("mediaan van {} starts elk, om en om; stuurhut: {}; hallo: {}".format(
        len(ours), ", ".join(f"{x:.2f}" for x in ours), ", ".join(f"{x:.2f}" for x in ref)))
    return sec


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("db", type=Path)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    s = run(a.db, repeat=a.repeat)
    print_section(s)
