"""The deck builder and `stuurhut slides`: decks filled from the fixture warehouses, figures checked literally."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dashboard.db import Warehouse
from dashboard.queries.indicators import UnknownDeal
from dashboard.slides.build import build_deck
from dashboard.slides.model import status_label
from etl.cli import main


@pytest.fixture(scope="module")
def tst(full_db: Path):
    return build_deck(Warehouse(full_db), "TST")


def _slide(deck, prefix: str):
    return next(s for s in deck.slides if s.title.startswith(prefix))


def test_deck_titles_state_the_findings(tst):
    assert tst.deal_name == "Testdeal" and tst.as_of == dt.date(2022, 6, 30)
    assert [s.title for s in tst.slides] == [
        "Testdeal",
        "7 van 16 sturingsindicatoren op koers",
        "Overige indicatoren 2022: 4 uit koers",
        "Eerste levering: nog niets om mee te vergelijken",
        "2 van 2 ontwikkelteams hebben mijlpalen te laat",
        "1 van 3 eindresultaten 2023 gereed",
        "Ontwikkelbudget 2022: nog niet volledig bekend",
        "Atelier en bijeenkomsten 2022: achter op minst actieve ontwikkelteam en werksessies atelier",
        "Enquête mei 2022: Samenwerking scoort gemiddeld 4,0",
        "2 open knelpunten, 1 met ernst hoog",
        "5 punten voor besluit en aandacht",
        "Tot 30 december 2022: 0 mijlpalen en 1 bijeenkomst gepland",
    ]
    assert tst.slides[1].subtitle == "Stand 2022: 5 risico, 4 uit koers, 2 geen gegevens"


def test_summary_kpis_come_from_the_indicators(tst):
    cards = {k.label: k for k in tst.slides[1].kpis}
    kern = cards["Kernteamoverleggen gehouden"]
    assert (kern.value_text, kern.target_text, kern.status, kern.change_text) == (
        "3 van 6", "6 per jaar · nu verwacht: 3", "on_target", "")
    assert cards["Werksessies atelier gehouden"].status == "at_risk"
    assert cards["Mijlpalen op tijd gereed"].value_text == "71%"
    assert cards["Opkomst bij gehouden bijeenkomsten"].value_text == "67%"
    assert cards["Deel ontwikkelbudget besteed"].status == "no_data"
    assert tst.slides[1].sources == [f"Bron: tst.xlsx · tabbladen Bijeenkomsten, Mijlpalen, Eindresultaten, "
                                     f"Begroting, Aanwezigheid · geleverd {_delivered(tst)}"]


def _delivered(deck) -> str:
    # the load date is today's date in the fixture: read it back from a source line
    return deck.slides[1].sources[0].rsplit("geleverd ", 1)[1]


def test_meetings_chart_holds_held_and_expected(tst):
    slide = _slide(tst, "Atelier en bijeenkomsten")
    assert [(k.label, k.value_text, k.status) for k in slide.kpis] == [("Opkomst", "67%", "on_target")]
    chart = slide.chart
    assert chart.kind == "bar"
    assert chart.categories == ["Kernteam", "Directeurenoverleg", "Werksessies atelier", "Atelierdagen",
                                "Minst actieve ontwikkelteam", "Kartrekkers"]
    assert chart.series == [("Gehouden", [3, 1, 2, 1, 1, 0]), ("Nu verwacht", [3, 1, 3, 1, 3, 1])]


def test_bottlenecks_table_and_decisions(tst):
    table = _slide(tst, "2 open knelpunten").table
    assert table.headers == ["Sinds", "Onderdeel", "Knelpunt", "Ernst", "Status", "Actie"]
    assert table.rows == [
        ["1-3-2022", "OT2", "Te weinig capaciteit bij gemeenten", "hoog", "open", "Agenderen in kernteam"],
        ["1-4-2022", "OT1", "Planning toetsingskader schuift", "middel", "in behandeling", "–"],
    ]
    decisions = _slide(tst, "5 punten").bullets
    assert decisions[0] == "Knelpunt OT2: Agenderen in kernteam"
    assert "Uit koers: Deelnemende gemeenten (2; doel minstens 11)" in decisions


def test_other_indicators_table(tst):
    rows = {r[0]: r for r in _slide(tst, "Overige indicatoren").table.rows}
    assert rows["Partners"] == ["Partners", "4", "2 tot 3", "risico", ""]
    assert rows["Unieke contacten in de mailinglijst"][1:4] == ["4", "minstens 462", "uit koers"]


def test_budget_carry_over_and_changes(budget_db: Path):
    wh = Warehouse(budget_db)
    end = build_deck(wh, "BUD")
    assert _slide(end, "Ontwikkelbudget").title == "Ontwikkelbudget: € 5.000 niet besteed aan het einde van de deal"
    changes = _slide(end, "2 indicatoren veranderd")
    assert "Ontwikkelbudget doorgeschoven naar volgend jaar: nu € 5.000 (vorige levering: geen gegevens)" in changes.bullets
    earlier = build_deck(wh, "BUD", "2023-06-30")
    assert earlier.as_of == dt.date(2022, 12, 31)
    assert _slide(earlier, "Ontwikkelbudget").title == "Ontwikkelbudget 2022: € 20.000 overschreden"
    budget = _slide(earlier, "Ontwikkelbudget")
    assert [k.value_text for k in budget.kpis] == ["117%", "-€ 20.000"]
    assert budget.kpis[1].status == "at_risk"  # overspent: a risk, as on the page
    surplus = _slide(end, "Ontwikkelbudget").kpis[1]
    assert (surplus.value_text, surplus.status) == ("€ 5.000", "info")  # no target: "ter informatie", not "op koers"
    assert status_label(surplus.status) == "– ter informatie"


def test_team_progress_slide(tst):
    slide = _slide(tst, "2 van 2 ontwikkelteams")
    assert slide.subtitle == "Meeste vertraging: OT1 (1 te laat), OT2 (1 te laat)"
    assert slide.chart.kind == "stacked_bar" and slide.chart.categories == ["OT1", "OT2"]
    assert slide.chart.series == [("Op tijd gereed", [2, 3]), ("Te laat", [1, 1])]
    assert slide.table.rows == [
        ["OT1 Ontwikkelteam 1", "2 van 3", "4 · op koers", "1 van 2"],
        ["OT2 Ontwikkelteam 2", "3 van 4", "1 · uit koers", "0 van 1"],
    ]


def test_end_results_slide_matches_the_indicator(tst):
    slide = _slide(tst, "1 van 3 eindresultaten")
    assert slide.subtitle == "2 loopt · 1 vervallen (telt niet mee)"
    assert [(k.label, k.value_text) for k in slide.kpis] == [("Eindresultaten 2023 gereed", "33%")]  # 1 of 3
    assert slide.chart.categories == ["AT", "OT1", "OT2"]
    assert slide.chart.series == [("gereed", [0, 1, 0]), ("loopt", [0, 1, 1])]
    assert slide.chart.colours == ("00704F", "0072B2")


def test_budget_waterfall_while_realised_is_unknown(tst):
    chart = _slide(tst, "Ontwikkelbudget").chart
    assert chart.kind == "waterfall" and chart.totals == (0, 2, 4)
    assert chart.categories == ["Begroot 2022", "Doorgeschoven", "Beschikbaar", "Besteed tot nu",
                                "Nog niet besteed"]
    assert chart.series == [("Ontwikkelbudget", [120000.0, 10000.0, 130000.0, 0.0, 130000.0])]


def test_budget_waterfall_ends_on_the_surplus_indicator(budget_db: Path):
    slide = _slide(build_deck(Warehouse(budget_db), "BUD"), "Ontwikkelbudget")
    assert slide.chart.series == [("Ontwikkelbudget", [100000.0, -10000.0, 90000.0, -85000.0, 5000.0])]
    assert slide.chart.categories[-1] == "Over voor 2024"
    assert [k.value_text for k in slide.kpis] == ["94%", "€ 5.000"]  # the surplus KPI = the last bar


def test_survey_slide_suppresses_small_groups(tst):
    slide = _slide(tst, "Enquête")
    assert [(k.label, k.value_text, k.status) for k in slide.kpis] == [("Respondenten", "5", "at_risk")]
    assert slide.chart.number_format == "score" and slide.chart.categories == ["Samenwerking"]
    assert slide.chart.series == [("Meting november 2021", [3.5]), ("Meting mei 2022", [4.0])]
    assert slide.bullets == ["Meest verbeterd: Samenwerking (+0,5)",
                             "2 groepen met minder dan 5 respondenten niet getoond"]  # gemeente 3, rijk 2


def test_what_comes_next(tst):
    slide = tst.slides[-1]
    assert slide.subtitle == "Na de peildatum 30 juni 2022"
    assert slide.table is None  # Eindrapport (31-12-2022) lies past the six months
    assert slide.bullets == ["20-7-2022 Kernteamoverleg"]


def test_one_open_bottleneck_is_singular(tmp_path: Path):
    from tests.pages.conftest import build_page_db

    june = build_deck(Warehouse(build_page_db(tmp_path)), "CDTS", "2022-06-30")
    assert june.slides[5].title == "1 open knelpunt, 1 met ernst hoog"


def test_every_slide_has_notes_and_sources(tst):
    from dashboard.slides.model import notes_text

    for slide in tst.slides[1:]:
        assert notes_text(tst, slide).strip()
    assert _slide(tst, "2 open knelpunten").sources == [f"Bron: tst.xlsx · tabblad Knelpunten · geleverd {_delivered(tst)}"]


def test_deck_before_any_delivery_says_so(full_db: Path):
    deck = build_deck(Warehouse(full_db), "TST", dt.date(2021, 12, 31))
    assert [s.title for s in deck.slides] == ["Testdeal", "Nog geen cijfers op 31 december 2021"]


def test_unknown_deal_raises(full_db: Path):
    with pytest.raises(UnknownDeal):
        build_deck(Warehouse(full_db), "XX")


# --- the command -----------------------------------------------------------------------------------


def test_cli_writes_pptx_and_pdf(full_db: Path, tmp_path: Path, capsys):
    from pptx import Presentation
    from pypdf import PdfReader

    assert main(["slides", "--deal", "TST", "--db", str(full_db), "-o", str(tmp_path / "deck.pptx")]) == 0
    assert "deck.pptx: 12 dia's (pptx), peildatum 30 juni 2022" in capsys.readouterr().out
    prs = Presentation(str(tmp_path / "deck.pptx"))
    assert [s.shapes.title.text for s in prs.slides][1] == "7 van 16 sturingsindicatoren op koers"
    charts = {s.shapes.title.text: sh.chart for s in prs.slides for sh in s.shapes if sh.has_chart}
    assert len(charts) == 5  # teams, end results, budget, meetings, survey: native charts, not pictures
    budget = charts["Ontwikkelbudget 2022: nog niet volledig bekend"]
    assert list(budget.plots[0].categories) == ["Begroot 2022", "Doorgeschoven", "Beschikbaar",
                                                "Besteed tot nu", "Nog niet besteed"]
    survey = charts["Enquête mei 2022: Samenwerking scoort gemiddeld 4,0"]
    assert [list(s.values) for s in survey.plots[0].series] == [[3.5], [4.0]]
    assert all(s.has_notes_slide and s.notes_slide.notes_text_frame.text.strip() for s in prs.slides)
    assert main(["slides", "--deal", "TST", "--db", str(full_db), "--format", "pdf",
                 "-o", str(tmp_path / "hand-out")]) == 0
    reader = PdfReader(str(tmp_path / "hand-out"))
    assert len(reader.pages) == 12  # one page per slide
    assert "2 open knelpunten, 1 met ernst hoog" in reader.pages[9].extract_text()
    assert not list(tmp_path.glob(".*.tmp"))


def test_cli_errors_in_dutch(full_db: Path, tmp_path: Path, capsys):
    assert main(["slides", "--deal", "XX", "--db", str(full_db), "-o", str(tmp_path / "x.pptx")]) == 1
    assert "onbekende deal 'XX'. Deals in de database: MIN, TST." in capsys.readouterr().err
    assert main(["slides", "--deal", "TST", "--db", str(tmp_path / "geen.duckdb"), "-o", str(tmp_path / "x.pdf")]) == 1
    assert "geen.duckdb bestaat niet" in capsys.readouterr().err
    assert main(["slides", "--deal", "TST", "--db", str(full_db), "-o", str(tmp_path / "x.docx")]) == 2
    assert "kies --format pptx of pdf" in capsys.readouterr().err
    assert main(["slides", "--deal", "TST", "--db", str(full_db), "--as-of", "gisteren",
                 "-o", str(tmp_path / "x.pdf")]) == 2
    assert "ongeldige datum bij --as-of: 'gisteren'" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "x.pptx").exists()


def test_budget_title_for_a_year_in_progress_is_provisional():
    # October 2022: what is left of 2022 is spending so far, not money that has carried over to 2023
    import polars as pl

    from dashboard.slides.build import _budget

    carry = pl.DataFrame({"year": [2022], "cost_type": ["ontwikkeling"], "budgeted": [400000.0],
                          "carried_in": [362600.0], "available": [762600.0], "realised": [235950.0],
                          "realised_so_far": [235950.0], "surplus": [526650.0], "posts_unknown": [0],
                          "provisional": [True]})
    from dashboard.queries.indicators import SCHEMA

    row = dict.fromkeys(SCHEMA) | {"indicator": "dev_budget_surplus", "value": 526650.0, "label_nl": "Ontwikkelbudget",
                                   "unit": "euro", "accrual": "none", "status": "on_target"}
    rows = {"dev_budget_surplus": row}
    assert _budget(rows, 2022, 2023, carry).title == "Ontwikkelbudget 2022: nu nog € 526.650 niet besteed (jaar loopt nog)"
    slide = _budget(rows, 2022, 2023, carry)
    assert slide.chart.categories[-2:] == ["Besteed tot nu", "Nog niet besteed"]
    rows["dev_budget_surplus"]["value"] = -1200.0
    assert _budget(rows, 2022, 2023, carry).title == "Ontwikkelbudget 2022: nu al € 1.200 overschreden (jaar loopt nog)"


def test_summary_does_not_count_an_indicator_without_a_target_as_on_target() -> None:
    """The budget carried over (accrual "none") has no target: the deck's headline counts only judged indicators."""
    from dashboard.slides.build import _summary

    def row(code: str, status: str, accrual: str = "sum") -> dict:
        return {"indicator": code, "status": status, "accrual": accrual, "label_nl": code, "value": 1.0, "unit": "count",
                "target_min": 1.0, "target_max": None, "expected_to_date": None, "previous_value": None,
                "change": None, "source_file": None, "source_sheet": None, "delivered_at": None,
                "target_text_nl": "1", "target_note_nl": None, "note_nl": None, "previous_status": None}

    rows = {"kernteam_meetings": row("kernteam_meetings", "on_target"),
            "directors_meetings": row("directors_meetings", "at_risk"),
            "dev_budget_surplus": row("dev_budget_surplus", "on_target", accrual="none")}
    slide = _summary(rows, 2022)
    assert slide.title == "1 van 2 sturingsindicatoren op koers"
    assert slide.subtitle == "Stand 2022: 1 risico"
