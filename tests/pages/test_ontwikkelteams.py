"""Ontwikkelteams page on a warehouse built by the real loader: all teams side by side, one team in the URL, empty state.

`build_teams_db` is also the warehouse of the Eindresultaten and Communicatie page tests.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from etl.load import load_files
from tests.conftest import write_workbook
from tests.pages.conftest import APP, ROOT, chart_findings, open_chart_data

TIMEOUT = 60
D = dt.date


def build_teams_db(tmp: Path) -> Path:
    """CDTT (peildatum 31 October 2022): teams OT1 and OT2 and the atelier AT; OT1 held 5 meetings in 2022, OT2 2;
    milestones (2 of 5 team milestones late), 4 end results (1 gereed), communication, 4 contacts, 4 partners.
    CDLE: only a Deal and a Bijeenkomsten sheet (every page shows its empty states)."""
    db = tmp / "teams.duckdb"
    meeting = lambda i, d, kind, part: [i, d, kind, f"Overleg {i}", part, "gehouden"]  # noqa: E731
    full = write_workbook(tmp / "CDTT_2022-10-31.xlsx", {
        "Deal": [["Code", "Naam", "Start", "Einde", "Peildatum"],
                 ["CDTT", "Testdeal Teams", D(2022, 1, 1), D(2023, 12, 31), D(2022, 10, 31)]],
        "Onderdelen": [["Code", "Naam", "Soort", "Trekker"],
                       ["OT1", "Integrale opgave", "ontwikkelteam", "Gemeente Aalburg"],
                       ["OT2", "Stedelijk programmeren", "ontwikkelteam", "Gemeente Beekdaal"],
                       ["AT", "Atelier", "atelier", None]],
        "Bijeenkomsten": [["ID", "Datum", "Soort", "Titel", "Onderdeel", "Status"],
                          *[meeting(f"A{m}", D(2022, m, 10), "ontwikkelteam", "OT1") for m in (1, 3, 5, 7, 9)],
                          meeting("B1", D(2022, 2, 10), "ontwikkelteam", "OT2"),
                          meeting("B2", D(2022, 6, 10), "werksessie", "OT2"),  # any soort counts for the team
                          ["B3", D(2022, 12, 10), "ontwikkelteam", "Overleg B3", "OT2", "gepland"],
                          meeting("K1", D(2022, 2, 1), "kernteam", None)],
        "Eindresultaten": [["ID", "Onderdeel", "Resultaat", "Status", "Voortgang", "Toelichting"],
                           ["ER1", "OT1", "Afwegingskader integrale oplossingen", "loopt", "40%", "Concept klaar"],
                           ["ER2", "OT1", "Kennis over bodembiodiversiteit", "niet gestart", 0, None],
                           ["ER3", "OT2", "Volwassenheidsmodel", "gereed", None, None],
                           ["ER4", "AT", "Werkboek", "vertraagd", "50%", "Wacht op teams"]],
        "Mijlpalen": [["Onderdeel", "Mijlpaal", "Gepland", "Gereed", "Status", "Voortgang", "Eindresultaat"],
                      ["OT1", "Plan van aanpak", D(2022, 3, 31), D(2022, 3, 20), "gereed", 1, "ER1"],
                      ["OT1", "Inventarisatie kaders", "2022-Q2", None, "vertraagd", "80%", "ER1"],
                      ["OT1", "Toets in drie casussen", D(2023, 6, 30), None, "niet gestart", 0, "ER2"],
                      ["OT2", "Concept volwassenheidsmodel", D(2022, 9, 30), D(2022, 10, 10), "gereed", 1, "ER3"],
                      ["OT2", "Extra verkenning", D(2022, 5, 31), None, "vervallen", None, "ER3"],
                      ["AT", "Werkboek update 1", D(2022, 4, 30), D(2022, 4, 28), "gereed", 1, "ER4"]],
        "Communicatie": [["Datum", "Kanaal", "Titel", "Bereik"],
                         [D(2022, 1, 14), "nieuwsbrief", "Nieuwsbrief 1", 400],
                         [D(2022, 3, 11), "nieuwsbrief", "Nieuwsbrief 2", 410],
                         [D(2022, 2, 4), "teamupdate", "Update OT1", 120],
                         [D(2022, 4, 8), "teamupdate", "Update OT2", 90],
                         [D(2022, 6, 3), "teamupdate", "Update AT", 100],
                         [D(2022, 6, 30), "werkboek", "Werkboek update 1", None],
                         [D(2022, 1, 20), "linkedin", "Post 1", 1000],
                         [D(2022, 1, 27), "linkedin", "Post 2", 900],
                         [D(2022, 2, 17), "linkedin", "Post 3", 800],
                         [D(2022, 11, 18), "nieuwsbrief", "Nieuwsbrief 3 (gepland)", None]],
        "Contacten": [["E-mail", "Tags"],
                      ["a.jansen@voorbeeld.nl", '"Kernteam","Gemeenten"'],
                      ["b.devries@voorbeeld.nl", '"Gemeenten"'],
                      ["c.bakker@voorbeeld.nl", None],
                      ["d.visser@voorbeeld.nl", '"Volgers"']],
        "Partners": [["Organisatie", "Soort", "Sinds", "Tot", "Financierend"],
                     ["Gemeente Aalburg", "gemeente", D(2022, 1, 1), None, "ja"],
                     ["Gemeente Beekdaal", "gemeente", D(2022, 3, 1), None, "ja"],
                     ["Ministerie van Voorbeeldzaken", "rijk", D(2022, 1, 1), None, "ja"],
                     ["Adviesbureau Ypsilon", "adviesbureau", D(2022, 6, 1), D(2022, 8, 31), "nee"]],
    })
    empty = write_workbook(tmp / "CDLE_2022-09-30.xlsx", {
        "Deal": [["Code", "Naam", "Start", "Einde", "Peildatum"],
                 ["CDLE", "Lege deal (fictief)", D(2022, 1, 1), D(2023, 12, 31), D(2022, 9, 30)]],
        "Bijeenkomsten": [["ID", "Datum", "Soort", "Titel", "Status"], ["X1", D(2022, 4, 12), "kernteam", "K", "gehouden"]],
    })
    for path in (full, empty):
        result = load_files([path], db)
        assert result.status == "loaded", [p.message for p in result.problems]
    return db


@pytest.fixture(scope="module")
def teams_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_teams_db(tmp_path_factory.mktemp("teams"))


@pytest.fixture
def env(teams_db: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("STUURHUT_DB", str(teams_db))
    monkeypatch.setenv("STUURHUT_ACCOUNTS", str(tmp_path / "accounts.json"))
    return teams_db


def open_page(page: str, query: dict) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params.update(query)
    at.run()
    at.switch_page(str(ROOT / f"pages/{page}.py")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def unescape(text: str) -> str:
    return text.replace("\\", "")


def captions(at: AppTest) -> list[str]:
    return [unescape(c.value) for c in at.caption] + chart_findings(at)  # what the page says in words


def table_with(at: AppTest, column: str):
    open_chart_data(at)
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert found, f"no table with column {column!r}"
    return found[0]


def test_all_teams_side_by_side(env: Path) -> None:
    at = open_page("ontwikkelteams", {"deal": "CDTT"})
    assert at.title[0].value == "Ontwikkelteams — Testdeal Teams"
    assert at.selectbox(key="f_team").value == "alle"
    overview = table_with(at, "Te laat").set_index("Team")
    # short headers (their tooltips say the rest), so the nine columns fit beside the menu on a laptop screen
    assert list(overview.columns) == ["Naam", "Mijlpalen", "Te laat", "Voortgang", "Overleggen", "Verwacht", "Status",
                                      "Eindresultaten"]
    assert list(overview.index) == ["OT1", "OT2"]  # the atelier is not a development team
    assert overview.loc["OT1", "Mijlpalen"] == "1 van 3"
    assert overview.loc["OT1", "Te laat"] == 1
    assert overview.loc["OT2", "Te laat"] == 1  # gereed after the planned date
    assert overview.loc["OT1", "Overleggen"] == 5 and overview.loc["OT2", "Overleggen"] == 2
    assert overview.loc["OT1", "Verwacht"] == 5  # 6 a year, scaled to 31 October
    assert overview.loc["OT1", "Status"] == "✓ op koers"
    assert overview.loc["OT2", "Status"] == "✗ uit koers"
    assert overview.loc["OT1", "Voortgang"] == 20  # mean of 40% and 0%
    assert overview.loc["OT2", "Eindresultaten"] == "1 van 1"
    grid = next(d for d in at.dataframe if "Te laat" in d.value.columns)
    config = grid.proto.columns  # the tooltips carry what the short headers leave out, with the year
    assert "2022" in config and "later gereed dan gepland" in config
    text = captions(at)
    assert "1 van 2 ontwikkelteams op koers met hun overleggen in 2022; minst actief: OT2 (2)" in text
    assert "2 van 5 mijlpalen te laat" in text
    assert any(c.startswith("Bron: CDTT_2022-10-31.xlsx · tabblad Mijlpalen · geleverd ") for c in text)


def test_one_team_from_the_url(env: Path) -> None:
    at = open_page("ontwikkelteams", {"deal": "CDTT"})
    at.query_params["team"] = "OT2"  # a shared link (AppTest drops a page's own parameters when switching to it)
    at.run()
    assert at.selectbox(key="f_team").value == "OT2"
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Mijlpalen gereed"] == "1 van 2"
    assert tiles["Mijlpalen te laat"] == "1"
    assert tiles["Eindresultaten gereed"] == "1 van 1"
    assert tiles["Overleggen in 2022"] == "2"
    assert "Doel: 6 tot 12 · verwacht op de peildatum: 5" in captions(at)
    assert "! risico" not in [m.value for m in at.markdown]
    assert ":red-badge[✗ uit koers]" in [m.value for m in at.markdown]
    milestones = table_with(at, "Op tijd?")
    assert list(milestones["Mijlpaal"]) == ["Extra verkenning", "Concept volwassenheidsmodel"]
    assert list(milestones["Op tijd?"]) == ["", "! te laat"]
    assert list(milestones["Status"]) == ["✗ vervallen", "✓ gereed"]
    results = table_with(at, "Gekoppelde mijlpalen")
    assert list(results["Resultaat"]) == ["Volwassenheidsmodel"]
    assert list(results["Mijlpalen"]) == ["1 van 1"]  # the vervallen milestone does not count


def test_picking_a_team_goes_into_the_url(env: Path) -> None:
    at = open_page("ontwikkelteams", {"deal": "CDTT"})
    at.selectbox(key="f_team").set_value("OT1").run()
    assert at.query_params["team"] == "OT1"
    assert {m.label: m.value for m in at.metric}["Mijlpalen gereed"] == "1 van 3"


def test_english(env: Path) -> None:
    at = open_page("ontwikkelteams", {"deal": "CDTT", "taal": "en"})
    assert at.title[0].value == "Development teams — Testdeal Teams"
    assert "1 of 2 development teams on target with their meetings in 2022; least active: OT2 (2)" in captions(at)


def test_deal_without_teams_shows_the_empty_state(env: Path) -> None:
    at = open_page("ontwikkelteams", {"deal": "CDLE"})
    assert [i.value for i in at.info] == [
        "Nog geen gegevens over de ontwikkelteams — lever het tabblad Onderdelen aan."]


def test_team_counts_follow_the_team_meetings_indicator(teams_db: Path) -> None:
    from dashboard.db import Warehouse
    from dashboard.queries import teams
    from dashboard.queries.indicators import indicators

    wh = Warehouse(teams_db)
    ind = indicators(wh, "CDTT", 2022)
    overview = teams.team_overview(wh, "CDTT", ["OT1", "OT2"], 2022, ind)
    indicator = ind.filter(ind["indicator"] == "team_meetings").row(0, named=True)
    assert overview["held"].to_list() == [5, 2]
    assert indicator["value"] == overview["held"].min() == 2  # the least active team
    assert overview["meetings_status"].to_list() == ["on_target", indicator["status"]] == ["on_target", "off_target"]
    wh.close()
