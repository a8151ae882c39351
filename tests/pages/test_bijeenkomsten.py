"""The Bijeenkomsten page in AppTest: held against target, timeline, attendance per organisation (never per person)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboard.conftest import FULL, load
from tests.pages.conftest import APP, ROOT, chart_findings, open_chart_data

D = dt.date
TIMEOUT = 60

# Over the held 2022 meetings K22-1..3 (K22-X is cancelled, K22-4 planned: both left out):
#   Gemeente Aadorp 3 of 3; Gemeente Cestrum 1 of 3 (once excused); Ministerie van Voorbeelden 2 of 3;
#   Kennisinstituut 2 rows (fewer than 3: never listed); Bureau Buiten (not a partner) 3 of 3.
#   All rows: 11 ja of 14 = 79%; the deal's Doelen set the 2022 target to 60%.
ATTENDANCE = [
    ["Bijeenkomst", "Deelnemer", "Organisatie", "Rol", "Aanwezig"],
    ["K22-1", "Deelnemer 1", "Gemeente Aadorp", "lid", "ja"],
    ["K22-2", "Deelnemer 1", "Gemeente Aadorp", "lid", "ja"],
    ["K22-3", "Deelnemer 2", "Gemeente Aadorp", "lid", None],
    ["K22-1", "Deelnemer 3", "Gemeente Cestrum", "lid", "nee"],
    ["K22-2", "Deelnemer 3", "Gemeente Cestrum", "lid", "afgemeld"],
    ["K22-3", "Deelnemer 3", "Gemeente Cestrum", "lid", "ja"],
    ["K22-X", "Deelnemer 3", "Gemeente Cestrum", "lid", "nee"],
    ["K22-1", "Deelnemer 4", "Ministerie van Voorbeelden", "lid", "ja"],
    ["K22-2", "Deelnemer 4", "Ministerie van Voorbeelden", "lid", "nee"],
    ["K22-3", "Deelnemer 4", "Ministerie van Voorbeelden", "lid", "ja"],
    ["K22-1", "Deelnemer 5", "Kennisinstituut", "lid", "ja"],
    ["K22-2", "Deelnemer 5", "Kennisinstituut", "lid", "ja"],
    ["K22-1", "Deelnemer 6", "Bureau Buiten", "adviseur", "ja"],
    ["K22-2", "Deelnemer 6", "Bureau Buiten", "adviseur", "ja"],
    ["K22-3", "Deelnemer 6", "Bureau Buiten", "adviseur", "ja"],
    ["K22-4", "Deelnemer 6", "Bureau Buiten", "adviseur", "ja"],
]


@pytest.fixture(scope="module")
def meetings_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("bijeenkomsten")
    db = directory / "bijeenkomsten.duckdb"
    load(db, directory / "tst.xlsx", {**FULL, "Aanwezigheid": ATTENDANCE})
    load(db, directory / "min.xlsx", {"Deal": [["Code", "Naam", "Peildatum"], ["MIN", "Kleine deal", D(2022, 6, 30)]],
                                      "Begroting": [["Jaar", "Kostensoort", "Post", "Begroot"], [2022, "basis", "Post", 1000]]})
    return db


@pytest.fixture
def env(meetings_db: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("STUURHUT_DB", str(meetings_db))
    monkeypatch.setenv("STUURHUT_ACCOUNTS", str(tmp_path / "accounts.json"))


def open_page(query: dict) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params.update(query)
    at.run()
    at.switch_page(str(ROOT / "pages/bijeenkomsten.py")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def captions(at: AppTest) -> list[str]:
    return [re.sub(r"\\(.)", r"\1", c.value) for c in at.caption] + chart_findings(at)  # what the page says in words


def tables(at: AppTest, column: str) -> list:
    open_chart_data(at)
    return [d.value for d in at.dataframe if column in d.value.columns]


def test_held_against_target_and_timeline(env: None) -> None:
    at = open_page({"deal": "TST"})
    assert at.title[0].value == "Bijeenkomsten — Testdeal"
    caps = captions(at)
    assert "3 van 6 kernteamoverleggen gehouden in 2022 · 3 van 6 soorten op koers" in caps
    assert "2022: 12 gehouden, 1 gepland, 1 geannuleerd" in caps
    target = tables(at, "Doel")[0].set_index(["Indicator", "Jaar"])
    assert target.loc[("Kernteamoverleggen gehouden", 2022), "Gehouden"] == 3
    assert target.loc[("Kernteamoverleggen gehouden", 2022), "Status"] == "✓ op koers"
    assert target.loc[("Overleggen van het minst actieve ontwikkelteam", 2022), "Status"] == "✗ uit koers"
    assert target.loc[("Werksessies atelier gehouden", 2022), "Doel"] == "6 tot 9"
    assert target.loc[("Kernteamoverleggen gehouden", 2021), "Gehouden"] == 6
    timeline = tables(at, "Titel")[0]
    assert len(timeline) == 14
    assert list(timeline["Status"]).count("geannuleerd") == 1


def test_attendance_per_organisation_with_threshold_and_who_stays_away(env: None) -> None:
    at = open_page({"deal": "TST"})
    tile = [m for m in at.metric if m.label == "Opkomst bij gehouden bijeenkomsten"][0]
    assert tile.value == "79%"
    caps = captions(at)
    assert "1 van 4 organisaties onder de 60% opkomst" in caps
    assert "Laagste opkomst per soort partner: gemeente (67%)" in caps
    orgs = tables(at, "Uitnodigingen")
    by_org = [t for t in orgs if "Organisatie" in t.columns][0]
    assert list(by_org["Organisatie"]) == ["Gemeente Cestrum", "Ministerie van Voorbeelden", "Bureau Buiten", "Gemeente Aadorp"]
    assert list(by_org["Opkomst"]) == ["33%", "67%", "100%", "100%"]
    assert "Kennisinstituut" not in set(by_org["Organisatie"])  # 2 rows: under the threshold of 3
    assert list(by_org["Soort"]) == ["gemeente", "rijk", "geen partner", "gemeente"]
    by_type = [t for t in orgs if "Organisatie" not in t.columns][0]
    assert list(by_type["Soort"]) == ["gemeente", "rijk", "geen partner"]  # kennisinstelling: 2 rows, left out
    assert list(by_type["Opkomst"]) == ["67%", "67%", "100%"]
    away = [m.value for m in at.markdown if "minst vaak aanwezig" in m.value]
    assert [re.sub(r"\\(.)", r"\1", v) for v in away] == ["Gemeente Cestrum was het minst vaak aanwezig: 1 van 3 keer (33%)."]
    absentees = orgs[-1]
    assert list(absentees["Organisatie"]) == ["Gemeente Cestrum"]
    assert list(absentees["Afgemeld"]) == [1]
    every_column = {c for d in at.dataframe for c in d.value.columns}
    assert not every_column & {"Deelnemer", "Participant", "participant", "Rol"}  # never a person


def test_an_earlier_year_and_a_deal_without_meetings(env: None) -> None:
    at = open_page({"deal": "TST", "jaar": "2021", "peildatum": "2022-06-30"})
    caps = captions(at)
    assert "6 van 6 kernteamoverleggen gehouden in 2021 · 4 van 6 soorten op koers"  # 0 werksessies, least active team 5 in caps
    assert "2021: 25 gehouden, 0 gepland, 0 geannuleerd" in caps  # 6 + 2 + 2 + 3 + 7 + 5
    # 2021 attendance: none of the rows above is for a 2021 meeting
    assert "Nog geen opkomst om te tonen" in caps

    at = open_page({"deal": "MIN"})
    assert [i.value for i in at.info] == ["Nog geen gegevens over bijeenkomsten — lever het tabblad Bijeenkomsten aan."]
