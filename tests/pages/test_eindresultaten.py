"""Eindresultaten 2023 page: status counts with the end_results_ready indicator, the live register, filters, empty state."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pages.test_ontwikkelteams import build_teams_db, captions, open_page, table_with


@pytest.fixture(scope="module")
def teams_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_teams_db(tmp_path_factory.mktemp("results"))


@pytest.fixture
def env(teams_db: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("STUURHUT_DB", str(teams_db))
    monkeypatch.setenv("STUURHUT_ACCOUNTS", str(tmp_path / "accounts.json"))
    return teams_db


def test_counts_and_register(env: Path) -> None:
    at = open_page("eindresultaten", {"deal": "CDTT"})
    assert at.title[0].value == "Eindresultaten 2023 — Testdeal Teams"
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Eindresultaten 2023 gereed"] == "25%"  # 1 of 4
    assert tiles["○ niet gestart"] == "1" and tiles["▶ loopt"] == "1" and tiles["✓ gereed"] == "1"
    assert tiles["! vertraagd"] == "1" and tiles["✗ vervallen"] == "0"
    assert "1 van 4 eindresultaten gereed" in captions(at)
    register = table_with(at, "Gekoppelde mijlpalen").set_index("ID")
    assert list(register.index) == ["ER4", "ER1", "ER2", "ER3"]  # by part (AT, OT1, OT2), then ID
    assert register.loc["ER1", "Status"] == "▶ loopt"
    assert register.loc["ER1", "Voortgang"] == 40
    assert register.loc["ER3", "Voortgang"] == 100  # gereed without a Voortgang counts as 100%
    assert register.loc["ER1", "Mijlpalen"] == "1 van 2"
    assert register.loc["ER1", "Gekoppelde mijlpalen"] == "Plan van aanpak; Inventarisatie kaders"
    assert register.loc["ER3", "Gekoppelde mijlpalen"] == "Concept volwassenheidsmodel"  # vervallen one left out
    assert register.loc["ER4", "Toelichting"] == "Wacht op teams"
    assert "4 van 4 eindresultaten getoond" in captions(at)
    assert [b.label for b in at.download_button][-2:] == ["CSV (Excel)", "Excel"]


def test_filters_by_part_and_status(env: Path) -> None:
    at = open_page("eindresultaten", {"deal": "CDTT"})
    at.multiselect(key="er_parts").set_value(["OT1"]).run()
    assert list(table_with(at, "Gekoppelde mijlpalen")["ID"]) == ["ER1", "ER2"]
    at.multiselect(key="er_status").set_value(["niet gestart"]).run()
    assert list(table_with(at, "Gekoppelde mijlpalen")["ID"]) == ["ER2"]
    assert "1 van 4 eindresultaten getoond" in captions(at)
    at.multiselect(key="er_status").set_value(["gereed"]).run()
    assert [i.value for i in at.info] == ["Geen eindresultaten met deze keuze."]


def test_english(env: Path) -> None:
    at = open_page("eindresultaten", {"deal": "CDTT", "taal": "en"})
    assert at.title[0].value == "End results 2023 — Testdeal Teams"
    assert table_with(at, "Linked milestones").set_index("ID").loc["ER2", "Status"] == "○ not started"


def test_deal_without_the_sheet_shows_the_empty_state(env: Path) -> None:
    at = open_page("eindresultaten", {"deal": "CDLE"})
    assert [i.value for i in at.info] == [
        "Nog geen gegevens over de eindresultaten — lever het tabblad Eindresultaten aan."]
    assert not at.dataframe
