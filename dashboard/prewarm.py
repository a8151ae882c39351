"""Warm the dashboard while the server starts: the heavy imports, the warehouse and the overview's first queries.

Streamlit runs nothing until the first browser session connects, so the first visitor after a restart used
to wait for every import (Altair, Polars, DuckDB, pyarrow, pandas) and every cold query of the
overview. `start()` does that work in a background thread from the moment the server process starts, while
the browser is still fetching Streamlit's scripts; `take(path)` hands the warmed Warehouse (its query cache
filled with exactly the overview's questions) to `state.warehouse()`. Any failure here only costs the warm-up.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

log = logging.getLogger(__name__)

_lock = threading.Lock()
_ready: dict[str, object] = {}  # resolved db path -> Warehouse
_threads: dict[str, threading.Thread] = {}


def db_path() -> Path:
    from dashboard.state import DEFAULT_DB

    return Path(os.environ.get("STUURHUT_DB") or DEFAULT_DB).resolve()


def start(path: Path | None = None) -> threading.Thread:
    """Begin warming up `path` (default $STUURHUT_DB) in a daemon thread; returns the thread."""
    key = str((path or db_path()).resolve())
    with _lock:
        if key not in _threads:
            _threads[key] = threading.Thread(target=_warm, args=(Path(key),), name="stuurhut-prewarm", daemon=True)
            _threads[key].start()
        return _threads[key]


def take(path: str, wait: float = 30.0):
    """The Warehouse warmed for `path` (waiting for a warm-up in progress), or None; handed out only once."""
    thread = _threads.get(path)
    if thread is not None:
        thread.join(wait)
    with _lock:
        return _ready.pop(path, None)


def _warm(path: Path) -> None:
    try:
        import altair  # noqa: F401
        import pandas  # noqa: F401  (st.dataframe imports it even for an Arrow table: 0.4 s on the first page)
        import pyarrow  # noqa: F401

        from dashboard import charts, components  # noqa: F401  (Altair theme, chart memo, the Altair speed-up)
        from dashboard.db import Warehouse

        if not path.is_file():
            return
        wh = Warehouse(path)
        with _lock:
            _ready[str(path)] = wh
        overview_queries(wh)
    except Exception:  # noqa: BLE001 - the first page will do the same work and report real problems
        log.exception("stuurhut: opwarmen mislukt")


def overview_queries(wh) -> None:
    """The questions the shell and the Overzicht page ask first, with the parameters they use by default."""
    from dashboard.queries import overview
    from dashboard.queries.indicators import indicators

    deals = wh.sql("deals")
    if deals.height == 0:
        return
    deal = overview.default_deal(wh, deals["code"].to_list())
    dates = overview.peildata(wh, deal)
    years = overview.deal_years(wh, deal)
    if not dates or not years:
        return
    year = dates[0].year if dates[0].year in years else years[-1]
    ind = indicators(wh, deal, year, None)
    overview.freshness(wh, deal, None)
    overview.bottlenecks_by_severity(wh, deal, None)
    overview.open_bottlenecks(wh, deal, None)
    overview.view(wh, deal, ind, year, None, "nl")  # what the page derives from them (Dutch: the default)
