"""Deck -> editable 16:9 PowerPoint: our own template drawn in code, native charts and tables, notes on every slide."""

from __future__ import annotations

import io
from pathlib import Path

import xlsxwriter
from lxml import etree
from pptx import Presentation
from pptx.chart import xlsx as pptx_chart_xlsx
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_MARKER_STYLE,
)
from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from dashboard.slides import layout as L
from dashboard.slides.model import (
    PPTX_NUMBER_FORMAT,
    STATUS_COLOUR,
    ChartSpec,
    Deck,
    Kpi,
    Slide,
    TableSpec,
    chart_alt_text,
    format_value,
    neutralise,
    notes_text,
    status_label,
    waterfall_segments,
)

CHART_TYPE = {
    "bar": XL_CHART_TYPE.BAR_CLUSTERED,
    "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
    "stacked_bar": XL_CHART_TYPE.BAR_STACKED,
    "line": XL_CHART_TYPE.LINE_MARKERS,
    "waterfall": XL_CHART_TYPE.COLUMN_STACKED,
}
ALIGN = {"left": PP_ALIGN.LEFT, "right": PP_ALIGN.RIGHT, "center": PP_ALIGN.CENTER}
LAYOUT_TITLE, LAYOUT_TITLE_ONLY = 0, 5
DECORATIVE_EXT = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
DECORATIVE_NS = "http://schemas.microsoft.com/office/drawing/2017/decorative"


class _TextOnlyWorkbook(xlsxwriter.Workbook):
    """The workbook python-pptx embeds behind every native chart, with text always written as text.

    python-pptx writes categories and series names with xlsxwriter's default write(), which turns text such
    as a survey theme "=HYPERLINK(...)" into a live formula that runs when someone edits the chart data in
    PowerPoint (spreadsheet formula injection, CWE-1236). The chart itself shows the same text either way.
    """

    def __init__(self, filename: object, options: dict | None = None) -> None:
        super().__init__(filename, {**(options or {}), "strings_to_formulas": False, "strings_to_urls": False})


pptx_chart_xlsx.Workbook = _TextOnlyWorkbook


def _rgb(hex_: str) -> RGBColor:
    return RGBColor.from_string(hex_)


def _box(b: L.Box) -> tuple[Emu, Emu, Emu, Emu]:
    return Inches(b.x), Inches(b.y), Inches(b.w), Inches(b.h)


def _style_run(run, size: float, colour: str, bold: bool = False) -> None:
    f = run.font
    f.size = Pt(size)
    f.bold = bold
    f.color.rgb = _rgb(colour)
    f.language_id = MSO_LANGUAGE_ID.DUTCH


def _add_paragraph(tf, text: str, size: float, colour: str, bold: bool = False,
                   align: PP_ALIGN = PP_ALIGN.LEFT, first: bool = False, space_before: float = 0):
    p = tf.paragraphs[0] if first else tf.add_paragraph()
    p.alignment = align
    if space_before:
        p.space_before = Pt(space_before)
    run = p.add_run()
    run.text = text
    _style_run(run, size, colour, bold)
    return p


def _textbox(slide, box: L.Box, text: str, size: float, colour: str, bold: bool = False,
             align: PP_ALIGN = PP_ALIGN.LEFT, anchor: MSO_ANCHOR = MSO_ANCHOR.TOP):
    shape = slide.shapes.add_textbox(*_box(box))
    tf = shape.text_frame
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    tf.vertical_anchor = anchor
    tf.margin_left = tf.margin_right = Inches(0.02)
    for i, line in enumerate(text.split("\n")):
        _add_paragraph(tf, line, size, colour, bold, align, first=i == 0)
    return shape


def _mark_decorative(shape) -> None:
    """PowerPoint's 'mark as decorative': screen readers skip pure ornaments such as rules and strips."""
    c_nv_pr = shape._element.find(".//" + qn("p:cNvPr"))
    ext_lst = etree.SubElement(c_nv_pr, qn("a:extLst"))
    ext = etree.SubElement(ext_lst, qn("a:ext"), uri=DECORATIVE_EXT)
    etree.SubElement(ext, f"{{{DECORATIVE_NS}}}decorative", nsmap={"adec": DECORATIVE_NS}, val="1")


def _rect(slide, box: L.Box, fill: str, shape_type=MSO_SHAPE.RECTANGLE, line: str | None = None):
    shape = slide.shapes.add_shape(shape_type, *_box(box))
    shape.fill.solid()
    shape.fill.fore_color.rgb = _rgb(fill)
    if line:
        shape.line.color.rgb = _rgb(line)
        shape.line.width = Pt(0.75)
    else:
        shape.line.fill.background()
    shape.shadow.inherit = False
    return shape


def _set_alt_text(graphic_frame, text: str) -> None:
    graphic_frame._element.nvGraphicFramePr.cNvPr.set("descr", text)


def _widen_template(prs) -> None:
    """The built-in template is 4:3; stretch its master and layout placeholders to 16:9 so slides a
    user adds later in PowerPoint still fit."""
    ratio = L.PAGE_W / 10.0
    prs.slide_width, prs.slide_height = Inches(L.PAGE_W), Inches(L.PAGE_H)
    for owner in [prs.slide_master, *prs.slide_layouts]:
        for ph in owner.placeholders:
            if ph.left is not None and ph.width is not None:
                ph.left, ph.width = int(ph.left * ratio), int(ph.width * ratio)


def _set_title(slide, box: L.Box, text: str, size: float, colour: str) -> None:
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = _box(box)
    tf = title.text_frame
    tf.clear()
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    tf.vertical_anchor = MSO_ANCHOR.BOTTOM
    tf.margin_left = tf.margin_right = Inches(0.02)
    p = tf.paragraphs[0]
    p.alignment = PP_ALIGN.LEFT
    run = p.add_run()
    run.text = text
    _style_run(run, size, colour, bold=True)


def _title_size(text: str) -> float:
    return 28 if len(text) <= 60 else 24 if len(text) <= 85 else 20


def _footer(slide, deck: Deck, number: int) -> None:
    rule = _rect(slide, L.Box(L.MARGIN, L.FOOTER_RULE_Y, L.PAGE_W - 2 * L.MARGIN, 0.01), L.RULE)
    _mark_decorative(rule)
    third = L.FOOTER.w / 3
    y, h = L.FOOTER.y, L.FOOTER.h
    _textbox(slide, L.Box(L.FOOTER.x, y, third, h), f"{deck.deal_code} · {deck.deal_name}", 10, L.GREY)
    _textbox(slide, L.Box(L.FOOTER.x + third, y, third, h), f"Peildatum {deck.peildatum_text}", 10, L.GREY,
             align=PP_ALIGN.CENTER)
    box = _textbox(slide, L.Box(L.FOOTER.x + 2 * third, y, third, h), "", 10, L.GREY, align=PP_ALIGN.RIGHT)
    _slide_number_field(box.text_frame.paragraphs[0], number)


def _slide_number_field(paragraph, number: int) -> None:
    """A real slide-number field, so the number stays right when slides are moved."""
    p = paragraph._p
    for r in p.findall(qn("a:r")):
        p.remove(r)
    fld = etree.SubElement(p, qn("a:fld"), id="{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}", type="slidenum")
    r_pr = etree.SubElement(fld, qn("a:rPr"), lang="nl-NL", sz="1000")
    fill = etree.SubElement(r_pr, qn("a:solidFill"))
    etree.SubElement(fill, qn("a:srgbClr"), val=L.GREY)
    etree.SubElement(fld, qn("a:t")).text = str(number)
    end = p.find(qn("a:endParaRPr"))
    if end is not None:  # endParaRPr must stay last
        p.remove(end)
        p.append(end)


def _cover(prs, deck: Deck, slide_spec: Slide):
    slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE])
    slide.background.fill.solid()
    slide.background.fill.fore_color.rgb = _rgb(L.NAVY)
    _set_title(slide, L.COVER_TITLE, slide_spec.title or deck.deal_name, 40, L.WHITE)
    sub = slide.placeholders[1]
    sub.left, sub.top, sub.width, sub.height = _box(L.COVER_SUBTITLE)
    tf = sub.text_frame
    tf.clear()
    tf.vertical_anchor = MSO_ANCHOR.TOP
    tf.margin_left = Inches(0.02)
    _add_paragraph(tf, "Directeurenoverleg", 24, L.WHITE, bold=True, first=True)
    _add_paragraph(tf, f"Peildatum {deck.peildatum_text}", 20, "DCE3EC", space_before=4)
    if slide_spec.subtitle:
        _add_paragraph(tf, slide_spec.subtitle, 16, "DCE3EC", space_before=10)
    accent = _rect(slide, L.COVER_ACCENT, L.ACCENT)
    _mark_decorative(accent)
    _textbox(slide, L.COVER_FOOTER, f"{deck.deal_code} · gemaakt met Stuurhut", 11, "B8C4D3")
    return slide


def _kpi_card(slide, box: L.Box, kpi: Kpi) -> None:
    card = _rect(slide, box, L.LIGHT, MSO_SHAPE.ROUNDED_RECTANGLE, line=L.RULE)
    card.adjustments[0] = 0.06
    tf = card.text_frame
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    tf.vertical_anchor = MSO_ANCHOR.TOP
    tf.margin_left, tf.margin_right = Inches(0.22), Inches(0.12)
    tf.margin_top, tf.margin_bottom = Inches(0.1), Inches(0.06)
    compact = box.h < 1.6
    colour = STATUS_COLOUR[kpi.status]
    _add_paragraph(tf, kpi.label, 11, L.GREY, first=True)
    _add_paragraph(tf, kpi.value_text, 24 if compact else 28, L.INK, bold=True, space_before=2)
    _add_paragraph(tf, status_label(kpi.status), 12, colour, bold=True, space_before=2)
    details = [f"Doel: {kpi.target_text}" if kpi.target_text else "", kpi.change_text]
    for line in filter(None, details):
        _add_paragraph(tf, line, 10, L.GREY, space_before=1)
    strip = _rect(slide, L.Box(box.x + 0.02, box.y + 0.12, 0.07, box.h - 0.24), colour)
    _mark_decorative(strip)


def _chart(slide, box: L.Box, spec: ChartSpec) -> None:
    fmt = PPTX_NUMBER_FORMAT[spec.number_format]
    data = CategoryChartData(number_format=fmt)
    data.categories = spec.categories
    if spec.kind == "waterfall":
        name, values = spec.series[0]
        base, bar = waterfall_segments(values, spec.totals)
        data.add_series("Basis (onzichtbaar)", base)
        data.add_series(name, bar)
    else:
        for name, values in spec.series:
            data.add_series(name, values)
    frame = slide.shapes.add_chart(CHART_TYPE[spec.kind], *_box(box), data)
    _set_alt_text(frame, chart_alt_text(spec))
    chart = frame.chart
    chart.font.size = Pt(11)
    chart.font.color.rgb = _rgb(L.INK)
    chart.has_title = False
    visible = 1 if spec.kind == "waterfall" else len(spec.series)
    chart.has_legend = visible > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
    plot = chart.plots[0]
    if spec.kind != "line":
        plot.gap_width = 60 if spec.kind == "waterfall" else 80
    if spec.kind == "stacked_bar" or spec.kind == "waterfall":
        plot.overlap = 100

    value_axis = chart.value_axis
    value_axis.tick_labels.number_format = fmt
    value_axis.tick_labels.number_format_is_linked = False
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = _rgb("E3E7ED")
    value_axis.format.line.fill.background()
    if spec.number_format == "ratio" and spec.kind != "waterfall":
        value_axis.minimum_scale = 0
        value_axis.maximum_scale = max(1.0, *(v or 0 for _, vs in spec.series for v in vs))
    category_axis = chart.category_axis
    category_axis.format.line.color.rgb = _rgb(L.RULE)
    category_axis.has_major_gridlines = False
    if spec.kind in ("bar", "stacked_bar"):
        # first category on top, as people read; the value axis then stays at the bottom
        category_axis.reverse_order = True
        # c:valAx/c:crosses = max: the value axis meets the category axis at its last category, which
        # reverse order puts at the bottom (python-pptx has no setter for this side)
        value_axis._element.find(qn("c:crosses")).set("val", "max")

    for i, series in enumerate(plot.series):
        colour = L.series_colour(spec, i)
        if spec.kind == "line":
            series.format.line.color.rgb = _rgb(colour)
            series.format.line.width = Pt(2.5)
            series.smooth = False
            series.marker.style = XL_MARKER_STYLE.CIRCLE
            series.marker.size = 7
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = _rgb(colour)
        else:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = _rgb(colour)
            series.invert_if_negative = False

    if spec.kind == "waterfall":
        _waterfall_style(plot, spec)
        return
    if spec.kind == "line":
        # only the first series carries labels: the others (targets, comparisons) are named in the legend
        labels = plot.series[0].data_labels
        labels.show_value = True
    else:
        plot.has_data_labels = True
        labels = plot.data_labels
    labels.number_format = fmt
    labels.number_format_is_linked = False
    labels.font.size = Pt(10 if len(spec.categories) > 8 else 11)
    labels.position = {
        "bar": XL_LABEL_POSITION.OUTSIDE_END,
        "column": XL_LABEL_POSITION.OUTSIDE_END,
        "stacked_bar": XL_LABEL_POSITION.CENTER,
        "line": XL_LABEL_POSITION.ABOVE,
    }[spec.kind]
    if spec.kind == "stacked_bar":
        for i, series in enumerate(plot.series):  # white or dark per fill, for contrast
            own = series.data_labels
            own.show_value = True
            own.number_format = f"{fmt};-{fmt};"  # empty zero section: a zero segment gets no "0" label
            own.number_format_is_linked = False
            own.position = XL_LABEL_POSITION.CENTER
            own.font.size = labels.font.size
            own.font.bold = True
            own.font.color.rgb = _rgb(L.label_colour(L.series_colour(spec, i)))


def _waterfall_style(plot, spec: ChartSpec) -> None:
    base, visible = plot.series[0], plot.series[1]
    base.format.fill.background()
    base.format.line.fill.background()
    _, values = spec.series[0]
    for i, raw in enumerate(values):
        v = raw or 0.0
        point = visible.points[i]
        colour = L.waterfall_colour(v, i in spec.totals)
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = _rgb(colour)
        # the bar height is the size of the step; the label shows the signed step or the total
        label = point.data_label
        label.position = XL_LABEL_POSITION.INSIDE_END
        tf = label.text_frame
        tf.text = format_value(v, spec.number_format)
        run = tf.paragraphs[0].runs[0]
        _style_run(run, 11, L.WHITE, bold=True)


def _table(slide, box: L.Box, spec: TableSpec) -> None:
    n_rows, n_cols = len(spec.rows) + 1, len(spec.headers)
    fit = L.fit_table(spec.headers, spec.rows, box)
    size = fit.size
    frame = slide.shapes.add_table(n_rows, n_cols, Inches(box.x), Inches(box.y), Inches(box.w),
                                   Inches(sum(fit.heights)))
    table = frame.table
    table.first_row = True  # the header row is announced as such by screen readers
    table.horz_banding = True
    widths = [Inches(w) for w in fit.widths]
    for c, w in enumerate(widths):
        table.columns[c].width = w
    for r in range(n_rows):
        table.rows[r].height = Inches(fit.heights[r])
        for c in range(n_cols):
            cell = table.cell(r, c)
            header = r == 0
            text = spec.headers[c] if header else neutralise(spec.rows[r - 1][c] if c < len(spec.rows[r - 1]) else "")
            cell.fill.solid()
            cell.fill.fore_color.rgb = _rgb(L.NAVY if header else (L.LIGHT if r % 2 == 0 else L.WHITE))
            cell.margin_left = cell.margin_right = Inches(L.CELL_PAD_X)
            cell.margin_top = cell.margin_bottom = Pt(L.cell_pad_y(size))
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            tf = cell.text_frame
            tf.word_wrap = True
            p = tf.paragraphs[0]
            p.alignment = ALIGN[spec.alignment(c)]
            run = p.add_run()
            run.text = text
            _style_run(run, size, L.WHITE if header else L.INK, bold=header)


def _bullets(slide, box: L.Box, bullets: list[str]) -> None:
    shape = slide.shapes.add_textbox(*_box(box))
    tf = shape.text_frame
    tf.word_wrap = True
    tf.auto_size = MSO_AUTO_SIZE.NONE
    size = L.bullet_font_size(box, len(bullets))
    for i, text in enumerate(bullets):
        p = _add_paragraph(tf, text, size, L.INK, first=i == 0, space_before=0 if i == 0 else 8)
        p_pr = p._p.get_or_add_pPr()
        p_pr.set("marL", str(Inches(0.28)))
        p_pr.set("indent", str(-Inches(0.28)))
        bu_clr = p_pr.makeelement(qn("a:buClr"), {})
        etree.SubElement(bu_clr, qn("a:srgbClr"), val=L.ACCENT)
        bu_char = p_pr.makeelement(qn("a:buChar"), {"char": "•"})
        p_pr.insert_element_before(bu_clr, "a:buSzTx", "a:buSzPct", "a:buSzPts", "a:buFontTx", "a:buFont",
                                   "a:buChar", "a:tabLst", "a:defRPr", "a:extLst")
        p_pr.insert_element_before(bu_char, "a:tabLst", "a:defRPr", "a:extLst")


def _content(prs, deck: Deck, spec: Slide, number: int):
    slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE_ONLY])
    _set_title(slide, L.TITLE, spec.title, _title_size(spec.title), L.NAVY)
    if spec.subtitle:
        _textbox(slide, L.SUBTITLE, spec.subtitle, 15, L.GREY)
    accent = _rect(slide, L.Box(L.MARGIN, L.ACCENT_Y, 1.6, 0.05), L.ACCENT)
    _mark_decorative(accent)
    lay = L.content_layout(spec)
    for box, kpi in zip(lay.cards, spec.kpis, strict=True):
        _kpi_card(slide, box, kpi)
    if spec.chart is not None and lay.chart is not None:
        _chart(slide, lay.chart, spec.chart)
    if spec.table is not None and lay.table is not None:
        _table(slide, lay.table, spec.table)
    if spec.bullets and lay.bullets is not None:
        _bullets(slide, lay.bullets, spec.bullets)
    if spec.sources:
        box = _textbox(slide, L.sources_box(spec), "\n".join(L.source_lines(spec)), L.SOURCE_SIZE, L.GREY)
        box.text_frame.margin_top = box.text_frame.margin_bottom = Inches(0.03)
    _footer(slide, deck, number)
    return slide


def build_presentation(deck: Deck):
    """The python-pptx Presentation of a deck (render_pptx saves it)."""
    prs = Presentation()
    _widen_template(prs)
    props = prs.core_properties
    props.title = deck.document_title
    props.subject = f"Directeurenoverleg {deck.deal_code}"
    props.author = "Stuurhut"
    props.language = "nl-NL"
    props.keywords = f"City Deal; {deck.deal_code}; directeurenoverleg"
    for number, spec in enumerate(deck.slides, start=1):
        slide = _cover(prs, deck, spec) if spec.kind == "title" else _content(prs, deck, spec, number)
        slide.notes_slide.notes_text_frame.text = notes_text(deck, spec)
    return prs


def render_pptx(deck: Deck, path: str | Path) -> Path:
    path = Path(path)
    build_presentation(deck).save(path)
    return path


def pptx_bytes(deck: Deck) -> bytes:
    """The PowerPoint file in memory (the Presentatie page's download)."""
    buffer = io.BytesIO()
    build_presentation(deck).save(buffer)
    return buffer.getvalue()


__all__ = ["build_presentation", "pptx_bytes", "render_pptx"]
