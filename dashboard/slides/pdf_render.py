"""Deck -> PDF with reportlab: the same 16:9 slides page for page, charts drawn as vectors, no system packages needed."""

from __future__ import annotations

import io
import math
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, Table, TableStyle

from dashboard.slides import layout as L
from dashboard.slides.model import (
    STATUS_COLOUR,
    STATUS_WORD,
    ChartSpec,
    Deck,
    Kpi,
    Slide,
    TableSpec,
    format_value,
    neutralise,
    waterfall_segments,
)

PT = 72.0  # points per inch
PAGE = (L.PAGE_W * PT, L.PAGE_H * PT)
FONT, BOLD = L.FONT, L.BOLD
LEADING = 1.22


def _c(hex_: str) -> HexColor:
    return HexColor("#" + hex_)


def _y(top_in: float) -> float:
    """Inches from the top -> points from the bottom (reportlab's origin)."""
    return (L.PAGE_H - top_in) * PT


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    return simpleSplit(text, font, size, width) or [""]


def _text_block(c: Canvas, x: float, top: float, width: float, text: str, font: str, size: float,
                colour: str, align: str = "left", max_lines: int | None = None) -> float:
    """Draw wrapped lines from `top` (points, page coordinates) downwards; return the y below them."""
    lines = _wrap(text, font, size, width)
    if max_lines and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip() + "…"
    c.setFont(font, size)
    c.setFillColor(_c(colour))
    y = top
    for line in lines:
        y -= size * LEADING
        baseline = y + size * 0.25
        if align == "right":
            c.drawRightString(x + width, baseline, line)
        elif align == "center":
            c.drawCentredString(x + width / 2, baseline, line)
        else:
            c.drawString(x, baseline, line)
    return y


def _rect_box(b: L.Box) -> tuple[float, float, float, float]:
    return b.x * PT, _y(b.y + b.h), b.w * PT, b.h * PT


# --- slide furniture -----------------------------------------------------------------------------


def _title(c: Canvas, text: str, box: L.Box, colour: str, size: float) -> None:
    """Bottom-aligned in its box like the PowerPoint title; shrinks rather than overflow."""
    width = box.w * PT
    while size > 16 and len(_wrap(text, BOLD, size, width)) * size * LEADING > box.h * PT:
        size -= 2
    lines = _wrap(text, BOLD, size, width)
    top = _y(box.y + box.h) + len(lines) * size * LEADING
    _text_block(c, box.x * PT, top, width, text, BOLD, size, colour)


def _title_size(text: str) -> float:
    return 28 if len(text) <= 60 else 24 if len(text) <= 85 else 20


def _footer(c: Canvas, deck: Deck, number: int) -> None:
    c.setStrokeColor(_c(L.RULE))
    c.setLineWidth(0.75)
    c.line(L.MARGIN * PT, _y(L.FOOTER_RULE_Y), (L.PAGE_W - L.MARGIN) * PT, _y(L.FOOTER_RULE_Y))
    third = L.FOOTER.w * PT / 3
    x0, top = L.FOOTER.x * PT, _y(L.FOOTER.y)
    _text_block(c, x0, top, third, f"{deck.deal_code} · {deck.deal_name}", FONT, 10, L.GREY)
    _text_block(c, x0 + third, top, third, f"Peildatum {deck.peildatum_text}", FONT, 10, L.GREY, "center")
    _text_block(c, x0 + 2 * third, top, third, str(number), FONT, 10, L.GREY, "right")


def _cover(c: Canvas, deck: Deck, spec: Slide) -> None:
    c.setFillColor(_c(L.NAVY))
    c.rect(0, 0, PAGE[0], PAGE[1], stroke=0, fill=1)
    _title(c, spec.title or deck.deal_name, L.COVER_TITLE, L.WHITE, 40)
    c.setFillColor(_c(L.ACCENT))
    c.rect(*_rect_box(L.COVER_ACCENT), stroke=0, fill=1)
    x, w = L.COVER_SUBTITLE.x * PT, L.COVER_SUBTITLE.w * PT
    y = _text_block(c, x, _y(L.COVER_SUBTITLE.y), w, "Directeurenoverleg", BOLD, 24, L.WHITE)
    y = _text_block(c, x, y - 4, w, f"Peildatum {deck.peildatum_text}", FONT, 20, "DCE3EC")
    if spec.subtitle:
        _text_block(c, x, y - 10, w, spec.subtitle, FONT, 16, "DCE3EC")
    _text_block(c, L.COVER_FOOTER.x * PT, _y(L.COVER_FOOTER.y), L.COVER_FOOTER.w * PT,
                f"{deck.deal_code} · gemaakt met Stuurhut", FONT, 11, "B8C4D3")


def _status_icon(c: Canvas, status: str, x: float, baseline: float, size: float) -> float:
    """The status icon drawn as vectors (the embedded font has no ✓/✗); returns its width."""
    colour = _c(STATUS_COLOUR[status])
    c.saveState()
    c.setStrokeColor(colour)
    c.setFillColor(colour)
    c.setLineWidth(size * 0.14)
    c.setLineCap(1)
    c.setLineJoin(1)
    s, b = size * 0.8, baseline
    if status == "on_target":
        p = c.beginPath()
        p.moveTo(x, b + s * 0.45)
        p.lineTo(x + s * 0.35, b + s * 0.1)
        p.lineTo(x + s, b + s * 0.85)
        c.drawPath(p, stroke=1, fill=0)
    elif status == "off_target":
        c.line(x + s * 0.1, b + s * 0.05, x + s * 0.9, b + s * 0.85)
        c.line(x + s * 0.1, b + s * 0.85, x + s * 0.9, b + s * 0.05)
    elif status == "at_risk":
        c.setFont(BOLD, size)
        c.drawString(x + s * 0.3, b, "!")
    else:
        c.setFont(BOLD, size)
        c.drawString(x + s * 0.1, b, "–")
    c.restoreState()
    return s + size * 0.35


def _kpi_card(c: Canvas, box: L.Box, kpi: Kpi) -> None:
    x, y, w, h = _rect_box(box)
    colour = STATUS_COLOUR[kpi.status]
    c.setFillColor(_c(L.LIGHT))
    c.setStrokeColor(_c(L.RULE))
    c.setLineWidth(0.75)
    c.roundRect(x, y, w, h, 0.06 * min(w, h), stroke=1, fill=1)
    c.setFillColor(_c(colour))
    c.rect(x + 0.02 * PT, y + 0.12 * PT, 0.07 * PT, h - 0.24 * PT, stroke=0, fill=1)
    left, inner = x + 0.22 * PT, w - 0.34 * PT
    top = y + h - 0.1 * PT
    compact = box.h < 1.6
    top = _text_block(c, left, top, inner, kpi.label, FONT, 11, L.GREY, max_lines=2)
    top = _text_block(c, left, top - 2, inner, kpi.value_text, BOLD, 24 if compact else 28, L.INK, max_lines=1)
    size = 12
    baseline = top - 2 - size * LEADING + size * 0.25
    icon_w = _status_icon(c, kpi.status, left, baseline, size)
    c.setFont(BOLD, size)
    c.setFillColor(_c(colour))
    c.drawString(left + icon_w, baseline, STATUS_WORD[kpi.status])
    top -= 2 + size * LEADING
    for line in filter(None, [f"Doel: {kpi.target_text}" if kpi.target_text else "", kpi.change_text]):
        top = _text_block(c, left, top - 1, inner, line, FONT, 10, L.GREY, max_lines=1 if compact else 2)


def _bullets(c: Canvas, box: L.Box, bullets: list[str]) -> None:
    size = L.bullet_font_size(box, len(bullets))
    x, top, w = box.x * PT, _y(box.y), box.w * PT
    indent = 0.28 * PT
    for i, text in enumerate(bullets):
        if i:
            top -= 8
        c.setFont(FONT, size)
        c.setFillColor(_c(L.ACCENT))
        c.drawString(x, top - size * LEADING + size * 0.25, "•")
        top = _text_block(c, x + indent, top, w - indent, text, FONT, size, L.INK)


def _sources(c: Canvas, slide: Slide) -> None:
    box = L.sources_box(slide)
    c.setFont(FONT, L.SOURCE_SIZE)
    c.setFillColor(_c(L.GREY))
    y = _y(box.y) - 0.03 * PT
    for line in L.source_lines(slide):
        y -= L.SOURCE_SIZE * L.LINE
        c.drawString(box.x * PT, y + L.SOURCE_SIZE * 0.25, line)


# --- tables --------------------------------------------------------------------------------------


def _table(c: Canvas, box: L.Box, spec: TableSpec) -> None:
    fit = L.fit_table(spec.headers, spec.rows, box)
    size = fit.size
    align = {"left": TA_LEFT, "right": TA_RIGHT, "center": TA_CENTER}

    def para(text: str, col: int, header: bool) -> Paragraph:
        style = ParagraphStyle(
            f"c{col}{header}", fontName=BOLD if header else FONT, fontSize=size, leading=size * L.LINE,
            textColor=_c(L.WHITE if header else L.INK), alignment=align[spec.alignment(col)],
        )
        return Paragraph(escape(text), style)

    data = [[para(h, i, True) for i, h in enumerate(spec.headers)]]
    for row in spec.rows:
        cells = [neutralise(row[i]) if i < len(row) else "" for i in range(len(spec.headers))]
        data.append([para(t, i, False) for i, t in enumerate(cells)])
    widths = [w * PT for w in fit.widths]
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), _c(L.NAVY)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), L.CELL_PAD_X * PT),
        ("RIGHTPADDING", (0, 0), (-1, -1), L.CELL_PAD_X * PT),
        ("TOPPADDING", (0, 0), (-1, -1), L.cell_pad_y(size)),
        ("BOTTOMPADDING", (0, 0), (-1, -1), L.cell_pad_y(size)),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, _c(L.RULE)),
    ]
    style += [("BACKGROUND", (0, r), (-1, r), _c(L.LIGHT)) for r in range(2, len(data), 2)]
    table = Table(data, colWidths=widths, rowHeights=[h * PT for h in fit.heights], repeatRows=1)
    table.setStyle(TableStyle(style))
    _, height = table.wrapOn(c, box.w * PT, box.h * PT)
    table.drawOn(c, box.x * PT, _y(box.y) - height)


# --- charts --------------------------------------------------------------------------------------


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round axis ticks (1, 2, 2.5, 5 x 10^k) covering [lo, hi]."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / count
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    ticks, t = [], start
    while t < hi + step * 0.999:
        ticks.append(round(t, 10))
        t += step
    return ticks


def _chart_series(spec: ChartSpec) -> list[tuple[str, list[float | None]]]:
    if spec.kind == "waterfall":
        name, values = spec.series[0]
        base, bar = waterfall_segments(values, spec.totals)
        return [("Basis (onzichtbaar)", base), (name, bar)]
    return spec.series


def _value_range(spec: ChartSpec, series) -> tuple[float, float]:
    if spec.kind in ("stacked_bar", "waterfall"):
        sums = [sum((vs[i] or 0) for _, vs in series) for i in range(len(spec.categories))]
        lo, hi = min([0.0, *sums]), max([0.0, *sums])
    else:
        flat = [v for _, vs in series for v in vs if v is not None]
        lo, hi = min([0.0, *flat]), max([0.0, *flat])
    if spec.number_format == "ratio" and spec.kind != "waterfall":
        hi = max(hi, 1.0)
    return lo, hi


def _legend(c: Canvas, names: list[str], colours: list[str], x: float, y: float, w: float) -> None:
    size = 10
    widths = [pdfmetrics.stringWidth(n, FONT, size) + 22 for n in names]
    cx = x + (w - sum(widths)) / 2
    c.setFont(FONT, size)
    for i, (name, width) in enumerate(zip(names, widths, strict=True)):
        c.setFillColor(_c(colours[i]))
        c.rect(cx, y, 9, 9, stroke=0, fill=1)
        c.setFillColor(_c(L.INK))
        c.drawString(cx + 13, y + 1, name)
        cx += width


def _label(c: Canvas, text: str, x: float, y: float, size: float, colour: str, anchor: str,
           bold: bool = False) -> None:
    c.setFont(BOLD if bold else FONT, size)
    c.setFillColor(_c(colour))
    {"left": c.drawString, "right": c.drawRightString, "center": c.drawCentredString}[anchor](x, y, text)


def _chart(c: Canvas, box: L.Box, spec: ChartSpec) -> None:
    fmt = spec.number_format
    series = _chart_series(spec)
    visible = series[1:] if spec.kind == "waterfall" else series
    x0, y0, w, h = _rect_box(box)
    if len(visible) > 1:
        _legend(c, [n for n, _ in visible], [L.series_colour(spec, i) for i in range(len(visible))], x0, y0 + 2, w)
        y0, h = y0 + 22, h - 22
    lo, hi = _value_range(spec, series)
    ticks = nice_ticks(lo, hi)
    vmin, vmax = ticks[0], ticks[-1]
    n = len(spec.categories)
    label_size = 10 if n > 8 else 11
    horizontal = spec.kind in ("bar", "stacked_bar")
    tick_w = max(pdfmetrics.stringWidth(format_value(t, fmt), FONT, 10) for t in ticks)

    if horizontal:
        cat_w = min(w * 0.38, max(pdfmetrics.stringWidth(s, FONT, 11) for s in spec.categories) + 10)
        px, py, pw, ph = x0 + cat_w, y0 + 18, w - cat_w - tick_w / 2 - 30, h - 22
    else:
        px, py, pw, ph = x0 + tick_w + 8, y0 + 30, w - tick_w - 14, h - 40

    def vpos(v: float) -> float:
        span = (pw if horizontal else ph) * (v - vmin) / (vmax - vmin)
        return (px if horizontal else py) + span

    # gridlines and value ticks
    c.setLineWidth(0.6)
    for t in ticks:
        c.setStrokeColor(_c("E3E7ED"))
        p = vpos(t)
        if horizontal:
            c.line(p, py, p, py + ph)
            _label(c, format_value(t, fmt), p, py - 13, 10, L.GREY, "center")
        else:
            c.line(px, p, px + pw, p)
            _label(c, format_value(t, fmt), px - 6, p - 3.5, 10, L.GREY, "right")
    c.setStrokeColor(_c(L.RULE))
    c.setLineWidth(0.9)
    zero = vpos(max(vmin, min(0.0, vmax)))
    if horizontal:
        c.line(zero, py, zero, py + ph)
    else:
        c.line(px, zero, px + pw, zero)

    band = (ph if horizontal else pw) / n

    def band_start(i: int) -> float:
        # horizontal bars: first category on top, as in the PowerPoint version
        return py + ph - (i + 1) * band if horizontal else px + i * band

    for i, name in enumerate(spec.categories):
        if horizontal:
            lines = _wrap(name, FONT, 11, cat_w - 10)[:2]
            mid = band_start(i) + band / 2 + (len(lines) - 1) * 6.5 - 4
            for k, line in enumerate(lines):
                _label(c, line, px - 8, mid - k * 13, 11, L.INK, "right")
        else:
            lines = _wrap(name, FONT, label_size, band - 4)[:2]
            for k, line in enumerate(lines):
                _label(c, line, band_start(i) + band / 2, py - 14 - k * (label_size + 2), label_size, L.INK, "center")

    if spec.kind == "line":
        _draw_lines(c, spec, series, band_start, band, vpos)
        return
    stacked = spec.kind in ("stacked_bar", "waterfall")
    k = 1 if stacked else len(series)
    gap = 0.6 if spec.kind == "waterfall" else 0.8
    bar_w = band / (k + gap)
    for i in range(n):
        run = 0.0
        for s, (_, values) in enumerate(series):
            v = values[i]
            if v is None:
                continue
            # horizontal: the first series on top of its group, as PowerPoint draws a reversed category axis
            slot = 0 if stacked else (k - 1 - s if horizontal else s)
            start = band_start(i) + bar_w * gap / 2 + slot * bar_w
            a, b = (vpos(run), vpos(run + v)) if stacked else (vpos(0.0), vpos(v))
            run += v if stacked else 0.0
            colour = L.series_colour(spec, s)
            if spec.kind == "waterfall":
                if s == 0:
                    continue  # the invisible base
                colour = L.waterfall_colour(spec.series[0][1][i], i in spec.totals)
            c.setFillColor(_c(colour))
            lo_p, length = min(a, b), abs(b - a)
            if horizontal:
                c.rect(lo_p, start, length, bar_w, stroke=0, fill=1)
            else:
                c.rect(start, lo_p, bar_w, length, stroke=0, fill=1)
            _bar_label(c, spec, i, v, horizontal, start, bar_w, lo_p, length, label_size, L.label_colour(colour))


def _bar_label(c: Canvas, spec: ChartSpec, i: int, v: float, horizontal: bool, start: float,
               bar_w: float, lo_p: float, length: float, size: float, inside: str) -> None:
    if spec.kind == "waterfall":
        text = format_value(spec.series[0][1][i] or 0.0, spec.number_format)
    else:
        text = format_value(v, spec.number_format)
    text_w = pdfmetrics.stringWidth(text, BOLD, size)
    if spec.kind in ("stacked_bar", "waterfall"):
        fits = (length > text_w + 6) if horizontal else (length > size + 6 and bar_w > text_w + 4)
        if spec.kind == "stacked_bar" and not fits:
            return  # a sliver too thin to carry its number (PowerPoint crowds it; the data stays in the table)
        if horizontal:
            _label(c, text, lo_p + length / 2, start + bar_w / 2 - size * 0.35, size, inside, "center", True)
        elif fits:
            _label(c, text, start + bar_w / 2, lo_p + length - size - 3, size, inside, "center", True)
        else:
            _label(c, text, start + bar_w / 2, lo_p + length + 3, size, L.INK, "center")
        return
    if horizontal:
        _label(c, text, lo_p + length + 4, start + bar_w / 2 - size * 0.35, size, L.INK, "left")
    else:
        _label(c, text, start + bar_w / 2, lo_p + length + 3, size, L.INK, "center")


def _draw_lines(c: Canvas, spec: ChartSpec, series, band_start, band: float, vpos) -> None:
    """Only the first series carries labels: the others (targets, comparisons) are named in the legend."""
    for s, (_, values) in enumerate(series):
        colour = _c(L.series_colour(spec, s))
        points = [(band_start(i) + band / 2, vpos(v), v) for i, v in enumerate(values) if v is not None]
        c.setStrokeColor(colour)
        c.setLineWidth(2.5)
        c.setLineJoin(1)
        for (xa, ya, _), (xb, yb, _) in zip(points, points[1:], strict=False):
            c.line(xa, ya, xb, yb)
        for x, y, v in points:
            c.setFillColor(colour)
            c.circle(x, y, 3.5, stroke=0, fill=1)
            if s == 0:
                _label(c, format_value(v, spec.number_format), x, y + 8, 11, L.INK, "center")


# --- document ------------------------------------------------------------------------------------


def _content(c: Canvas, deck: Deck, spec: Slide, number: int) -> None:
    _title(c, spec.title, L.TITLE, L.NAVY, _title_size(spec.title))
    if spec.subtitle:
        _text_block(c, L.SUBTITLE.x * PT, _y(L.SUBTITLE.y), L.SUBTITLE.w * PT, spec.subtitle, FONT, 15, L.GREY,
                    max_lines=1)
    c.setFillColor(_c(L.ACCENT))
    c.rect(*_rect_box(L.Box(L.MARGIN, L.ACCENT_Y, 1.6, 0.05)), stroke=0, fill=1)
    lay = L.content_layout(spec)
    for box, kpi in zip(lay.cards, spec.kpis, strict=True):
        _kpi_card(c, box, kpi)
    if spec.chart is not None and lay.chart is not None:
        _chart(c, lay.chart, spec.chart)
    if spec.table is not None and lay.table is not None:
        _table(c, lay.table, spec.table)
    if spec.bullets and lay.bullets is not None:
        _bullets(c, lay.bullets, spec.bullets)
    if spec.sources:
        _sources(c, spec)
    _footer(c, deck, number)


def render_pdf(deck: Deck, path: str | Path) -> Path:
    path = Path(path)
    _write(deck, str(path))
    return path


def pdf_bytes(deck: Deck) -> bytes:
    """The PDF in memory (the Presentatie page's download)."""
    buffer = io.BytesIO()
    _write(deck, buffer)
    return buffer.getvalue()


def _write(deck: Deck, target) -> None:
    L.register_fonts()
    c = Canvas(target, pagesize=PAGE, lang="nl-NL", pageCompression=1)
    c.setTitle(deck.document_title)
    c.setSubject(f"Directeurenoverleg {deck.deal_code}")
    c.setAuthor("Stuurhut")
    c.setCreator("Stuurhut")
    c.setKeywords(f"City Deal, {deck.deal_code}, directeurenoverleg")
    c.setViewerPreference("DisplayDocTitle", "true")
    for number, spec in enumerate(deck.slides, start=1):
        key = f"dia{number}"
        c.bookmarkPage(key)
        c.addOutlineEntry(spec.title or deck.deal_name, key, level=0)
        if spec.kind == "title":
            _cover(c, deck, spec)
        else:
            _content(c, deck, spec, number)
        c.showPage()
    c.save()
