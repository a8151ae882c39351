"""Server memory: resident memory (VmRSS) of the `stuurhut serve` process after visiting every page on the scale dataset."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_first_view import TIMEOUT_S, browser, free_port, stuurhut_server, wait_healthy  # noqa: E402
from benchmarks.common import Figure, Section, print_section  # noqa: E402

TARGET_MIB = 600


def rss_mib(pid: int) -> float:
    """VmRSS of a process from /proc/<pid>/status, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"geen VmRSS voor proces {pid}")


def settle(page) -> None:
    """Wait until the app has drawn and its script run has finished (no running indicator)."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=TIMEOUT_S * 1000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                           timeout=TIMEOUT_S * 1000)
    page.wait_for_timeout(300)


def measure(db: Path, deal: str = "SC01", port: int | None = None, pages: list[str] | None = None) -> dict:
    """Start the server, visit every registered page (or those in `pages`; deal selected), then read its VmRSS."""
    from dashboard.navigation import PAGES

    port = port or free_port()
    server = stuurhut_server(db, port)
    pw, b = browser()
    visited, failed, start_rss = [], [], None
    try:
        proc = server.start()
        wait_healthy(port, proc)
        start_rss = rss_mib(proc.pid)
        page = b.new_page(viewport={"width": 1440, "height": 1000})
        for spec in PAGES:
            if pages and spec.key not in pages:
                continue
            url = f"http://127.0.0.1:{port}/{spec.url_path}" + (f"?deal={deal}" if spec.shows_deal else "")
            t = time.perf_counter()
            page.goto(url)
            settle(page)
            visited.append((spec.key, time.perf_counter() - t))
            if page.query_selector('[data-testid="stException"]'):
                failed.append(spec.key)
        time.sleep(1)  # let the last run's buffers go
        return {"rss": rss_mib(proc.pid), "start_rss": start_rss, "visited": visited, "failed": failed}
    finally:
        b.close()
        pw.stop()
        server.stop()


def run(db: Path, deal: str = "SC01", small: bool = False) -> Section:
    m = measure(db, deal)
    sec = Section("Geheugen van de server (VmRSS na alle pagina's, schaaldataset)")
    sec.figures.append(Figure(f"streamlit-proces na {len(m['visited'])} pagina's", f"{m['rss']:.0f} MiB",
                              f"< {TARGET_MIB} MB", m["rss"] < TARGET_MIB))
    if m["failed"]:
        sec.notes.append(f"let op, foutmelding in de browser op: {', '.join(m['failed'])}")
    sec.notes.append(f"bij de start {m['start_rss']:.0f} MiB; pagina's bezocht in headless Chromium: "
                     + ", ".join(f"{k} {s:.1f} s" for k, s in m["visited"]))
    return sec


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("db", type=Path)
    ap.add_argument("--deal", default="SC01")
    a = ap.parse_args()
    s = run(a.db, a.deal)
    print_section(s)
