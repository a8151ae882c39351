"""The "Gegevens aanleveren" page end to end in AppTest: upload, report, what would change, Laden, rollback, hostile files."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import write_workbook
from tests.etl.messy import truncated, xfd_claim, zip_bomb
from tests.pages.conftest import APP, MEETING_HEAD, ROOT
from tests.pages.test_smoke import metric, no_errors, plain

TIMEOUT = 60
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD_PAGE = str(ROOT / "pages/aanleveren.py")
OVERVIEW = str(ROOT / "pages/overzicht.py")


@pytest.fixture
def own_db(page_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the page warehouse (these tests load and roll back); demo mode (no accounts)."""
    db = tmp_path / "db" / "stuurhut.duckdb"
    db.parent.mkdir()
    shutil.copyfile(page_db, db)
    monkeypatch.setenv("STUURHUT_DB", str(db))
    monkeypatch.setenv("STUURHUT_ACCOUNTS", str(tmp_path / "accounts.json"))
    return db


def meetings(path: Path, held: int) -> Path:
    rows = [MEETING_HEAD] + [[f"K{i}", dt.date(2022, i, 10), "kernteam", f"Kernteam {i}", "gehouden"]
                             for i in range(1, held + 1)]
    return write_workbook(path, {"Bijeenkomsten": rows})


def upload_page() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params.update({"deal": "CDTS"})
    at.run()
    return at.switch_page(UPLOAD_PAGE).run()


def give(at: AppTest, *paths: Path) -> AppTest:
    at.file_uploader[0].set_value([(p.name, p.read_bytes(), XLSX) for p in paths])
    return at.run()


def button(at: AppTest, label: str):
    found = [b for b in at.button if b.label == label]
    assert found, f"no button {label!r} among {[b.label for b in at.button]}"
    return found[0]


def kernteam_tile(at: AppTest) -> str:
    at.switch_page(OVERVIEW).run()
    no_errors(at)
    return metric(at, "Kernteamoverleggen gehouden").value


def test_the_uploader_takes_the_configured_types_and_several_files(own_db: Path) -> None:
    at = upload_page()
    no_errors(at)
    assert at.title[0].value == "Gegevens aanleveren"
    uploader = at.file_uploader[0]
    assert uploader.accept_multiple_files
    assert sorted(uploader.allowed_type) == [".csv", ".ods", ".xlsm", ".xlsx"]
    assert at.selectbox(key="up_deal").options == ["CDTS", "CDXX"]  # demo mode is beheer: every deal
    assert "elk tot 25 MB" in at.markdown[0].value


def test_a_good_file_shows_what_changes_loads_and_the_overview_shows_the_new_figure(own_db: Path, tmp_path: Path) -> None:
    at = upload_page()
    assert kernteam_tile(at) == "4 van 6"
    at.switch_page(UPLOAD_PAGE).run()
    give(at, meetings(tmp_path / "CDTS_november.xlsx", 7))
    no_errors(at)
    assert at.success[0].value == "In orde voor deal CDTS: 7 rijen Bijeenkomsten."
    assert "+2 bijeenkomsten" in [plain(m.value) for m in at.markdown]
    change = at.dataframe[0].value
    assert list(change.columns) == ["Tabblad", "Wat verandert", "Rijen nu", "Rijen na laden", "Huidig bestand"]
    assert change.iloc[0].tolist() == ["Bijeenkomsten", "vervangen", 5, 7, "CDTS_2022-10-31.xlsx"]
    laden = button(at, "Laden")
    assert not laden.disabled
    laden.click().run()
    no_errors(at)
    assert at.success[0].value == "Geladen: 7 rijen Bijeenkomsten."
    assert at.file_uploader[0].value in (None, [])  # emptied for the next delivery
    assert kernteam_tile(at) == "7 van 6"


def test_a_bad_file_shows_its_problems_per_sheet_and_loads_nothing(own_db: Path, tmp_path: Path) -> None:
    bad = write_workbook(tmp_path / "fouten.xlsx", {
        "Bijeenkomsten": [MEETING_HEAD, ["K1", "morgen", "kernteam", "a", "gehouden"],
                          ["K2", dt.date(2022, 2, 1), "lunch", "b", "gehouden"]],
        "Begroting": [["Jaar", "Kostensoort", "Post", "Begroot"], [2022, "basis", "Huur", "veel"]],
    })
    at = give(upload_page(), bad)
    assert not at.exception
    assert at.error[0].value.startswith("Afgekeurd, er wordt niets geladen: 3 problemen.")
    headings = [plain(m.value) for m in at.markdown if "fouten.xlsx" in plain(m.value)]
    assert headings == ["**fouten.xlsx** · Bijeenkomsten", "**fouten.xlsx** · Begroting"]
    meetings_report, budget_report = at.table[0].value, at.table[1].value  # static tables: messages in full
    assert meetings_report["Rij"].tolist() == ["2", "3"] and meetings_report["Kolom"].tolist() == ["Datum", "Soort"]
    assert [plain(v) for v in budget_report.iloc[0].tolist()] == [
        "2", "Begroot", "'veel' is geen bedrag; verwacht een bedrag zoals 1.234,56 of € 1.234"]
    assert button(at, "Laden").disabled
    assert kernteam_tile(at) == "4 van 6"


def test_rollback_with_confirmation_restores_the_previous_figures(own_db: Path) -> None:
    at = upload_page()
    history = at.dataframe[0].value
    assert history["Status"].tolist() == ["huidig"] * 3 + ["vervangen"] * 3
    rollbacks = [b for b in at.button if b.label == "Terugdraaien"]
    assert len(rollbacks) == 3  # one per current delivery: Deal, Bijeenkomsten, Knelpunten
    bijeenkomsten = [m.value for m in at.markdown if m.value.startswith("**Bijeenkomsten**")]
    assert plain(bijeenkomsten[0]) == "**Bijeenkomsten** · CDTS_2022-10-31.xlsx (5 rijen, peildatum 31 oktober 2022)"
    at.button(key="rb_5").click().run()  # delivery 5: Bijeenkomsten of October
    no_errors(at)
    assert plain(at.main.warning[0].value) == (
        "Levering 5 terugdraaien (Bijeenkomsten: CDTS_2022-10-31.xlsx (5 rijen, peildatum 31 oktober 2022))?")
    assert "Daarna is weer actueel: CDTS_2022-06-30.xlsx (3 rijen, peildatum 30 juni 2022)." in [
        plain(m.value) for m in at.markdown]
    assert kernteam_tile(at) == "4 van 6"  # nothing happens before the confirmation

    at.switch_page(UPLOAD_PAGE).run()
    button(at, "Ja, terugdraaien").click().run()
    no_errors(at)
    assert at.success[0].value == "Levering 5 (Bijeenkomsten) is teruggedraaid."
    statuses = dict(zip(at.dataframe[0].value["Levering"], at.dataframe[0].value["Status"], strict=True))
    assert statuses[5] == "teruggedraaid" and statuses[2] == "huidig" and len(statuses) == 6  # history stays
    assert kernteam_tile(at) == "3 van 6"


def test_cancel_leaves_the_delivery_current(own_db: Path) -> None:
    at = upload_page()
    at.button(key="rb_5").click().run()
    button(at, "Annuleren").click().run()
    no_errors(at)
    assert not [b for b in at.button if b.label == "Ja, terugdraaien"]
    assert at.dataframe[0].value["Status"].tolist()[:3] == ["huidig"] * 3


@pytest.mark.parametrize("kind", ["zip_bomb", "xfd", "truncated"])
def test_hostile_files_through_the_uploader_leave_the_app_running(own_db: Path, tmp_path: Path, kind: str) -> None:
    base = write_workbook(tmp_path / "b.xlsx", {"Begroting": [["Jaar", "Kostensoort", "Post", "Begroot"],
                                                            [2022, "basis", "Huur", 10]]})
    path = {"zip_bomb": lambda: zip_bomb(tmp_path / "bom.xlsx", megabytes=64),
            "xfd": lambda: xfd_claim(tmp_path, cells=True),
            "truncated": lambda: truncated(base, tmp_path / "afgebroken.xlsx")}[kind]()
    at = give(upload_page(), path)
    assert not at.exception
    assert at.error[0].value.startswith("Afgekeurd, er wordt niets geladen: 1 probleem.")
    report = at.table[0].value
    assert report["Rij"].tolist() == ["–"]  # a whole-file or whole-sheet problem: no row, never "None"
    message = plain(report["Melding"][0])
    assert {"zip_bomb": "verdacht", "xfd": "XFD1048576", "truncated": "beschadigd of niet volledig"}[kind] in message
    assert button(at, "Laden").disabled
    # the server keeps serving: a good file right after goes through
    give(at, meetings(tmp_path / "goed.xlsx", 6))
    assert at.success[0].value == "In orde voor deal CDTS: 6 rijen Bijeenkomsten."
