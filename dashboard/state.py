"""The global filters (deal, year, as-of date, language): sidebar widgets kept in the URL, read by every page.

The URL is the source of truth when it changes from outside (a shared link, the browser's back
button); otherwise the widgets are, and each run writes them back to the URL so a link always
reproduces the view.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st

from dashboard import i18n, memo
from dashboard.format import fmt_date
from dashboard.i18n import t

DEFAULT_DB = Path("data/stuurhut.duckdb")

# URL query key -> widget key
URL_KEYS = {"deal": "f_deal", "jaar": "f_year", "peildatum": "f_as_of", "taal": i18n.SESSION_KEY}
_WRITTEN = "_url_written"  # the query string this session last wrote
_FILTERS = "_filters"


@dataclass(frozen=True)
class Filters:
    deal: str
    deal_name: str
    year: int
    as_of: dt.date  # the chosen Peildatum: only deliveries describing this date or earlier count
    newest: dt.date  # the deal's newest Peildatum
    lang: str = "nl"
    years: tuple[int, ...] = field(default_factory=tuple)

    @property
    def as_of_arg(self) -> dt.date | None:
        """as_of for the query API: None when looking at the newest data (the API's default)."""
        return None if self.as_of >= self.newest else self.as_of


def db_path() -> Path:
    return Path(os.environ.get("STUURHUT_DB") or DEFAULT_DB)


@st.cache_resource(max_entries=4, show_spinner=False)
def _open(path: str):
    from dashboard import prewarm
    from dashboard.db import Warehouse

    return prewarm.take(path) or Warehouse(path)  # the one `stuurhut serve` warmed up while starting, if any


def warehouse():
    """The read-only warehouse of $STUURHUT_DB, opened once per process; None when the file does not exist.

    Looked up once per run: the shell and the page both ask for it."""
    return memo.per_run("warehouse", _warehouse)


def _warehouse():
    if _FILTERS not in st.session_state:  # pages without the deal filters (Vergelijking, Catalogus) start here
        from dashboard.navigation import leave_pages_directory_mode

        leave_pages_directory_mode()
    path = db_path()
    if not path.is_file():
        return None
    return _open(str(path.resolve()))


def language() -> str:
    """Draw the NL/EN switch (first, so every later text uses the choice) and return the language."""
    _adopt_url(["taal"])
    if st.session_state.get(i18n.SESSION_KEY) not in i18n.LANGUAGES:
        st.session_state[i18n.SESSION_KEY] = i18n.DEFAULT
    lang = st.sidebar.segmented_control(
        "Taal / Language", i18n.LANGUAGES, key=i18n.SESSION_KEY, format_func=str.upper,
        selection_mode="single", required=True,
    ) or i18n.DEFAULT
    memo.set_run_value(i18n.RUN_KEY, lang)  # the rest of the run's texts need not read the session state again
    return lang


def _adopt_url(names: list[str]) -> None:
    """Copy URL values into widget state when the URL changed from outside since this session wrote it."""
    written = st.session_state.get(_WRITTEN)
    current = {k: st.query_params.get(k) for k in URL_KEYS}
    if not any(current.values()):
        return  # a bare URL (e.g. a page link from the navigation) keeps the session's choices
    if written is not None and current == written:
        return
    for name in names:
        value = current.get(name)
        if value is not None:
            st.session_state[URL_KEYS[name]] = _parse(name, value)


def _parse(name: str, value: str):
    try:
        if name == "jaar":
            return int(value)
        if name == "peildatum":
            return dt.date.fromisoformat(value)
    except ValueError:
        return None  # an edited URL with nonsense falls back to the default below
    return value


def _write_url(f: Filters) -> None:
    values = {"deal": f.deal, "jaar": str(f.year), "peildatum": f.as_of.isoformat(), "taal": f.lang}
    if {k: st.query_params.get(k) for k in URL_KEYS} != values:
        st.query_params.update(values)
    st.session_state[_WRITTEN] = values


def _reset_period() -> None:
    for key in ("f_as_of", "f_year"):
        st.session_state.pop(key, None)


def _year_follows_as_of() -> None:
    d = st.session_state.get("f_as_of")
    if isinstance(d, dt.date):
        st.session_state["f_year"] = d.year


def sidebar_filters(wh, deals, lang: str) -> Filters | None:
    """Draw deal, Peildatum and year pickers; None when there is no deal to show."""
    from dashboard.navigation import visible_deals
    from dashboard.queries import overview

    _adopt_url(["deal", "jaar", "peildatum"])
    names = memo.derived(deals, "names", lambda: {r["code"]: r["name"] or r["code"] for r in deals.iter_rows(named=True)})
    codes = visible_deals(list(names))
    if not codes:
        return None
    if st.session_state.get("f_deal") not in codes:
        st.session_state["f_deal"] = overview.default_deal(wh, codes)
        _reset_period()
    side = st.sidebar
    deal = side.selectbox(t("filter.deal"), codes, key="f_deal", on_change=_reset_period,
                          format_func=lambda c: f"{c} — {names[c]}" if names[c] != c else c)

    dates = overview.peildata(wh, deal)
    newest = dates[0] if dates else dt.date.today()
    chosen = st.session_state.get("f_as_of")
    if not isinstance(chosen, dt.date):
        st.session_state["f_as_of"] = chosen = newest
    options = sorted(set(dates) | {chosen}, reverse=True)
    as_of = side.selectbox(t("filter.as_of"), options, key="f_as_of", on_change=_year_follows_as_of,
                           format_func=lambda d: fmt_date(d, lang) + (f" ({t('filter.newest', lang)})" if d == newest else ""),
                           help=t("filter.as_of_help"))

    years = overview.deal_years(wh, deal) or [as_of.year]
    if st.session_state.get("f_year") not in years:
        st.session_state["f_year"] = as_of.year if as_of.year in years else years[-1]
    year = side.selectbox(t("filter.year"), years, key="f_year")

    f = Filters(deal=deal, deal_name=names[deal], year=int(year), as_of=as_of, newest=newest, lang=lang,
                years=tuple(years))
    _write_url(f)
    st.session_state[_FILTERS] = f
    return f


def filters() -> Filters:
    """The filters the app shell set for this run (pages call this)."""
    if _FILTERS not in st.session_state:
        from dashboard.navigation import leave_pages_directory_mode

        leave_pages_directory_mode()  # run as a bare pages/ script on a fresh server: rerun through the shell
    return st.session_state[_FILTERS]
