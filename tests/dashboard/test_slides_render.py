"""The deck renderers: a hand-made Deck rendered to PowerPoint and PDF, checked shape by shape and page by page."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.slides.model import (
    ChartSpec,
    Deck,
    Kpi,
    Slide,
    TableSpec,
    chart_alt_text,
    dutch_date,
    format_value,
    neutralise,
    notes_text,
    waterfall_segments,
)

SRC_MEET = "Bron: bijeenkomsten.xlsx · tabblad Bijeenkomsten · geleverd 31 oktober 2022"
SRC_BUDGET = "Bron: begroting.xlsx · tabblad Begroting · geleverd 31 oktober 2022"
SRC_SURVEY = "Bron: enquete-2022.xlsx · tabblad Enquete · geleverd 15 november 2022"


def sample_deck() -> Deck:
    """Ten slides that exercise every element: cover, KPI grid, each chart kind, tables, bullets."""
    teams = ["OT1 Integrale opgave", "OT2 Stedelijk programmeren", "OT3 Integrale uitvoering",
             "OT4 Stedelijk investeren", "OT5 Datagedreven sturen", "OT6 Harmonisatie regelgeving"]
    return Deck(
        deal_code="CDOR",
        deal_name="City Deal Openbare Ruimte",
        as_of=date(2022, 10, 31),
        slides=[
            Slide(kind="title", title="City Deal Openbare Ruimte"),
            Slide(
                title="4 van 6 kernteamoverleggen gehouden: op koers",
                subtitle="Sturingsindicatoren 2022, naar verwachting op de peildatum",
                kpis=[
                    Kpi("Kernteamoverleggen gehouden", "4", "6 per jaar", "on_target", "+1 sinds vorige levering"),
                    Kpi("Directeurenoverleggen gehouden", "1", "2 per jaar", "at_risk", "gelijk"),
                    Kpi("Werksessies atelier", "3", "6 tot 9 per jaar", "off_target", "+1 sinds vorige levering"),
                    Kpi("Opkomst bij bijeenkomsten", "78%", "70%", "on_target", "+4 procentpunt"),
                    Kpi("Respondenten enquête", "–", "minstens 33", "no_data", ""),
                    Kpi("Partners", "31", "ongeveer 30", "on_target", "+2 sinds vorige levering"),
                    Kpi("Deelnemende gemeenten", "11", "11", "on_target", "gelijk"),
                    Kpi("Ontwikkelbudget doorgeschoven", "€ 12.500", "geen doel", "no_data", "nieuw"),
                ],
                sources=[SRC_MEET, SRC_BUDGET],
            ),
            Slide(
                title="Vijf van de zes ontwikkelteams kwamen vaker dan zes keer bijeen",
                chart=ChartSpec("bar", teams, [("Overleggen 2022", [9, 7, 12, 5, 8, 6])],
                                "count", "Overleggen per ontwikkelteam in 2022"),
                bullets=["OT4 bleef met 5 overleggen onder de ondergrens van 6",
                         "OT3 kwam maandelijks bijeen", "Doel: 6 tot 12 overleggen per jaar"],
                sources=[SRC_MEET],
            ),
            Slide(
                title="Mijlpalen: 78% op tijd gereed, doel 80%",
                kpis=[Kpi("Mijlpalen op tijd gereed", "78%", "80%", "at_risk", "-2 procentpunt")],
                chart=ChartSpec("stacked_bar", teams,
                                [("Gereed", [3, 2, 4, 1, 2, 3]), ("Loopt", [1, 2, 1, 2, 2, 1]),
                                 ("Vertraagd", [0, 1, 0, 2, 0, 1])],
                                "count", "Mijlpalen per ontwikkelteam naar status"),
                sources=["Bron: mijlpalen.xlsx · tabblad Mijlpalen · geleverd 31 oktober 2022"],
            ),
            Slide(
                title="Eindresultaten 2023: 3 van 14 gereed",
                table=TableSpec(
                    ["Onderdeel", "Eindresultaat", "Status", "Voortgang"],
                    [
                        ["Atelier", "CDOR-werkboek", "gereed", "100%"],
                        ["OT1", "Afwegingskader integrale oplossingen", "loopt", "60%"],
                        ["OT2", "Volwassenheidsmodel stedelijk programmeren", "loopt", "45%"],
                        ["OT3", "Instrumenten gebiedsgericht ontwerp", "vertraagd", "20%"],
                        ["OT5", "=HYPERLINK(\"x\")", "niet gestart", "0%"],
                        ["OT6", "Voorstellen aanpassing regelgeving", "loopt", "-5%"],
                    ],
                    ["left", "left", "left", "right"],
                ),
                bullets=["OT3 vraagt om besluit over uitstel naar Q2 2023"],
                sources=["Bron: eindresultaten.xlsx · tabblad Eindresultaten · geleverd 31 oktober 2022"],
            ),
            Slide(
                title="Ontwikkelbudget: € 12.500 schuift door naar 2023",
                chart=ChartSpec(
                    "waterfall",
                    ["Begroot 2022", "Overschot 2021", "Beschikbaar", "Gerealiseerd", "Doorgeschoven"],
                    [("Ontwikkelbudget", [250000, 37500, 287500, -275000, 12500])],
                    "euro", "Opbouw van het ontwikkelbudget 2022", totals=(0, 2, 4),
                ),
                bullets=["Basiskosten schuiven niet door", "Besteed: 96% van het beschikbare budget"],
                sources=[SRC_BUDGET],
            ),
            Slide(
                title="Begroot en gerealiseerd per jaar",
                chart=ChartSpec("column", ["2021", "2022", "2023"],
                                [("Begroot", [240000, 250000, 260000]), ("Gerealiseerd", [202500, 275000, None])],
                                "euro", "Begroot en gerealiseerd ontwikkelbudget per jaar"),
                sources=[SRC_BUDGET],
            ),
            Slide(
                title="Opkomst bij bijeenkomsten stijgt naar 78%",
                chart=ChartSpec("line", ["Q1", "Q2", "Q3", "Q4"],
                                [("Opkomst", [0.64, 0.71, 0.78, None]), ("Doel", [0.7, 0.7, 0.7, 0.7])],
                                "ratio", "Opkomst per kwartaal 2022 tegen het doel van 70%"),
                sources=[SRC_MEET],
            ),
            Slide(
                title="Enquête: deelnemers waarderen het atelier het hoogst",
                table=TableSpec(["Thema", "Gemiddelde score", "Respondenten"],
                                [["Atelier", "4,2", "33"], ["Ontwikkelteams", "3,8", "31"],
                                 ["Communicatie", "3,4", "29"], ["Kleine groep (< 5)", "–", "onderdrukt"]],
                                ["left", "right", "right"]),
                bullets=["Groepen met minder dan 5 respondenten worden niet getoond"],
                sources=[SRC_SURVEY],
            ),
            Slide(
                title="Knelpunten en besluitpunten",
                bullets=["Besluit: uitstel eindresultaat OT3 naar Q2 2023",
                         "Knelpunt (hoog): capaciteit gemeenten voor casussen",
                         "Volgende directeurenoverleg: 14 april 2023"],
                notes="Vraag de directeuren expliciet om een besluit over OT3.",
            ),
        ],
    )


# --- model helpers -------------------------------------------------------------------------------


def test_dutch_formats():
    assert format_value(12500, "count") == "12.500"
    assert format_value(12500, "euro") == "€ 12.500"
    assert format_value(-1200.4, "euro") == "-€ 1.200"
    assert format_value(0.78, "ratio") == "78%"
    assert format_value(1234567, "count") == "1.234.567"
    assert format_value(None, "euro") == "–"
    assert dutch_date(date(2022, 10, 31)) == "31 oktober 2022"
    assert dutch_date(date(2023, 3, 1)) == "1 maart 2023"


def test_neutralise_formula_like_text_but_not_numbers():
    assert neutralise('=HYPERLINK("x")') == "'=HYPERLINK(\"x\")"
    assert neutralise("+31 6 1234") == "'+31 6 1234"
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("-5%") == "-5%"
    assert neutralise("-12.500") == "-12.500"
    assert neutralise("-€ 1.200") == "-€ 1.200"
    assert neutralise("Atelier") == "Atelier"


def test_waterfall_segments():
    base, bar = waterfall_segments([250000, 37500, 287500, -275000, 12500], (0, 2, 4))
    assert base == [0.0, 250000.0, 0.0, 12500.0, 0.0]
    assert bar == [250000.0, 37500.0, 287500.0, 275000.0, 12500.0]


def test_notes_carry_sources_and_changes():
    deck = sample_deck()
    notes = notes_text(deck, deck.slides[1])
    assert f"- {SRC_MEET}" in notes
    assert "- Kernteamoverleggen gehouden: +1 sinds vorige levering" in notes
    assert "Respondenten enquête:" not in notes  # no change text, no line
    assert "peildatum 31 oktober 2022" in notes_text(deck, deck.slides[0])
    assert "geen (deze dia toont geen geleverde cijfers)" in notes_text(deck, deck.slides[9])


def test_chart_alt_text_includes_figures():
    spec = sample_deck().slides[6].chart
    assert chart_alt_text(spec) == (
        "Begroot en gerealiseerd ontwikkelbudget per jaar. "
        "Begroot: 2021 € 240.000, 2022 € 250.000, 2023 € 260.000. "
        "Gerealiseerd: 2021 € 202.500, 2022 € 275.000, 2023 –."
    )


# --- PowerPoint ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pptx_file(tmp_path_factory):
    from dashboard.slides.pptx_render import render_pptx

    return render_pptx(sample_deck(), tmp_path_factory.mktemp("deck") / "deck.pptx")


@pytest.fixture(scope="module")
def prs(pptx_file):
    from pptx import Presentation

    return Presentation(str(pptx_file))


def test_pptx_is_16_9_with_titles_in_placeholders(prs):
    assert (prs.slide_width, prs.slide_height) == (12191695, 6858000)
    assert len(prs.slides) == 10
    titles = [s.shapes.title.text for s in prs.slides]
    assert titles[0] == "City Deal Openbare Ruimte"
    assert titles[1] == "4 van 6 kernteamoverleggen gehouden: op koers"
    assert titles[9] == "Knelpunten en besluitpunten"
    # the title is the first shape, so reading order starts with it
    assert all(s.shapes[0].is_placeholder and s.shapes[0] == s.shapes.title for s in prs.slides)
    assert prs.core_properties.title == "Directeurenoverleg City Deal Openbare Ruimte – peildatum 31 oktober 2022"
    assert prs.core_properties.language == "nl-NL"


def test_pptx_cover_and_footer(prs):
    cover_text = [sh.text_frame.text for sh in prs.slides[0].shapes if sh.has_text_frame]
    assert "Directeurenoverleg\nPeildatum 31 oktober 2022" in cover_text
    footer = [sh.text_frame.text for sh in prs.slides[3].shapes if sh.has_text_frame]
    assert "CDOR · City Deal Openbare Ruimte" in footer
    assert "Peildatum 31 oktober 2022" in footer
    assert "4" in footer  # the slide-number field of slide 4
    xml = prs.slides[3].shapes[-1].text_frame._txBody.xml
    assert 'type="slidenum"' in xml


def test_pptx_kpi_cards_show_icon_and_word(prs):
    texts = [sh.text_frame.text for sh in prs.slides[1].shapes if sh.has_text_frame]
    assert ("Kernteamoverleggen gehouden\n4\n✓ op koers\nDoel: 6 per jaar\n+1 sinds vorige levering") in texts
    assert any("\n! risico\n" in t for t in texts)
    assert any("\n✗ uit koers\n" in t for t in texts)
    assert ("Respondenten enquête\n–\n– geen gegevens\nDoel: minstens 33") in texts
    assert any("€ 12.500" in t for t in texts)


def _charts(prs):
    return [(i, sh) for i, s in enumerate(prs.slides) for sh in s.shapes if sh.has_chart]


def test_pptx_charts_are_native_with_literal_values(prs):
    from pptx.enum.chart import XL_CHART_TYPE

    charts = dict(_charts(prs))
    assert sorted(charts) == [2, 3, 5, 6, 7]
    bar = charts[2].chart
    assert bar.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    assert list(bar.plots[0].categories)[0] == "OT1 Integrale opgave"
    assert list(bar.series[0].values) == [9, 7, 12, 5, 8, 6]
    assert bar.plots[0].data_labels.number_format == "#,##0"
    assert bar.category_axis.reverse_order is True  # first team on top ...
    assert '<c:crosses val="max"/>' in bar.value_axis._element.xml  # ... and the value axis at the bottom
    stacked = charts[3].chart
    assert stacked.chart_type == XL_CHART_TYPE.BAR_STACKED
    assert stacked.series[2].data_labels.number_format == "#,##0;-#,##0;"  # no "0" on empty segments
    assert [s.name for s in stacked.series] == ["Gereed", "Loopt", "Vertraagd"]
    waterfall = charts[5].chart
    assert waterfall.chart_type == XL_CHART_TYPE.COLUMN_STACKED
    assert list(waterfall.series[0].values) == [0, 250000, 0, 12500, 0]
    assert list(waterfall.series[1].values) == [250000, 37500, 287500, 275000, 12500]
    assert waterfall.value_axis.tick_labels.number_format == '"€" #,##0'
    assert waterfall.series[0].format.fill.type is not None  # the base is explicitly invisible
    wf_xml = charts[5]._element.xml + waterfall._chartSpace.xml
    assert "-€ 275.000" in wf_xml and "€ 287.500" in wf_xml
    column = charts[6].chart
    assert list(column.series[1].values) == [202500, 275000, None]
    line = charts[7].chart
    assert line.chart_type == XL_CHART_TYPE.LINE_MARKERS
    assert list(line.series[0].values) == [0.64, 0.71, 0.78, None]
    assert line.value_axis.tick_labels.number_format == "0%"
    assert line.series[0].data_labels.number_format == "0%"
    assert line.plots[0].has_data_labels is False  # the target line stays unlabelled


def test_pptx_every_chart_has_alt_text_and_every_slide_notes(prs):
    for _, sh in _charts(prs):
        descr = sh._element.nvGraphicFramePr.cNvPr.get("descr")
        assert descr and len(descr) > 20
    bar = dict(_charts(prs))[2]
    assert bar._element.nvGraphicFramePr.cNvPr.get("descr").startswith(
        "Overleggen per ontwikkelteam in 2022. Overleggen 2022: OT1 Integrale opgave 9, ")
    for s in prs.slides:
        assert s.has_notes_slide and s.notes_slide.notes_text_frame.text.strip()
    budget_notes = prs.slides[5].notes_slide.notes_text_frame.text
    assert f"Bronnen:\n- {SRC_BUDGET}" in budget_notes
    assert "+1 sinds vorige levering" in prs.slides[1].notes_slide.notes_text_frame.text


def test_pptx_tables_have_header_rows_and_neutralised_cells(prs):
    tables = [sh.table for s in prs.slides for sh in s.shapes if sh.has_table]
    assert len(tables) == 2
    results = tables[0]
    assert results.first_row is True
    assert [results.cell(0, c).text for c in range(4)] == ["Onderdeel", "Eindresultaat", "Status", "Voortgang"]
    assert results.cell(5, 1).text == "'=HYPERLINK(\"x\")"
    assert results.cell(6, 3).text == "-5%"
    assert results.cell(2, 3).text == "60%"
    from pptx.enum.text import PP_ALIGN

    assert results.cell(2, 3).text_frame.paragraphs[0].alignment == PP_ALIGN.RIGHT
    assert tables[1].first_row is True and tables[1].cell(1, 1).text == "4,2"


def test_pptx_decorative_shapes_marked(prs):
    xml = prs.slides[1].shapes._spTree.xml
    assert xml.count('decorative" val="1"') >= 2 or xml.count('val="1"/>') >= 2
    assert "adec:decorative" in xml


# --- PDF -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf_file(tmp_path_factory):
    from dashboard.slides.pdf_render import render_pdf

    return render_pdf(sample_deck(), tmp_path_factory.mktemp("deck") / "deck.pdf")


def test_pdf_one_page_per_slide_16_9_with_titles(pdf_file):
    from pypdf import PdfReader

    reader = PdfReader(str(pdf_file))
    assert len(reader.pages) == 10
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (960, 540)
    texts = [p.extract_text() for p in reader.pages]
    assert "City Deal Openbare Ruimte" in texts[0] and "Peildatum 31 oktober 2022" in texts[0]
    assert "4 van 6 kernteamoverleggen gehouden: op koers" in texts[1]
    assert "Knelpunten en besluitpunten" in texts[9]
    assert "op koers" in texts[1] and "uit koers" in texts[1] and "geen gegevens" in texts[1]
    assert reader.metadata.title == "Directeurenoverleg City Deal Openbare Ruimte – peildatum 31 oktober 2022"
    assert reader.trailer["/Root"]["/Lang"] == "nl-NL"
    assert [o.title for o in reader.outline][:2] == ["City Deal Openbare Ruimte",
                                                    "4 van 6 kernteamoverleggen gehouden: op koers"]


def test_pdf_dutch_formats_and_chart_labels(pdf_file):
    from pypdf import PdfReader

    texts = [p.extract_text() for p in PdfReader(str(pdf_file)).pages]
    assert "€ 12.500" in texts[1]
    assert "78%" in texts[1]
    assert "€ 287.500" in texts[5] and "-€ 275.000" in texts[5]  # waterfall labels
    assert "€ 250.000" in texts[6]  # column labels
    assert "71%" in texts[7]  # line labels
    assert "OT4 Stedelijk investeren" in texts[2]
    assert "'=HYPERLINK" in texts[4]
    assert "CDOR · City Deal Openbare Ruimte" in texts[3] and texts[3].rstrip().endswith("4")
    assert SRC_BUDGET in texts[5]
