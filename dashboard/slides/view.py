"""The Presentatie page's pieces: the deck cached per deal, Peildatum and data version, one slide drawn large, keys."""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict

import polars as pl
import streamlit as st

from dashboard import charts, components, state
from dashboard.format import fmt_date
from dashboard.i18n import t
from dashboard.slides.model import Deck, Slide, notes_text

SLIDE_PARAM = "slide"  # ?slide=3 keeps the place on reload
FILE_CACHE = 8
MIME = {"pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pdf": "application/pdf"}

# Presenting: no sidebar or app header, the full width, large type. Static CSS (no data in it); the
# hidden buttons only carry the PageUp/PageDown shortcuts.
PRESENTING_CSS = """<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
header[data-testid="stHeader"] {display: none !important;}
.stMainBlockContainer, .block-container {max-width: 100% !important; padding: 1.2rem 3rem 1rem 3rem !important;}
.stMainBlockContainer h1 {font-size: 2.8rem !important; line-height: 1.2 !important;}
.stMainBlockContainer h2, .stMainBlockContainer h3 {font-size: 1.6rem !important; font-weight: 400 !important;}
.stMainBlockContainer [data-testid="stMarkdownContainer"] li {font-size: 1.45rem;}
.stMainBlockContainer [data-testid="stCaptionContainer"] p {font-size: 0.95rem;}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {font-size: 2.6rem !important; line-height: 1.2;}
[data-testid="stMetricLabel"] p {font-size: 1.15rem !important;}
[data-testid="stMetricDelta"], [data-testid="stMetricDelta"] * {font-size: 0.95rem !important;}
[data-testid="stTable"] td, [data-testid="stTable"] th {font-size: 1.15rem !important;}
.st-key-pres_pgup, .st-key-pres_pgdn {display: none !important;}
</style>"""


# --- the deck and its files, cached per (database, data version, deal, Peildatum) ---------------------

@st.cache_data(max_entries=16, ttl=3600, show_spinner=False)
def _deck(_wh, db: str, version: tuple, deal: str, as_of: dt.date | None) -> Deck:
    from dashboard.slides.build import build_deck

    return build_deck(_wh, deal, as_of)


def deck(wh, deal: str, as_of: dt.date | None) -> Deck:
    return _deck(wh, str(wh.path), wh.version, deal, as_of)


_files: OrderedDict[tuple, bytes] = OrderedDict()
_files_lock = threading.Lock()


def deck_file(wh, deal: str, as_of: dt.date | None, fmt: str) -> bytes:
    """The deck as PowerPoint or PDF bytes, rendered in memory on first request and kept for FILE_CACHE keys.
    Called from the download button when clicked (outside the script run), so it keeps its own cache."""
    key = (str(wh.path), wh.version, deal, as_of, fmt)
    with _files_lock:
        if key in _files:
            _files.move_to_end(key)
            return _files[key]
    from dashboard.slides.build import build_deck

    d = build_deck(wh, deal, as_of)
    if fmt == "pptx":
        from dashboard.slides.pptx_render import pptx_bytes

        data = pptx_bytes(d)
    else:
        from dashboard.slides.pdf_render import pdf_bytes

        data = pdf_bytes(d)
    with _files_lock:
        _files[key] = data
        while len(_files) > FILE_CACHE:
            _files.popitem(last=False)
    return data


def file_name(d: Deck, fmt: str) -> str:
    when = d.as_of.isoformat() if d.as_of else "nieuwste"
    return f"directeurenoverleg_{d.deal_code}_{when}.{fmt}"


def download_buttons(wh, d: Deck, deal: str, as_of: dt.date | None, where: tuple) -> None:
    """PowerPoint and PDF buttons in the two given containers; the file is rendered when clicked."""
    for col, (fmt, label) in zip(where, (("pptx", t("pres.download_pptx")), ("pdf", t("pres.download_pdf"))),
                                 strict=True):
        col.download_button(label, lambda fmt=fmt: deck_file(wh, deal, as_of, fmt), file_name=file_name(d, fmt),
                              mime=MIME[fmt], key=f"pres_{fmt}", on_click="ignore", icon=":material/download:",
                              width="stretch")


# --- the place in the deck: ?slide=N -----------------------------------------------------------------

def current_slide() -> int | None:
    """The slide number in the URL (None: not presenting)."""
    raw = st.query_params.get(SLIDE_PARAM)
    if raw is None:
        return None
    try:
        return max(1, int(raw))
    except ValueError:
        return 1


def go(number: int) -> None:
    st.query_params[SLIDE_PARAM] = str(number)


def stop() -> None:
    st.query_params.pop(SLIDE_PARAM, None)


def start(deal_key: str, as_of_key: str, number: int = 1) -> None:
    """Start button callback: the chosen deal and Peildatum become the global filters (so the URL holds
    them and a reload shows the same deck), then slide `number`."""
    deal, as_of = st.session_state[deal_key], st.session_state[as_of_key]
    if deal != st.session_state.get("f_deal"):
        st.session_state["f_deal"] = deal
    st.session_state["f_as_of"] = as_of
    st.session_state["f_year"] = as_of.year
    go(number)


def contents(d: Deck, deal_key: str, as_of_key: str) -> None:
    """The deck's slides by their titles, numbered: read together they are the meeting's summary (each title is the
    slide's finding). A title starts the presentation at that slide."""
    st.header(t("pres.contents"), anchor=False)
    box = st.container(gap=None)  # a list, not twelve separate blocks
    for number, slide in enumerate(d.slides, start=1):
        box.button(f"{number}\\. {components.md_escape(slide.title)}", key=f"pres_goto_{number}", type="tertiary",
                   on_click=start, args=(deal_key, as_of_key, number), help=t("pres.goto", number=number))


# --- before starting: deal and Peildatum ------------------------------------------------------------

def choose(wh, f: state.Filters) -> tuple[str, str]:
    """Deal and Peildatum pickers (defaults: the global filters); returns their widget keys."""
    from dashboard.navigation import visible_deals
    from dashboard.queries import overview
    from dashboard.queries.indicators import deals

    names = {r["code"]: r["name"] or r["code"] for r in deals(wh).iter_rows(named=True)}
    codes = visible_deals(list(names))
    if st.session_state.get("pres_deal") not in codes:
        st.session_state["pres_deal"] = f.deal if f.deal in codes else codes[0]
    a, b = st.columns(2)
    deal = a.selectbox(t("filter.deal"), codes, key="pres_deal",
                       format_func=lambda c: f"{c} — {names[c]}" if names[c] != c else c)
    dates = overview.peildata(wh, deal) or [f.as_of]
    if st.session_state.get("pres_as_of") not in dates:
        st.session_state["pres_as_of"] = f.as_of if deal == f.deal and f.as_of in dates else dates[0]
    b.selectbox(t("filter.as_of"), dates, key="pres_as_of", format_func=lambda d: fmt_date(d, f.lang),
                help=t("filter.as_of_help"))
    return "pres_deal", "pres_as_of"


# --- presenting ---------------------------------------------------------------------------------------

def controls(wh, d: Deck, number: int, deal: str, as_of: dt.date | None) -> None:
    """Previous/next (arrow keys, PageUp/PageDown), first/last (Home/End), the counter, downloads and Stoppen."""
    total = len(d.slides)
    cols = st.columns([1.1, 1.1, 0.8, 1.2, 1.1, 0.4, 1.3, 0.9, 1.1], vertical_alignment="center")
    first, prev, counter, nxt, last, _, pptx, pdf, stop_col = cols
    first.button(t("pres.first"), key="pres_first", on_click=go, args=(1,), disabled=number <= 1,
                 shortcut="Home", icon=":material/first_page:", width="stretch")
    prev.button(t("pres.previous"), key="pres_prev", on_click=go, args=(max(1, number - 1),), disabled=number <= 1,
                shortcut="Left", icon=":material/chevron_left:", width="stretch")
    counter.markdown(f"**{number} / {total}**", text_alignment="center")
    nxt.button(t("pres.next"), key="pres_next", on_click=go, args=(min(total, number + 1),),
               disabled=number >= total, shortcut="Right", icon=":material/chevron_right:", width="stretch")
    last.button(t("pres.last"), key="pres_last", on_click=go, args=(total,), disabled=number >= total,
                shortcut="End", icon=":material/last_page:", width="stretch")
    download_buttons(wh, d, deal, as_of, where=(pptx, pdf))
    stop_col.button(t("pres.stop"), key="pres_stop", on_click=stop, icon=":material/close:", width="stretch")
    # second shortcut of previous/next (a button carries one); hidden by PRESENTING_CSS
    st.button("PageUp", key="pres_pgup", on_click=go, args=(max(1, number - 1),), shortcut="PageUp")
    st.button("PageDown", key="pres_pgdn", on_click=go, args=(min(total, number + 1),), shortcut="PageDown")


def _kpis(slide: Slide, columns: int = 4) -> None:
    for start_at in range(0, len(slide.kpis), columns):
        cols = st.columns(columns)
        for col, k in zip(cols, slide.kpis[start_at:start_at + columns], strict=False):
            with col.container(border=True):
                st.metric(k.label, k.value_text, delta=k.change_text or None, delta_color="off", delta_arrow="off")
                components.status_badge(k.status)
                if k.target_text:
                    st.caption(components.md_escape(t("pres.target", target=k.target_text)))


def _table(slide: Slide) -> None:
    spec = slide.table
    frame = pl.DataFrame([dict(zip(spec.headers, row, strict=True)) for row in spec.rows],
                         schema=dict.fromkeys(spec.headers, pl.String), orient="row")
    st.table(frame, hide_index=True)


def _bullets(slide: Slide) -> None:
    st.markdown("\n".join(f"- {components.md_escape(b)}" for b in slide.bullets))


def show(d: Deck, number: int) -> None:
    """One slide, large: title, subtitle, KPI cards, then chart, table and bullets side by side, sources, notes."""
    slide = d.slides[number - 1]
    if slide.kind == "title":
        st.title(components.md_escape(slide.title), anchor=False)
        st.header(t("pres.cover", date=d.peildatum_text), anchor=False)
    else:
        st.title(components.md_escape(slide.title), anchor=False)
        if slide.subtitle:
            st.header(components.md_escape(slide.subtitle), anchor=False)
        beside = len(slide.kpis) <= 2 and (slide.chart or slide.table or slide.bullets)
        panels = [(name, weight) for name, weight, present in (
            ("kpis", 2, bool(slide.kpis) and beside), ("chart", 3, slide.chart is not None),
            ("table", 3, slide.table is not None), ("bullets", 2, bool(slide.bullets))) if present]
        if slide.kpis and not beside:
            _kpis(slide)
        if panels:
            for col, (name, _) in zip(st.columns([w for _, w in panels], gap="large"), panels, strict=True):
                with col:
                    if name == "kpis":
                        _kpis(slide, columns=1)
                    elif name == "chart":
                        figure = charts.slide_chart(slide.chart)
                        if slide.chart.kind == "waterfall":
                            figure = figure.properties(height=380)  # the dashboard's waterfall is lower
                        st.altair_chart(figure, theme=None, width="stretch")
                    elif name == "table":
                        _table(slide)
                    else:
                        _bullets(slide)
    for line in slide.sources:
        st.caption(components.md_escape(line))
    with st.expander(t("pres.notes"), icon=":material/speaker_notes:"):
        st.text(notes_text(d, slide))
