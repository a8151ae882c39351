"""Small UI pieces shared by every page: KPI tiles, status badges, empty states, source captions, tables, charts.

Text that comes from spreadsheets (file names, sheet names, free text) is escaped before it reaches
Streamlit's Markdown, and never rendered with unsafe_allow_html.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import textwrap
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from pathlib import Path

import altair as alt
import polars as pl
import streamlit as st
from streamlit.elements import vega_charts as _vega_charts

from dashboard import altair_speed, charts, downloads, memo, theme  # noqa: F401  (altair_speed: patches Altair)
from dashboard.format import fmt_change, fmt_date, fmt_target, fmt_value, formatted, is_change
from dashboard.i18n import current_language, t
from dashboard.layout import CONTENT_PX, Layout

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def md_escape(text: object) -> str:
    """Make any text show literally in Streamlit Markdown (no links, emphasis, HTML or LaTeX)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def _lang(lang: str | None) -> str:
    return lang or current_language()


# --- pure helpers (tested without Streamlit) ---------------------------------------------------

def tile_value(row: Mapping, lang: str = "nl") -> str:
    """The headline of a KPI tile: "4 van 6" for a count against a fixed yearly number, else the value."""
    value, unit = row.get("value"), row.get("unit", "count")
    lo, hi = row.get("target_min"), row.get("target_max")
    if value is None:
        return "–"
    if unit == "count" and lo is not None and lo == hi:
        return t("tile.of", lang, value=fmt_value(value, unit, lang), target=fmt_value(lo, unit, lang))
    return fmt_value(value, unit, lang)


def target_text(row: Mapping, lang: str = "nl") -> str:
    """ "Doel: 6 tot 9 · verwacht op de peildatum: 3" """
    text = t("tile.target", lang, target=fmt_target(row.get("target_min"), row.get("target_max"), row.get("unit", "count"), lang))
    expected = row.get("expected_to_date")
    lo = row.get("target_min")
    if expected is not None and lo is not None and expected != lo:
        text += " · " + t("tile.expected", lang, value=fmt_value(expected, row.get("unit", "count"), lang))
    note = row.get("target_note_en" if lang == "en" else "target_note_nl")
    if note and lo is None and row.get("target_max") is None:
        return note  # an indicator without a target: the note says why it is shown
    return f"{text} {note}" if note else text


def change_text(row: Mapping, lang: str = "nl") -> str | None:
    """ "+2 sinds vorige levering", "geen verandering sinds vorige levering" or None without a previous delivery."""
    delta = change_delta(row, lang)
    if delta is None:
        return None
    if delta == "0":
        return t("tile.no_change", lang)
    return t("tile.change", lang, change=delta)


def change_delta(row: Mapping, lang: str = "nl") -> str | None:
    """The tile's delta: "+2", "-7 procentpunt", "0" (no visible change), None (nothing to compare with)."""
    if row.get("previous_value") is None and row.get("change") is None:
        return None
    change, unit = row.get("change"), row.get("unit", "count")
    return fmt_change(change, unit, lang) if is_change(change, unit) else "0"


def source_text(file: str | None, sheet: str | None, delivered: dt.date | dt.datetime | None, lang: str = "nl") -> str:
    """ "Bron: begroting.xlsx · tabblad Begroting · geleverd 17 december 2021" (plain text, not escaped)."""
    if not file:
        return t("source.none", lang)
    parts = [t("source.file", lang, file=file)]
    if sheet:
        parts.append(t("source.sheet", lang, sheet=sheet))
    if delivered:
        parts.append(t("source.delivered", lang, date=fmt_date(delivered, lang)))
    return " · ".join(parts)


# --- Streamlit pieces ----------------------------------------------------------------------------

def status_badge(code: str | None, lang: str | None = None) -> None:
    s = theme.status(code)
    st.badge(s.label(_lang(lang)), color=s.badge)


def source_caption(file: str | None, sheet: str | None, delivered: dt.date | dt.datetime | None,
                   lang: str | None = None) -> None:
    sources_caption([(file, sheet, delivered)], lang)


def sources_caption(sources: Iterable[tuple[str | None, str | None, dt.date | dt.datetime | None]],
                    lang: str | None = None) -> None:
    """One caption, a line per (file, sheet, delivered): a figure resting on two sheets names both at once."""
    lang = _lang(lang)
    st.caption("  \n".join(md_escape(source_text(file, sheet, delivered, lang)) for file, sheet, delivered in sources))


def kpi_tile(row: Mapping, lang: str | None = None) -> None:
    """One steering indicator: value, status (colour, icon and word), target, change, source."""
    _draw_tile(tile_texts(row, _lang(lang)))


def tile_texts(row: Mapping, lang: str = "nl") -> dict:
    """Everything a KPI tile writes, worked out from an indicator row (pure: kept per frame by kpi_grid)."""
    label = row.get("label_en" if lang == "en" else "label_nl") or row.get("indicator", "")
    source = source_text(row.get("source_file"), row.get("source_sheet"), row.get("delivered_at"), lang)
    delta = change_delta(row, lang)
    if theme.for_information(row):
        badge = (t("tile.for_information", lang), "gray")  # no target: "op koers" would mislead
    else:
        s = theme.status(row.get("status"))
        badge = (s.label(lang), s.badge)
    return {
        # the label as text above the figure: st.metric would cut long indicator names off with "..."
        "heading": f"**{md_escape(label)}**", "help": md_escape(source), "label": label,
        "value": tile_value(row, lang),
        # "ongewijzigd sinds vorige levering", not a bare "0" that reads like a value (and short: a tile cuts it off)
        "delta": t("tile.unchanged", lang) if delta == "0" else delta,
        "arrow": "auto" if delta not in (None, "0") else "off",
        "delta_description": t("tile.since_previous", lang) if delta is not None else None,
        "badge": badge, "target": md_escape(target_text(row, lang)),
    }


def _draw_tile(x: dict) -> None:
    # stretch: the tiles of a row are as tall as the tallest one (a heading on two lines, a longer target)
    with st.container(border=True, height="stretch"):
        st.markdown(x["heading"], help=x["help"])
        st.metric(x["label"], x["value"], delta=x["delta"], delta_color="off", label_visibility="collapsed",
                  delta_arrow=x["arrow"], delta_description=x["delta_description"])
        st.badge(x["badge"][0], color=x["badge"][1])
        st.caption(x["target"])


def kpi_grid(df: pl.DataFrame, columns: int = 3, lang: str | None = None) -> None:
    lang = _lang(lang)
    tiles = memo.derived(df, ("tiles", lang), lambda: [tile_texts(row, lang) for row in df.iter_rows(named=True)])
    for start in range(0, len(tiles), columns):
        cols = st.columns(columns)
        for col, texts in zip(cols, tiles[start:start + columns], strict=False):
            with col:
                _draw_tile(texts)


def empty_state(subject: str, sheet: str, lang: str | None = None) -> None:
    """ "Nog geen gegevens over de begroting — lever het tabblad Begroting aan." """
    st.info(t("empty.message", _lang(lang), subject=subject, sheet=sheet), icon=":material/info:")


def download_buttons(df: pl.DataFrame, name: str, key: str, lang: str | None = None) -> None:
    lang = _lang(lang)
    a, b, _ = st.columns([1, 1, 4])
    # callables: the files are built when someone clicks, not on every rerun of the page
    a.download_button(t("download.csv", lang), lambda: downloads.to_csv(df), file_name=f"{name}.csv", mime="text/csv",
                      key=f"{key}_csv", on_click="ignore", icon=":material/download:")
    b.download_button(t("download.xlsx", lang), lambda: downloads.to_xlsx(df), file_name=f"{name}.xlsx",
                      mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      key=f"{key}_xlsx", on_click="ignore", icon=":material/download:")


def _column_format(dtype: pl.DataType):
    """Dutch date display in tables (the download keeps real dates)."""
    if dtype == pl.Date:
        return st.column_config.DateColumn(format="DD-MM-YYYY")
    if isinstance(dtype, pl.Datetime):
        return st.column_config.DatetimeColumn(format="DD-MM-YYYY HH:mm")
    return None


def _table_data(df: pl.DataFrame) -> tuple:
    """(the frame as Arrow, its date columns' display formats): made once per frame object (memo.derived).

    An Arrow table goes to the browser as is; a polars frame would first be converted through pandas (~10 ms a table).
    """
    formats = {name: _column_format(dtype) for name, dtype in df.schema.items()}
    return (df.to_arrow(compat_level=pl.CompatLevel.oldest()),
            {name: fmt for name, fmt in formats.items() if fmt is not None})


FULL_TABLE_ROWS = 25  # a table up to this many rows shows them all; a longer one scrolls inside SCROLL_ROWS rows
SCROLL_ROWS = 16
_ROW_PX = 35  # Streamlit's data grid: each row and the header row, plus a 3 px frame


def table_height(rows: int, row_height: int | None = None) -> str | int:
    """st.dataframe height: every row of a short table (a register of 14 end results, the 16 sheets of a deal) is
    in view without scrolling inside a ten-row box; a long one (a catalogue of many deals) keeps a fixed box.

    `row_height`: the rows' height when they are taller than one line (`wrapped`); the header stays one line."""
    if rows <= FULL_TABLE_ROWS:
        return "content"
    # a box of 16 one-line rows, or of 8 wrapped ones when those are taller: the box fits on a screen either way
    return _ROW_PX + max(SCROLL_ROWS * _ROW_PX, 8 * (row_height or 0)) + 3


# Streamlit's grid wraps text only in rows taller than 4rem (64 px); a wrapped line of its 14 px text is ~18 px and
# a character ~6.5 px on average (Dutch prose in Source Sans); a cell has 8.5 px padding on each side.
_WRAP_MIN_PX = 65
_LINE_PX = 18
_ROW_PAD_PX = 10
_CHAR_PX = 6.5
_CELL_PAD_PX = 17
MAX_LINES = 5


def wrapped(df: pl.DataFrame, widths: Mapping[str, int], helps: Mapping[str, str] | None = None,
            max_lines: int = MAX_LINES) -> tuple[dict, int | None]:
    """(column_config, row_height) for a grid whose long text columns get fixed `widths` and wrap onto more lines.

    A register of titles and explanations then fits beside the menu instead of scrolling sideways: each of those
    columns is as wide as `widths` says and every row as tall as the longest text needs, up to `max_lines` (a
    longer text shows in full when its cell is clicked, and in the download). row_height is None when every text
    fits on one line. Columns of `widths` that `df` lacks are left out; `helps`: their header tooltips.
    Worked out once per frame (memo.derived).
    """
    helps = helps or {}
    return memo.derived(df, ("wrapped", tuple(widths.items()), tuple(helps.items()), max_lines),
                        lambda: _wrapped(df, widths, helps, max_lines))


# A table with the deals side by side (Vergelijking): a first column naming the rows, then one column per deal. On a
# 1280 px screen the page has 818 px beside the menu: the first column takes 200, the deals share the rest (a wider
# screen stretches every column alike).
SIDE_FIRST_PX = 200
SIDE_CONTENT_PX = CONTENT_PX
SIDE_DEAL_MIN_PX = 150


def side_by_side(table: pl.DataFrame) -> tuple[dict, int | None]:
    """(column_config, row_height) for a table with the deals side by side.

    Up to four deals fit beside the menu: fixed widths, long texts wrapped (`wrapped`). Five or more cannot fit at
    150 px each: then every cell keeps one line and the deals scroll sideways with the first column pinned (pinned
    text is drawn paler, so only then).
    """
    first, deals = table.columns[0], table.columns[1:]
    if SIDE_FIRST_PX + len(deals) * SIDE_DEAL_MIN_PX > SIDE_CONTENT_PX:
        return {first: st.column_config.TextColumn(pinned=True)}, None
    share = (SIDE_CONTENT_PX - SIDE_FIRST_PX) // max(1, len(deals))
    return wrapped(table, {first: SIDE_FIRST_PX, **dict.fromkeys(deals, share)})


def _wrapped(df: pl.DataFrame, widths: Mapping[str, int], helps: Mapping[str, str], max_lines: int) -> tuple:
    lines = 1
    config = {}
    for name, width in widths.items():
        if name not in df.columns:
            continue
        config[name] = st.column_config.TextColumn(width=width, help=helps.get(name))
        per_line = max(1, int((width - _CELL_PAD_PX) / _CHAR_PX))
        # the grid wraps at spaces, as textwrap does; the longest texts need the most lines (checking the 20
        # longest keeps a catalogue of thousands of rows quick)
        texts = df.select(pl.col(name).cast(pl.String)).drop_nulls().unique()
        longest = texts.sort(pl.col(name).str.len_chars(), descending=True).head(20)[name]
        lines = max([lines, *(len(textwrap.wrap(text, per_line)) for text in longest if text)])
    lines = min(lines, max_lines)
    return config, (None if lines == 1 else max(_WRAP_MIN_PX, _ROW_PAD_PX + lines * _LINE_PX))


def progress_column(width: int = 110, help: str | None = None):  # noqa: A002 - Streamlit's name
    """A 0-100 column as a bar with its percentage, 110 px wide: registers and the team overview keep their last
    columns in view beside it."""
    return st.column_config.ProgressColumn(format="%d%%", min_value=0, max_value=100, width=width, help=help)


def fitted(df: pl.DataFrame, layout: Layout) -> tuple[dict, int | None]:
    """(column_config, row_height) for a table laid out by `layout` (dashboard/layout.py): every column its width
    and tooltip, the wrapping ones as `wrapped` (rows as tall as their text needs), the bars as progress bars, the
    others showing their values as they are (numbers right-aligned)."""
    helps = layout.helps
    texts, row_height = wrapped(df, {c: layout.widths[c] for c in layout.wrap}, helps)
    config = {c: st.column_config.Column(width=w, help=helps.get(c)) for c, w in layout.widths.items()}
    config.update({c: progress_column(layout.widths[c], helps.get(c)) for c in layout.bars})
    config.update(texts)
    return config, row_height


def table(df: pl.DataFrame, name: str, key: str, column_config: Mapping | None = None, lang: str | None = None,
          row_height: int | None = None) -> None:
    """A table (text shown as text) with CSV and Excel downloads of exactly what is shown.

    `row_height`: taller rows for wrapped text (`wrapped` gives it with the columns' widths)."""
    arrow, dates = memo.derived(df, "table", lambda: _table_data(df))
    config = {**dates, **(column_config or {})}
    st.dataframe(arrow, hide_index=True, column_config=config, width="stretch",
                 height=table_height(df.height, row_height), row_height=row_height, placeholder="–")
    download_buttons(df, name, key, lang)


def styled_table(styled, df: pl.DataFrame, name: str, key: str, column_config: Mapping | None = None,
                 row_height: int | None = None, lang: str | None = None) -> None:
    """A table shown in colour (`styled`: a pandas Styler of `df`) with the CSV and Excel downloads of `df`; heights
    as `table` (`row_height` from `wrapped` or `side_by_side`)."""
    st.dataframe(styled, hide_index=True, width="stretch", height=table_height(df.height, row_height),
                 row_height=row_height, column_config=column_config)
    download_buttons(df, name, key, lang)


def _text_cells(df: pl.DataFrame) -> pl.DataFrame:
    text = df.select(
        # non-breaking hyphens (U+2011): a narrow Datum column wraps "08-02-" and "2022" onto two lines otherwise
        (pl.col(c).dt.strftime("%d\u2011%m\u2011%Y") if dtype == pl.Date else pl.col(c).cast(pl.String)).fill_null("–")
        for c, dtype in df.schema.items()
    )
    return text.select(formatted(text[c], md_escape) for c in text.columns)


def text_table(df: pl.DataFrame, name: str, key: str, lang: str | None = None) -> None:
    """A few rows of sentences (open bottlenecks) in full: a static table wraps text a data grid cuts off.

    Dates as 17-12-2021, empty cells "–", spreadsheet text escaped so it shows literally; the same downloads.
    """
    st.table(memo.derived(df, "text_table", lambda: _text_cells(df)), hide_index=True)
    download_buttons(df, name, key, lang)


def chart(figure: alt.TopLevelMixin, data: pl.DataFrame | None = None, name: str = "grafiek", key: str = "chart",
          lang: str | None = None) -> None:
    """A themed chart, its finding as alt text, and the data behind it in an expander (with downloads).

    The expander keeps its open/closed state (key `<key>_data`) and its table is drawn only while it is open:
    a closed one shows nothing of it, and a table with its two download buttons is most of what a chart costs
    on every rerun of a page. Opening it reruns the page, which then draws the table.
    """
    lang = _lang(lang)
    spec = theme.localise_spec(vega_lite_spec(figure), lang)
    description = spec.get("description") or ""
    st.vega_lite_chart(spec, theme=None, width="stretch")
    if description and description != _title_text(spec):
        # a finding the chart does not show as its title is said under it; one it shows is not said twice
        # (screen readers get the description as the chart's accessible name either way)
        st.caption(md_escape(description), help=None)
    if data is not None:
        box = st.expander(t("chart.data_behind", lang), icon=":material/table:", key=f"{key}_data", on_change="rerun")
        if box.open is not False:  # (None would mean no state tracking: then draw it, as before)
            with box:
                table(data, name, key=f"{key}_data", lang=lang)


def _title_text(spec: Mapping) -> str | None:
    title = spec.get("title")
    return title.get("text") if isinstance(title, Mapping) else title


_VALIDATED: OrderedDict[str, None] = OrderedDict()  # digests of specs that passed schema validation
_VALIDATED_MAX = 512
_SPECS: OrderedDict[int, tuple[alt.TopLevelMixin, dict]] = OrderedDict()  # id(figure) -> (figure, its spec)
# Altair's data transformers are process-global and Streamlit serves sessions in threads: share the lock
# st.altair_chart takes around the same switch (slides/view.py still draws through it).
_ALTAIR_LOCK = getattr(_vega_charts, "_altair_globals_lock", None) or threading.Lock()


def _arrow_dataset(data, datasets: dict[str, bytes]) -> dict[str, str]:
    """Altair data transformer: the chart's data as Arrow IPC bytes under a content-hash name (as st.altair_chart does)."""
    from streamlit import dataframe_util

    raw = dataframe_util.convert_anything_to_arrow_bytes(data)
    name = hashlib.sha256(raw).hexdigest()[:32]
    datasets[name] = raw
    return {"name": name}


alt.data_transformers.register("stuurhut_arrow", _arrow_dataset)
# the app's pages call the builders on every rerun: the same rows give back the same chart (dashboard/memo.py)
memo.memoise_builders(vars(charts))


def vega_lite_spec(figure: alt.TopLevelMixin) -> dict:
    """The chart's Vega-Lite spec with its data as Arrow datasets, schema-validated once per distinct spec.

    st.altair_chart validates the whole spec against the Vega-Lite JSON schema on every rerun, and reading
    the description with to_dict() did so a second time: together most of a page's rerun. The same chart
    (same encodings, same data, so the same digest) is validated only the first time it is drawn.
    """
    with _ALTAIR_LOCK:
        hit = _SPECS.get(id(figure))
        if hit is not None and hit[0] is figure:  # the same (memoised) chart object as on the previous rerun
            _SPECS.move_to_end(id(figure))
            spec = hit[1]
        else:
            datasets: dict[str, bytes] = {}
            with alt.data_transformers.enable("stuurhut_arrow", datasets=datasets):
                spec = figure.to_dict(validate=False)
                digest = hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()
                if digest not in _VALIDATED:
                    figure.to_dict(validate=True)  # raises SchemaValidationError for a broken chart, as before
                    _VALIDATED[digest] = None
                    while len(_VALIDATED) > _VALIDATED_MAX:
                        _VALIDATED.popitem(last=False)
            spec["datasets"] = {**(spec.get("datasets") or {}), **datasets}
            _SPECS[id(figure)] = (figure, spec)  # holding the figure keeps its id from being reused
            while len(_SPECS) > _VALIDATED_MAX:
                _SPECS.popitem(last=False)
    return {**spec, "datasets": dict(spec["datasets"])}  # Streamlit takes the datasets out of the dict it gets


def start_screen(db: Path, reason: str = "missing") -> None:
    """The friendly first screen when there is no database or no data in it yet."""
    st.title(t("start.title"))
    st.write(t("start.intro"))
    st.info(t(f"start.{reason}", db=str(db)), icon=":material/database:")
    st.markdown(t("start.howto"))
    st.code(f"stuurhut demo --db {db}\nstuurhut load mijn-levering.xlsx --db {db}", language="bash")
    st.write(t("start.after"))
