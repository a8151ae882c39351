"""Regenerate docs/screenshots/*.png: build the demo database in a temp dir, serve the dashboard, photograph every page.

usage: .venv/bin/python docs/make_screenshots.py   (needs /usr/bin/chromium and playwright; `make screenshots`)
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve(db: Path, port: int | None = None, timeout: float = 60) -> Iterator[str]:
    """Serve the dashboard as `stuurhut serve` does (python -m dashboard.server) against `db`; yields the base URL."""
    port = port or free_port()
    env = dict(os.environ, STUURHUT_DB=str(db), STUURHUT_ACCOUNTS=str(db.with_name("accounts.json")))
    log = open(db.with_name("streamlit.log"), "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard.server", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + timeout
        while True:
            try:
                with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as r:  # noqa: S310 - local URL
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"streamlit did not start: {db.with_name('streamlit.log').read_text()[-2000:]}")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def settle(page, timeout_ms: int = 60000) -> None:
    """Wait until the app has drawn its title and finished running."""
    page.wait_for_selector('[data-testid="stApp"] h1', timeout=timeout_ms)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_ms)
    # the status widget shows only after a while: a quick rerun still has grey skeletons where elements will come
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=timeout_ms)
    page.evaluate(QUIET, [400, 8000])  # charts draw and fonts swap after the run: wait until the page holds still


# resolves once the document has not changed for `quiet` ms (at most `limit` ms): the page has finished drawing
QUIET = """([quiet, limit]) => new Promise(resolve => {
  const done = () => { observer.disconnect(); clearTimeout(cap); resolve(); };
  let timer = setTimeout(done, quiet);
  const observer = new MutationObserver(() => { clearTimeout(timer); timer = setTimeout(done, quiet); });
  const cap = setTimeout(done, limit);
  observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
})"""


def build_demo(tmp: Path) -> Path:
    from etl.demo import build_demo_db

    db = tmp / "demo.duckdb"
    result = build_demo_db(db)
    if not result.ok:
        bad = result.results[-1] if result.results else None
        why = "; ".join(f"{p.file} {p.sheet or ''} {p.row or ''}: {p.message}" for p in (bad.problems if bad else []))
        raise RuntimeError(f"stuurhut demo failed at batch {result.failed_batch}: {why[:2000]}")
    return db


def shrink(path: Path) -> None:
    """Keep committed screenshots small: a 256-colour palette is plenty for a dashboard (needs Pillow)."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as im:
        small = im.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def main() -> int:
    from playwright.sync_api import sync_playwright

    from dashboard.navigation import PAGES

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, serve(build_demo(Path(tmp))) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1800})
        for spec in PAGES:
            page.goto(f"{base}/{'' if spec.default else spec.url_path}")  # the default page lives at "/" only
            settle(page)
            path = OUT / f"{spec.key}.png"
            page.screenshot(path=str(path))
            shrink(path)
            print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1024} kB")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
