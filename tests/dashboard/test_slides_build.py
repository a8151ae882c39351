"""The deck builder and `stuurhut slides`: decks filled from the fixture warehouses, figures checked literally."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dashboard.db import Warehouse
from dashboard.queries.indicators import UnknownDeal
from dashboard.slides.build import build_deck
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
        "6 van 16 sturingsindicatoren op koers",
        "Overige indicatoren 2022: 4 uit koers",
        "Bijeenkomsten 2022: achter op minst actieve ontwikkelteam en werksessies atelier",
        "Ontwikkelbudget 2022: nog niet volledig bekend",
        "Eerste levering: nog niets om mee te vergelijken",
        "2 open knelpunten, 1 met ernst hoog",
        "6 punten voor besluit en aandacht",
    ]
    assert tst.slides[1].subtitle == "Stand 2022: 5 risico, 5 uit koers, 2 geen gegevens"


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
    chart = _slide(tst, "Bijeenkomsten").chart
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
    decisions = _slide(tst, "6 punten").bullets
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
    assert "deck.pptx: 8 dia's (pptx), peildatum 30 juni 2022" in capsys.readouterr().out
    prs = Presentation(str(tmp_path / "deck.pptx"))
    assert [s.shapes.title.text for s in prs.slides][1] == "6 van 16 sturingsindicatoren op koers"
    assert main(["slides", "--deal", "TST", "--db", str(full_db), "--format", "pdf",
                 "-o", str(tmp_path / "hand-out")]) == 0
    reader = PdfReader(str(tmp_path / "hand-out"))
    assert len(reader.pages) == 8
    assert "2 open knelpunten, 1 met ernst hoog" in reader.pages[6].extract_text()
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
