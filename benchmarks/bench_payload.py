"""Chart payload: the rows every chart sends to the browser, read from the Vega-Lite elements of every page (AppTest).

Every page is rendered on the scale dataset (the Presentatie page slide by slide); each chart element's
datasets are Arrow IPC streams, so their row counts are exactly what the browser receives.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_pages import app_env, check, open_page  # noqa: E402
from benchmarks.common import Figure, Section  # noqa: E402

MAX_ROWS = 5000
MAX_SLIDES = 30


def _walk(node):
    for child in getattr(node, "children", {}).values():
        yield child
        yield from _walk(child)


def chart_rows(at) -> list[tuple[str, int]]:
    """(chart title, rows over all its datasets) for every Vega-Lite chart on the page."""
    import json

    import pyarrow as pa

    out = []
    for el in _walk(at.main):
        if getattr(el, "type", "") != "vega_lite_chart":
            continue
        proto = el.proto
        rows = sum(pa.ipc.open_stream(d.data.data).read_all().num_rows for d in proto.datasets if d.data.data)
        if proto.data.data:
            rows += pa.ipc.open_stream(proto.data.data).read_all().num_rows
        spec = json.loads(proto.spec) if proto.spec else {}
        title = spec.get("description") or spec.get("title") or "?"
        out.append((str(title if not isinstance(title, dict) else title.get("text", "?"))[:80], rows))
    return out


def _slide_counter(at) -> tuple[int, int] | None:
    for m in at.markdown:
        text = m.value.strip("*")
        if " / " in text:
            a, _, b = text.partition(" / ")
            if a.strip().isdigit() and b.strip().isdigit():
                return int(a), int(b)
    return None


def measure(db: Path, deal: str, errors: dict[str, str] | None = None,
            pages: list[str] | None = None) -> dict[str, list[tuple[str, int]]]:
    """Rows per chart per page (all pages, or those in `pages`); pages that fail are named in `errors`."""
    from dashboard.navigation import PAGES

    errors = {} if errors is None else errors
    app_env(db)
    found: dict[str, list[tuple[str, int]]] = {}
    for spec in PAGES:
        if pages and spec.key not in pages:
            continue
        try:
            at = open_page(spec, deal if spec.shows_deal else None)
        except RuntimeError as exc:  # reported by the page benchmark; its charts cannot be counted here
            errors[spec.key] = str(exc)
            continue
        found[spec.key] = chart_rows(at)
        if spec.key == "presentatie":
            for n in range(1, MAX_SLIDES + 1):
                at.query_params["slide"] = str(n)
                at.run()
                check(at, f"presentatie dia {n}")
                found[spec.key] += [(f"dia {n}: {t}", r) for t, r in chart_rows(at)]
                counter = _slide_counter(at)
                if counter is None or counter[0] >= counter[1]:
                    break
    return found


def run(db: Path, deal: str = "SC01", small: bool = False) -> Section:
    errors: dict[str, str] = {}
    found = measure(db, deal, errors)
    sec = Section("Grafieken: rijen naar de browser (schaaldataset)")
    charts = [(page, title, rows) for page, items in found.items() for title, rows in items]
    worst = max(charts, key=lambda c: c[2], default=("-", "-", 0))
    sec.figures.append(Figure(f"grootste grafiek van {len(charts)} op {len(found)} pagina's",
                              f"{worst[2]:,} rijen ({worst[0]}: {worst[1]})".replace(",", "."),
                              f"<= {MAX_ROWS:,}".replace(",", "."), worst[2] <= MAX_ROWS))
    per_page = ", ".join(f"{p} {max((r for _, r in items), default=0)}" for p, items in found.items() if items)
    sec.notes.append(f"meeste rijen per pagina: {per_page}")
    if errors:
        sec.figures.append(Figure("pagina's die niet renderen (hun grafieken niet geteld)", ", ".join(errors), "geen",
                                  False))
    return sec


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("db", type=Path)
    ap.add_argument("--deal", default="SC01")
    a = ap.parse_args()
    for page, items in measure(a.db, a.deal).items():
        for title, rows in items:
            print(f"{page:15s} {rows:6d}  {title}")
