"""Where things go on a 16:9 slide, in inches from the top left: one layout shared by the PowerPoint and PDF renderers."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import reportlab
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from dashboard import theme
from dashboard.slides.model import Slide

FONT, BOLD = "StuurhutSans", "StuurhutSans-Bold"
PAGE_W = 13.333
PAGE_H = 7.5
MARGIN = 0.5
GAP = 0.25

# Colours of our own template (hex RGB).
NAVY = "1F3A5F"
ACCENT = "E07B00"
INK = "1F2328"
GREY = "5F6368"
LIGHT = "F3F5F8"
RULE = "C9D1DC"
WHITE = "FFFFFF"
# The dashboard's colour-blind-safe palette (Okabe-Ito, dashboard/theme.py), without yellow and black.
SERIES = tuple(c.lstrip("#").upper() for c in theme.PALETTE if c not in ("#F0E442", "#000000"))
# Waterfall: totals, increases, decreases (dark enough to carry white labels).
WF_TOTAL, WF_UP, WF_DOWN = NAVY, "00704F", "B3380A"


def series_colour(spec, i: int) -> str:
    """The colour of series i: the chart's own colours where given (e.g. status colours), else the palette."""
    return spec.colours[i] if i < len(spec.colours) else SERIES[i % len(SERIES)]


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float


TITLE = Box(MARGIN, 0.25, PAGE_W - 2 * MARGIN, 0.8)
SUBTITLE = Box(MARGIN, 1.1, PAGE_W - 2 * MARGIN, 0.38)
ACCENT_Y = 1.55
BODY_TOP = 1.78
SOURCE_SIZE = 8.5
MAX_SOURCE_LINES = 3
FOOTER_RULE_Y = 6.95
FOOTER = Box(MARGIN, 7.0, PAGE_W - 2 * MARGIN, 0.3)

# Title slide.
COVER_TITLE = Box(0.9, 2.0, PAGE_W - 1.8, 1.5)
COVER_ACCENT = Box(0.9, 3.6, 2.5, 0.06)
COVER_SUBTITLE = Box(0.9, 3.8, PAGE_W - 1.8, 1.4)
COVER_FOOTER = Box(0.9, 6.8, PAGE_W - 1.8, 0.35)

CARD_H_WITH_CONTENT = 1.75
CARD_H_MAX = 2.0
CARDS_PER_ROW = 4
CARD_COLUMN_W = 3.0


@dataclass(frozen=True)
class ContentLayout:
    cards: list[Box]
    chart: Box | None
    table: Box | None
    bullets: Box | None


def source_lines(slide: Slide) -> list[str]:
    """The slide's sources as lines above the footer: one source a line when that fits in two lines,
    else run together; at most three lines (the speaker notes always list every source in full)."""
    width = (PAGE_W - 2 * MARGIN) * 72
    if not slide.sources:
        return []
    lines = [ln for src in slide.sources for ln in wrap(src, False, SOURCE_SIZE, width)]
    if len(lines) > 2:
        lines = wrap("; ".join(slide.sources), False, SOURCE_SIZE, width)
    if len(lines) > MAX_SOURCE_LINES:
        lines = lines[:MAX_SOURCE_LINES]
        lines[-1] = lines[-1].rstrip(" ;") + " … (alle bronnen in de notities)"
    return lines


def sources_box(slide: Slide) -> Box | None:
    n = len(source_lines(slide))
    if not n:
        return None
    h = n * SOURCE_SIZE * LINE / 72 + 0.06
    return Box(MARGIN, FOOTER_RULE_Y - 0.06 - h, PAGE_W - 2 * MARGIN, h)


def body_bottom(slide: Slide) -> float:
    box = sources_box(slide)
    return (box.y - 0.1) if box else (FOOTER_RULE_Y - 0.15)


def content_layout(slide: Slide) -> ContentLayout:
    """KPI cards in rows on top (one or two cards beside other content: a column on the left);
    then chart, table and bullets side by side (weights 3:3:2)."""
    top, bottom = BODY_TOP, body_bottom(slide)
    left, width = MARGIN, PAGE_W - 2 * MARGIN
    cards: list[Box] = []
    has_rest = slide.chart is not None or slide.table is not None or bool(slide.bullets)
    n = len(slide.kpis)
    if n and has_rest and n <= 2:
        card_h = min(CARD_H_WITH_CONTENT, (bottom - top - GAP * (n - 1)) / n)
        cards = [Box(MARGIN, top + i * (card_h + GAP), CARD_COLUMN_W, card_h) for i in range(n)]
        left, width = MARGIN + CARD_COLUMN_W + GAP, width - CARD_COLUMN_W - GAP
    elif n:
        per_row = min(CARDS_PER_ROW, n)
        rows = math.ceil(n / per_row)
        if has_rest:
            card_h = CARD_H_WITH_CONTENT if rows == 1 else 1.45
        else:
            card_h = min(CARD_H_MAX, (bottom - top - GAP * (rows - 1)) / rows)
        card_w = (width - GAP * (per_row - 1)) / per_row
        for i in range(n):
            r, c = divmod(i, per_row)
            cards.append(Box(MARGIN + c * (card_w + GAP), top + r * (card_h + GAP), card_w, card_h))
        top += rows * card_h + (rows - 1) * GAP + GAP
    panels = [(name, weight) for name, weight, present in (
        ("chart", 3, slide.chart is not None),
        ("table", 3, slide.table is not None),
        ("bullets", 2, bool(slide.bullets)),
    ) if present]
    boxes: dict[str, Box] = {}
    if panels:
        total = sum(w for _, w in panels)
        free = width - GAP * (len(panels) - 1)
        x = left
        for name, weight in panels:
            w = free * weight / total
            boxes[name] = Box(x, top, w, max(bottom - top, 0.5))
            x += w + GAP
    return ContentLayout(cards, boxes.get("chart"), boxes.get("table"), boxes.get("bullets"))


def _luminance(hex_: str) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def label_colour(fill: str) -> str:
    """White on a fill where white reaches 4.5:1 contrast, else dark ink."""
    return WHITE if 1.05 / (_luminance(fill) + 0.05) >= 4.5 else INK


def waterfall_colour(step: float | None, is_total: bool) -> str:
    return WF_TOTAL if is_total else (WF_UP if (step or 0.0) >= 0 else WF_DOWN)


def bullet_font_size(box: Box, count: int) -> float:
    if box.w > 8:
        return 20 if count <= 6 else 18
    return 16 if count <= 5 else 14


CELL_PAD_X = 0.08  # inches, left and right inside a table cell
LINE = 1.22  # line height as a multiple of the font size


def cell_pad_y(size: float) -> float:
    """Top and bottom padding of a table cell, in points."""
    return size * 0.45


def _column_needs(headers: list[str], rows: list[list[str]], size: float) -> tuple[list[float], list[float]]:
    """Per column, in points: the longest word (no word may break) and the longest text, padding included."""
    pad = 2 * CELL_PAD_X * 72 + 2  # plus a little slack for rounding
    mins, nats = [], []
    for c, header in enumerate(headers):
        cells = [(header, True)] + [(r[c], False) for r in rows if c < len(r)]
        mins.append(max(max((text_width(w, b, size) for w in t.split()), default=0) for t, b in cells) + pad)
        nats.append(max(text_width(t, b, size) for t, b in cells) + pad)
    return mins, nats


def table_column_widths(headers: list[str], rows: list[list[str]], width: float, size: float) -> list[float]:
    """Column widths in inches: every column at least as wide as its longest word (so no word is
    broken), the rest of the width shared in proportion to how much more each column's text needs."""
    mins, nats = _column_needs(headers, rows, size)
    total = width * 72
    if sum(nats) <= total:
        widths = [n * total / sum(nats) for n in nats]
    elif sum(mins) >= total:
        widths = [m * total / sum(mins) for m in mins]
    else:
        extra = [n - m for n, m in zip(nats, mins, strict=True)]
        widths = [m + (total - sum(mins)) * e / sum(extra) for m, e in zip(mins, extra, strict=True)]
    return [w / 72 for w in widths]


@dataclass(frozen=True)
class TableFit:
    size: float  # font size in points
    widths: list[float]  # inches
    heights: list[float]  # inches, header row first
    fits: bool


def fit_table(headers: list[str], rows: list[list[str]], box: Box) -> TableFit:
    """The largest font size (14 down to 9 pt) at which no word breaks and the wrapped rows fit the box
    height; the renderers draw the table with exactly these widths and heights."""
    fit = None
    for size in (14, 13, 12, 11, 10.5, 10, 9.5, 9):
        mins, _ = _column_needs(headers, rows, size)
        widths = table_column_widths(headers, rows, box.w, size)
        heights = []
        for r, cells in enumerate([headers, *rows]):
            lines = max(len(wrap(cells[c] if c < len(cells) else "", r == 0, size, widths[c] * 72 - 2 * CELL_PAD_X * 72))
                        for c in range(len(headers)))
            heights.append((lines * size * LINE + 2 * cell_pad_y(size)) / 72)
        fit = TableFit(size, widths, heights, sum(heights) <= box.h and sum(mins) <= box.w * 72)
        if fit.fits:
            return fit
    return fit  # type: ignore[return-value]


def wrap(text: str, bold: bool, size: float, width_pt: float) -> list[str]:
    register_fonts()
    return simpleSplit(text, BOLD if bold else FONT, size, width_pt) or [""]


def register_fonts() -> None:
    """Bitstream Vera ships inside reportlab: embedded Unicode text (€, ë, –) on any machine, and
    metrics a little wider than Calibri, so widths measured with it also hold in PowerPoint."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    fonts = Path(reportlab.__file__).parent / "fonts"
    pdfmetrics.registerFont(TTFont(FONT, str(fonts / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(BOLD, str(fonts / "VeraBd.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


def text_width(text: str, bold: bool, size: float) -> float:
    """Width in points of text in the deck's font."""
    register_fonts()
    return pdfmetrics.stringWidth(text, BOLD if bold else FONT, size)
