"""The directors' deck as plain data (no streamlit, no rendering) plus the Dutch formatting both renderers share."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from dashboard import theme
from dashboard.format import fmt_date, fmt_number, fmt_value

Status = Literal["on_target", "at_risk", "off_target", "no_data", "info"]
NumberFormat = Literal["count", "euro", "ratio", "score"]
ChartKind = Literal["bar", "column", "stacked_bar", "line", "waterfall"]
Align = Literal["left", "right", "center"]
SlideKind = Literal["title", "content"]

STATUSES: tuple[str, ...] = ("on_target", "at_risk", "off_target", "no_data", "info")  # info: no target

# Status is always shown as colour + icon + word, never colour alone (WCAG 1.4.1); the words, icons and
# colours are the dashboard's own (dashboard/theme.py), so a slide says what the page says.
STATUS_WORD: dict[str, str] = {code: theme.status(code).word_nl for code in STATUSES}
STATUS_ICON: dict[str, str] = {code: theme.status(code).icon for code in STATUSES}
STATUS_COLOUR: dict[str, str] = {code: theme.status(code).colour.lstrip("#").upper() for code in STATUSES}

# PowerPoint number-format codes: ',' and '.' in a code mean "thousands" and "decimal" and are shown
# with the viewer's separators, so a Dutch PowerPoint shows 12.500 / € 12.500 / 78%.
PPTX_NUMBER_FORMAT: dict[str, str] = {"count": "#,##0", "euro": '"€" #,##0', "ratio": "0%", "score": "0.0"}



@dataclass(frozen=True)
class Kpi:
    label: str
    value_text: str
    target_text: str = ""
    status: Status = "no_data"
    change_text: str = ""


@dataclass(frozen=True)
class ChartSpec:
    """A category chart; for a waterfall, `series` holds one series of steps and `totals` the indices
    of bars that stand on zero (their value is the running total shown there)."""

    kind: ChartKind
    categories: list[str]
    series: list[tuple[str, list[float | None]]]
    number_format: NumberFormat = "count"
    alt_text: str = ""
    totals: tuple[int, ...] = ()
    colours: tuple[str, ...] = ()  # hex RGB per series (meaningful colours, e.g. status); default: the palette


@dataclass(frozen=True)
class TableSpec:
    headers: list[str]
    rows: list[list[str]]
    align: list[Align] = field(default_factory=list)

    def alignment(self, col: int) -> Align:
        return self.align[col] if col < len(self.align) else "left"


@dataclass
class Slide:
    title: str
    kind: SlideKind = "content"
    subtitle: str = ""
    bullets: list[str] = field(default_factory=list)
    kpis: list[Kpi] = field(default_factory=list)
    chart: ChartSpec | None = None
    table: TableSpec | None = None
    notes: str = ""
    sources: list[str] = field(default_factory=list)


@dataclass
class Deck:
    deal_code: str
    deal_name: str
    as_of: date | None
    slides: list[Slide] = field(default_factory=list)

    @property
    def peildatum_text(self) -> str:
        return dutch_date(self.as_of) if self.as_of else "onbekend"

    @property
    def document_title(self) -> str:
        return f"Directeurenoverleg {self.deal_name} – peildatum {self.peildatum_text}"


def dutch_date(d: date) -> str:
    return fmt_date(d, "nl")


def format_value(value: float | None, number_format: NumberFormat) -> str:
    """Dutch display text as on the dashboard: 12.500, € 12.500, -€ 1.200, 78%; '–' for no value."""
    if number_format == "euro" and value is not None:
        value = round(value)  # whole euros on slides
    if number_format == "score":
        return fmt_number(value, 1, "nl")  # a mean on a 1-5 scale: 3,8
    return fmt_value(value, number_format, "nl")


_DUTCH_NUMBER = re.compile(r"^[-+]?\s?(€\s?)?[-+]?\d[\d.]*(,\d+)?\s?%?$")


def neutralise(text: str) -> str:
    """Cells that a spreadsheet would run as a formula (= + - @, tab, CR) get a leading apostrophe
    when pasted from the deck into Excel; plain Dutch numbers such as '-12.500' stay as they are."""
    if text and text[0] in "=+-@\t\r" and not _DUTCH_NUMBER.match(text):
        return "'" + text
    return text


def status_label(status: str) -> str:
    return f"{STATUS_ICON[status]} {STATUS_WORD[status]}"


def waterfall_segments(values: list[float | None], totals: tuple[int, ...]) -> tuple[list[float], list[float]]:
    """(invisible base, visible bar) per category: a total stands on zero, a step floats from the
    running total (a decrease hangs down from it). Like every stacked-column waterfall, this assumes the
    running total stays at or above zero."""
    base: list[float] = []
    bar: list[float] = []
    running = 0.0
    for i, raw in enumerate(values):
        v = float(raw or 0.0)
        if i in totals:
            running = v
            base.append(0.0)
            bar.append(v)
            continue
        start, end = running, running + v
        base.append(min(start, end))
        bar.append(abs(v))
        running = end
    return base, bar


CHART_NOUN = {
    "bar": "Staafdiagram",
    "column": "Kolomdiagram",
    "stacked_bar": "Gestapeld staafdiagram",
    "line": "Lijndiagram",
    "waterfall": "Watervaldiagram",
}


def chart_alt_text(spec: ChartSpec) -> str:
    """The given alt text followed by the figures themselves, so a screen-reader user gets the data too."""
    parts = [spec.alt_text.strip().rstrip(".") or CHART_NOUN[spec.kind]]
    for name, values in spec.series:
        pairs = ", ".join(f"{c} {format_value(v, spec.number_format)}" for c, v in zip(spec.categories, values, strict=False))
        parts.append(f"{name}: {pairs}")
    return ". ".join(parts) + "."


def notes_text(deck: Deck, slide: Slide) -> str:
    """Speaker notes: the slide's own notes, where its figures come from and what changed since the
    previous delivery. Never empty, so a presenter always sees the basis of a slide."""
    parts: list[str] = []
    if slide.notes.strip():
        parts.append(slide.notes.strip())
    if slide.kind == "title" and not parts:
        parts.append(
            f"Overzicht voor het directeurenoverleg van {deck.deal_name} ({deck.deal_code}), "
            f"peildatum {deck.peildatum_text}. Alle cijfers komen uit de leveringen die in Stuurhut zijn geladen."
        )
    if slide.sources:
        parts.append("Bronnen:\n" + "\n".join(f"- {s}" for s in slide.sources))
    changes = [f"- {k.label}: {k.change_text}" for k in slide.kpis if k.change_text]
    if changes:
        parts.append("Verandering sinds de vorige levering:\n" + "\n".join(changes))
    if slide.kind != "title" and not slide.sources:
        parts.append("Bronnen: geen (deze dia toont geen geleverde cijfers).")
    return "\n\n".join(parts)
