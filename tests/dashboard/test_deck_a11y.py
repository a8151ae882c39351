"""The PowerPoint deck built from a fixture warehouse, checked as a screen-reader user and WCAG AA would.

Slide titles in the title placeholder and read first, alt text on every chart and picture, tables with a
header row, ornaments marked decorative, the deck's language Dutch, and text contrast against its background.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_FILL
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn

from dashboard.db import Warehouse
from dashboard.slides import layout as L
from dashboard.slides.build import build_deck
from dashboard.slides.pptx_render import build_presentation
from tests.dashboard.test_a11y_charts import contrast

DECORATIVE = "decorative"


@pytest.fixture(scope="module")
def deck(full_db: Path):
    return build_deck(Warehouse(full_db), "TST")


@pytest.fixture(scope="module")
def prs(deck):
    return build_presentation(deck)


def descr(shape) -> str:
    return (shape._element.find(".//" + qn("p:cNvPr")).get("descr") or "").strip()


def is_decorative(shape) -> bool:
    c_nv_pr = shape._element.find(".//" + qn("p:cNvPr"))
    return any(el.tag.endswith(DECORATIVE) and el.get("val") == "1" for el in c_nv_pr.iter())


def test_every_slide_has_its_title_first(prs, deck) -> None:
    assert len(prs.slides) == len(deck.slides) >= 10
    for slide, spec in zip(prs.slides, deck.slides, strict=True):
        title = slide.shapes.title
        assert title is not None and title.text.strip() == (spec.title or deck.deal_name).strip()
        assert slide.shapes[0] == title  # reading order (the selection pane, bottom-up) starts with the title
    assert prs.slides[1].shapes.title.text.endswith("op koers")  # titles state findings, not topics
    assert prs.core_properties.language == "nl-NL" and prs.core_properties.title


def test_reading_order_puts_the_footer_after_the_content(prs) -> None:
    for slide in list(prs.slides)[1:]:
        texts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
        footer = next(i for i, text in enumerate(texts) if text.startswith("TST · "))
        content = [i for i, sh in enumerate(s for s in slide.shapes if s.has_text_frame)
                   if not sh.is_placeholder and not sh.text_frame.text.startswith(("TST · ", "Peildatum "))
                   and sh.text_frame.text.strip() and not sh.text_frame.text.strip().isdigit()]  # slide number
        assert footer > max(content, default=0), texts


def test_every_chart_and_picture_has_alt_text(prs) -> None:
    charts = pictures = 0
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_chart:
                charts += 1
                assert len(descr(shape)) > 20, shape.name
                assert shape.chart.plots[0].categories  # figures are in the native chart too
            elif shape.shape_type == MSO_SHAPE_TYPE.PICTURE:
                pictures += 1
                assert descr(shape) or is_decorative(shape), shape.name
    assert charts >= 4
    first = next(descr(sh) for s in prs.slides for sh in s.shapes if sh.has_chart)
    assert any(ch.isdigit() for ch in first)  # the alt text carries the figures, not only the topic


def test_tables_have_a_header_row(prs) -> None:
    tables = [sh.table for s in prs.slides for sh in s.shapes if sh.has_table]
    assert tables
    for table in tables:
        assert table.first_row is True
        assert all(table.cell(0, c).text.strip() for c in range(len(table.columns)))


def test_shapes_without_text_are_decorative(prs) -> None:
    """A bare rectangle would be announced as "rechthoek": ornaments carry the decorative flag."""
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE and not (shape.has_text_frame and shape.text_frame.text.strip()):
                assert is_decorative(shape) or descr(shape), (shape.name, shape.shape_id)


def _background(slide, shape, cover: bool) -> str:
    if shape.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE and shape.fill.type == MSO_FILL.SOLID:
        return str(shape.fill.fore_color.rgb)
    return L.NAVY if cover else "FFFFFF"


def test_text_contrast_against_its_background(prs) -> None:
    low, checked = [], 0
    for number, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            if not shape.has_text_frame:
                continue
            background = _background(slide, shape, cover=number == 1)
            for paragraph in shape.text_frame.paragraphs:
                for run in paragraph.runs:
                    if not run.text.strip() or run.font.color is None or run.font.color.type is None:
                        continue
                    colour: RGBColor = run.font.color.rgb
                    size = run.font.size.pt if run.font.size else 18
                    large = size >= 18 or (bool(run.font.bold) and size >= 14)
                    ratio = contrast(f"#{colour}", f"#{background}")
                    checked += 1
                    if ratio < (3.0 if large else 4.5):
                        low.append((number, run.text[:30], str(colour), background, round(ratio, 2)))
    assert low == []
    assert checked >= 50  # the runs carry explicit colours: the check really looked at them
