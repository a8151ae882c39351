"""Deck speed: build the directors' deck of CDOR on the demo data and render it as PowerPoint and PDF (median of 5)."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import Figure, Section, median, print_section  # noqa: E402

TARGET_S = 5.0  # "a few seconds on the demo data" (issue 5)


def demo_db(directory: Path) -> Path:
    from etl.demo import build_demo_db

    db = directory / "demo.duckdb"
    if not build_demo_db(db).ok:
        raise SystemExit("stuurhut demo failed")
    return db


def measure(db: Path, deal: str = "CDOR", repeat: int = 5) -> dict[str, list[float]]:
    """Seconds per step; a fresh Warehouse each round, so no query result is served from a previous round's cache."""
    from dashboard.db import Warehouse
    from dashboard.slides.build import build_deck
    from dashboard.slides.pdf_render import pdf_bytes
    from dashboard.slides.pptx_render import pptx_bytes

    out: dict[str, list[float]] = {"build": [], "pptx": [], "pdf": [], "total": [], "slides": []}
    for _ in range(repeat):
        wh = Warehouse(db)
        t0 = time.perf_counter()
        deck = build_deck(wh, deal)
        t1 = time.perf_counter()
        pptx_bytes(deck)
        t2 = time.perf_counter()
        pdf_bytes(deck)
        t3 = time.perf_counter()
        wh.close()
        out["build"].append(t1 - t0)
        out["pptx"].append(t2 - t1)
        out["pdf"].append(t3 - t2)
        out["total"].append(t3 - t0)
        out["slides"].append(len(deck.slides))
    return out


def run(small: bool = False, repeat: int = 5) -> Section:
    """`small` measures 3 rounds instead of `repeat` (the demo data has one size only)."""
    sec = Section("Directeurendeck (`stuurhut slides`)")
    with tempfile.TemporaryDirectory() as tmp:
        db = demo_db(Path(tmp))
        times = measure(db, repeat=3 if small else repeat)
    total = median(times["total"])
    sec.figures.append(Figure(
        f"deck CDOR bouwen + PowerPoint + PDF ({times['slides'][0]} dia's, demodata)",
        f"{total:.2f} s".replace(".", ","), f"<= {TARGET_S:.0f} s", total <= TARGET_S))
    sec.notes.append("mediaan per stap: bouwen {:.2f} s, PowerPoint {:.2f} s, PDF {:.2f} s; {} rondes".format(
        median(times["build"]), median(times["pptx"]), median(times["pdf"]), len(times["total"])))
    return sec


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--small", action="store_true")
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    s = run(a.small, a.repeat)
    print_section(s)
