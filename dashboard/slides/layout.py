"""Where things go on a 16:9 slide, in inches from the top left: one layout shared by the PowerPoint and PDF renderers."""

from __future__ import annotations

import math
from dataclasses import dataclass

from dashboard.slides.model import Slide

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
SERIES = ("1F6FB2", "E07B00", "2E9E6A", "8E5AB5", "C0262D", "6B7785")


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float


TITLE = Box(MARGIN, 0.3, PAGE_W - 2 * MARGIN, 0.8)
SUBTITLE = Box(MARGIN, 1.05, PAGE_W - 2 * MARGIN, 0.38)
ACCENT_Y = 1.5
BODY_TOP = 1.72
SOURCES = Box(MARGIN, 6.5, PAGE_W - 2 * MARGIN, 0.36)
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


@dataclass(frozen=True)
class ContentLayout:
    cards: list[Box]
    chart: Box | None
    table: Box | None
    bullets: Box | None


def body_bottom(slide: Slide) -> float:
    return (SOURCES.y - 0.08) if slide.sources else (FOOTER_RULE_Y - 0.15)


def content_layout(slide: Slide) -> ContentLayout:
    """KPI cards in rows on top; below them chart, table and bullets side by side (weights 3:3:2)."""
    top, bottom = BODY_TOP, body_bottom(slide)
    width = PAGE_W - 2 * MARGIN
    cards: list[Box] = []
    has_rest = slide.chart is not None or slide.table is not None or bool(slide.bullets)
    n = len(slide.kpis)
    if n:
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
        x = MARGIN
        for name, weight in panels:
            w = free * weight / total
            boxes[name] = Box(x, top, w, max(bottom - top, 0.5))
            x += w + GAP
    return ContentLayout(cards, boxes.get("chart"), boxes.get("table"), boxes.get("bullets"))


def table_font_size(rows: int) -> float:
    """Smaller type for long tables so they still fit the body (a deck table should stay short)."""
    if rows <= 6:
        return 14
    if rows <= 9:
        return 12
    return 10.5
