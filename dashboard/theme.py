"""The one Altair theme of Stuurhut: calm colour-blind-safe colours, status colours with icons and words, Dutch formats."""

from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import polars as pl

from dashboard.queries.indicators import INFO_EN, INFO_NL, without_target

THEME_NAME = "stuurhut"
# Quoted: an unquoted family name may not start with a digit ("Source Sans 3"), and a canvas given such a font string
# keeps its default 10px sans-serif. Vega measured every label in that while the page drew it in 12px Source Sans, so
# long axis labels ("Overleggen van het minst actieve ontwikkelteam") ran past the chart's left edge and were cut
# off. "Source Sans" first: the web font Streamlit loads and draws chart text in.
FONT = '"Source Sans", "Source Sans Pro", "Source Sans 3", Helvetica, Arial, sans-serif'
TEXT = "#1b1f24"
MUTED = "#4d5761"  # 7.4:1 on white
GRID = "#e3e7eb"

# Okabe-Ito, ordered so the first colours stay apart for every common colour-vision deficiency; orange,
# sky blue and yellow darkened (yellow became ochre) so every mark has 3:1 against white (WCAG 1.4.11).
PALETTE = ("#0072B2", "#C07F00", "#3C8DC8", "#009E73", "#D55E00", "#CC79A7", "#8C6D31", "#000000")

# Likert scale, negative to positive: vermillion/orange, grey, sky/blue (a colour-blind-safe diverging pair).
# The neutral middle stays light grey on purpose (it is "no opinion", labelled in the legend and table);
# the four answers that carry a direction have 3:1 against white.
LIKERT_COLOURS = ("#B3470A", "#C07F00", "#BFC5CC", "#3C8DC8", "#0072B2")


@dataclass(frozen=True)
class Status:
    code: str
    colour: str  # text/marker colour with at least 4.5:1 contrast on white (WCAG AA)
    background: str  # light tint behind the badge text
    icon: str
    word_nl: str
    word_en: str
    badge: str  # st.badge colour name
    rank: int  # sort order: worst first

    def word(self, lang: str = "nl") -> str:
        return self.word_nl if lang == "nl" else self.word_en

    def label(self, lang: str = "nl") -> str:
        """Icon and word together, so the status never depends on colour alone: "✓ op koers"."""
        return f"{self.icon} {self.word(lang)}"


STATUSES: dict[str, Status] = {
    s.code: s
    for s in (
        Status("off_target", "#B3380A", "#FBE6DD", "✗", "uit koers", "off target", "red", 0),
        Status("at_risk", "#8A5A00", "#FFF1D6", "!", "risico", "at risk", "orange", 1),
        Status("on_target", "#00704F", "#DDF3EB", "✓", "op koers", "on target", "green", 2),
        Status("no_data", "#5C6670", "#ECEFF2", "–", "geen gegevens", "no data", "gray", 3),
    )
}
STATUS_ORDER = tuple(sorted(STATUSES, key=lambda c: STATUSES[c].rank))
# how an indicator without a target is shown (for_information); not a status the indicators API returns, so not
# in STATUSES (the charts' colour scales and the status counts)
INFO = Status("info", "#5C6670", "#ECEFF2", "–", INFO_NL, INFO_EN, "gray", 3)


def status(code: str | None) -> Status:
    if code == INFO.code:
        return INFO
    return STATUSES.get(code or "no_data", STATUSES["no_data"])


def for_information(row) -> bool:
    """indicators.without_target for an indicator row (a dict): shown "ter informatie", not judged."""
    return without_target(row.get("accrual"), row.get("status"))


def judged() -> pl.Expr:
    """Over indicator rows: the ones judged against a target (not without_target, shown "ter informatie")."""
    return ~((pl.col("accrual") == "none") & (pl.col("status") == "on_target"))


def shown_status(row) -> str:
    """The status code to show for an indicator row: "info" for one without a target, else its status."""
    return INFO.code if for_information(row) else (row.get("status") or "no_data")


# d3-format / d3-time-format locale definitions for nl-NL (as in d3's locale files), with a plain
# hyphen-minus so figures copied from a chart paste into Excel as numbers.
NL_NUMBER_LOCALE = {
    "decimal": ",",
    "thousands": ".",
    "grouping": [3],
    "currency": ["€ ", ""],
    "minus": "-",
}
NL_TIME_LOCALE = {
    "dateTime": "%a %e %B %Y %X",
    "date": "%d-%m-%Y",
    "time": "%H:%M:%S",
    "periods": ["AM", "PM"],
    "days": ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"],
    "shortDays": ["zo", "ma", "di", "wo", "do", "vr", "za"],
    "months": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
               "oktober", "november", "december"],
    "shortMonths": ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
}

# en-US (as in d3's locale files) for the English switch, with the euro sign and hyphen-minus the app uses.
EN_NUMBER_LOCALE = {
    "decimal": ".",
    "thousands": ",",
    "grouping": [3],
    "currency": ["€ ", ""],
    "minus": "-",
}
EN_TIME_LOCALE = {
    "dateTime": "%x, %X",
    "date": "%-m/%-d/%Y",
    "time": "%-I:%M:%S %p",
    "periods": ["AM", "PM"],
    "days": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
    "shortDays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
    "months": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"],
    "shortMonths": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}

# Format strings for encodings (d3-format / d3-time-format, rendered with the locale above).
FMT_COUNT = ",.0f"  # 12.500
FMT_EURO = "$,.0f"  # € 12.500
FMT_RATIO = ".0%"  # 78%
FMT_DATE = "%-d %B %Y"  # 17 december 2021
FMT_MONTH = "%b %Y"  # dec 2021


def number_format(unit: str) -> str:
    return {"euro": FMT_EURO, "ratio": FMT_RATIO}.get(unit, FMT_COUNT)


def theme() -> dict:
    """The theme as a Vega-Lite top-level fragment (merged into every chart's spec by Altair)."""
    axis = {
        "labelColor": MUTED,
        "titleColor": TEXT,
        "labelFont": FONT,
        "titleFont": FONT,
        "labelFontSize": 12,
        "titleFontSize": 12,
        "titleFontWeight": "normal",
        "gridColor": GRID,
        "domainColor": "#9aa4ae",
        "tickColor": "#9aa4ae",
        "labelLimit": 260,
    }
    return {
        "config": {
            # Screen readers get the chart's description (its finding, as the container's aria-label) and the
            # data table one click below it; Vega's own per-axis/per-mark labels are English, verbose, and
            # leave empty mark groups unlabelled (axe svg-img-alt), so they are switched off.
            "aria": False,
            "mark": {"aria": False},
            "font": FONT,
            "background": "#ffffff",
            # fit the container width without clipping long axis labels
            "autosize": {"type": "fit-x", "contains": "padding"},
            "view": {"stroke": None, "continuousWidth": 400, "continuousHeight": 260},
            "title": {
                "anchor": "start",
                "font": FONT,
                "fontSize": 16,
                "fontWeight": 600,
                "color": TEXT,
                "subtitleColor": MUTED,
                "subtitleFont": FONT,
                "subtitleFontSize": 13,
                "offset": 12,
            },
            "axis": axis,
            "axisBand": {"grid": False, "ticks": False},
            "legend": {
                "labelColor": TEXT,
                "titleColor": TEXT,
                "labelFont": FONT,
                "titleFont": FONT,
                "labelFontSize": 12,
                "titleFontSize": 12,
                "orient": "bottom",
                "direction": "horizontal",
                # room between entries; long kinds were cut at 160 px. Five entries a row: a status legend (five
                # statuses) on one line; nine partner kinds in one row ran past the chart's right edge
                # ("maatschappelijke organisatie", "overig" cut off)
                "columnPadding": 24,
                "labelLimit": 260,
                "columns": 5,
            },
            "header": {"labelFont": FONT, "titleFont": FONT, "labelColor": TEXT, "labelFontSize": 13},
            "range": {"category": list(PALETTE), "ordinal": list(LIKERT_COLOURS)},
            "bar": {"color": PALETTE[0], "cornerRadiusEnd": 2},
            "line": {"color": PALETTE[0], "strokeWidth": 2},
            "point": {"color": PALETTE[0], "filled": True, "size": 60},
            "text": {"font": FONT, "color": TEXT, "fontSize": 12},
            "rule": {"color": MUTED},
            # Dutch decimal comma, thousands point, euro sign and month names in axes and tooltips.
            "locale": {"number": NL_NUMBER_LOCALE, "time": NL_TIME_LOCALE},
        },
        # vega-embed (Streamlit's renderer) reads these too; kept for renderers that ignore config.locale.
        # SVG rather than canvas: axis labels stay text that screen readers and browser tests can read.
        "usermeta": {"embedOptions": {"formatLocale": NL_NUMBER_LOCALE, "timeFormatLocale": NL_TIME_LOCALE,
                                      "renderer": "svg"}},
    }


def localise_spec(spec: dict, lang: str = "nl") -> dict:
    """The Vega-Lite spec with the axis/tooltip number and date locale of `lang` (the theme carries nl-NL).

    The theme is one per process, but the language is chosen per session: English pages get en-US here,
    on a copy (the spec may be a cached one shared by every session).
    """
    if lang != "en":
        return spec
    usermeta = dict(spec.get("usermeta") or {})
    usermeta["embedOptions"] = {**(usermeta.get("embedOptions") or {}), "formatLocale": EN_NUMBER_LOCALE,
                                "timeFormatLocale": EN_TIME_LOCALE}
    config = {**(spec.get("config") or {}), "locale": {"number": EN_NUMBER_LOCALE, "time": EN_TIME_LOCALE}}
    return {**spec, "config": config, "usermeta": usermeta}


def enable() -> None:
    """Register and enable the theme (idempotent; Altair keeps one theme per process)."""
    if THEME_NAME not in alt.theme.names():
        alt.theme.register(THEME_NAME, enable=False)(theme)
    alt.theme.enable(THEME_NAME)


enable()
