"""The upload logic behind "Gegevens aanleveren": checks, private temp files, dry run, diff, load, rollback, hostile files."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
import tempfile
from pathlib import Path

import polars as pl
import pytest

from dashboard import upload
from dashboard.auth import DEMO, Forbidden, Principal
from dashboard.db import Warehouse
from dashboard.queries.indicators import indicators
from dashboard.upload import Upload
from etl.load import LoadResult
from etl.problems import Problem
from tests.conftest import write_workbook
from tests.etl.messy import truncated, xfd_claim, zip_bomb
from tests.pages.conftest import MEETING_HEAD, build_page_db

D = dt.date
KERN = Principal("kern", "kernteam", "CDTS")
KERN_OTHER = Principal("ander", "kernteam", "CDXX")
DEELNEMER = Principal("deel", "deelnemer", "CDTS")
BEHEER = Principal("baas", "beheer")


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_page_db(tmp_path_factory.mktemp("upload_template"))


@pytest.fixture
def db(template_db: Path, tmp_path: Path) -> Path:
    """A private copy of the page warehouse (CDTS: 4 kernteam meetings held by 31-10-2022; CDXX: 1)."""
    target = tmp_path / "db" / "stuurhut.duckdb"
    target.parent.mkdir()
    shutil.copyfile(template_db, target)
    return target


def meetings_workbook(path: Path, held: int, deal: str | None = None) -> Path:
    """Kernteam meetings K1..K<held>, all held in 2022; with `deal`, a Deal sheet with peildatum 30-11-2022."""
    rows = [MEETING_HEAD] + [[f"K{i}", D(2022, i, 10), "kernteam", f"Kernteam {i}", "gehouden"] for i in range(1, held + 1)]
    sheets: dict = {"Bijeenkomsten": rows}
    if deal:
        sheets = {"Deal": [["Code", "Naam", "Peildatum"], [deal, f"Deal {deal}", D(2022, 11, 30)]], **sheets}
    return write_workbook(path, sheets)


def as_upload(path: Path, name: str | None = None) -> Upload:
    return Upload(name or path.name, path.read_bytes())


def kernteam_meetings(wh: Warehouse, deal: str = "CDTS") -> float | None:
    """Through the same Warehouse as the dashboard: it must notice a load or rollback replacing the file."""
    ind = indicators(wh, deal, 2022)
    return ind.filter(pl.col("indicator") == "kernteam_meetings")["value"][0]


# --- server-side checks and temp files ---------------------------------------------------------------------


def test_safe_name_keeps_the_name_but_never_a_directory() -> None:
    assert upload.safe_name("CDOR levering 2022.xlsx") == "CDOR levering 2022.xlsx"
    assert upload.safe_name("../../etc/passwd") == "passwd"
    assert upload.safe_name("C:\\Users\\x\\begroting.xlsx") == "begroting.xlsx"
    assert upload.safe_name("a\x00b\nc.csv") == "a_b_c.csv"
    assert upload.safe_name("..") == "bestand"
    long = upload.safe_name("x" * 300 + ".xlsx")
    assert len(long) == 120 and long.endswith(".xlsx")


def test_type_size_and_empty_are_checked_on_the_server() -> None:
    problems = upload.check_uploads([
        Upload("rapport.pdf", b"%PDF"), Upload("groot.xlsx", b"x" * (2 * 1024 * 1024 + 1)),
        Upload("leeg.csv", b""), Upload("goed.XLSX", b"PK"),
    ], max_mb=2)
    assert [(p.file, p.message) for p in problems] == [
        ("rapport.pdf", "rapport.pdf: bestandssoort .pdf wordt niet aangenomen; lever .xlsx, .xlsm, .ods of .csv aan"),
        ("groot.xlsx", "groot.xlsx is te groot (2,0 MB); het maximum is 2 MB"),
        ("leeg.csv", "leeg.csv is leeg"),
    ]
    assert upload.max_upload_mb() == 25  # .streamlit/config.toml server.maxUploadSize


def test_uploads_go_to_a_private_temp_dir_that_is_removed(tmp_path: Path) -> None:
    files = [Upload("a.csv", b"1"), Upload("a.csv", b"2"), Upload("../b.csv", b"3")]
    with upload.saved(files) as paths:
        root = paths[0].parent.parent
        assert root.parent == Path(tempfile.gettempdir())
        assert stat.S_IMODE(root.stat().st_mode) == 0o700
        assert [p.name for p in paths] == ["a.csv", "a.csv", "b.csv"]
        assert [p.read_bytes() for p in paths] == [b"1", b"2", b"3"]
        assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in paths)
        assert all(root in p.parents for p in paths)
    assert not root.exists()
    with pytest.raises(RuntimeError), upload.saved(files) as paths:
        root = paths[0].parent.parent
        raise RuntimeError("boom")
    assert not root.exists()


# --- what would change ---------------------------------------------------------------------------------------


def test_changes_and_summary() -> None:
    current = pl.DataFrame({"sheet": ["Bijeenkomsten", "Begroting", "Knelpunten"], "sha256": ["a", "b", "c"],
                            "rows": [40, 18, 3], "file": ["jan.xlsx", "jan.xlsx", "feb.xlsx"]})
    result = LoadResult("loaded", [], rows={"Partners": 30, "Begroting": 18, "Bijeenkomsten": 52, "Knelpunten": 3},
                        sha256={"Partners": "x", "Begroting": "y", "Bijeenkomsten": "y", "Knelpunten": "c"})
    items = upload.changes(current, result)
    assert [(c.sheet, c.state, c.old_rows, c.new_rows) for c in items] == [
        ("Partners", "nieuw", None, 30), ("Begroting", "vervangen", 18, 18),
        ("Bijeenkomsten", "vervangen", 40, 52), ("Knelpunten", "ongewijzigd", 3, 3)]
    assert upload.change_summary(items) == (
        "partners nieuw (30 rijen), begroting vervangen, +12 bijeenkomsten, knelpunten ongewijzigd")
    assert upload.change_summary(items, "en") == (
        "partners new (30 rows), begroting replaced, +12 bijeenkomsten, knelpunten unchanged")
    table = upload.change_table(items)
    assert table.columns == ["Tabblad", "Wat verandert", "Rijen nu", "Rijen na laden", "Huidig bestand"]
    assert table.row(2) == ("Bijeenkomsten", "vervangen", 40, 52, "jan.xlsx")


# --- dry run, load and rollback on a real warehouse -----------------------------------------------------------


def test_good_file_dry_run_then_load_changes_the_figure(db: Path, tmp_path: Path) -> None:
    wh = Warehouse(db)
    files = [as_upload(meetings_workbook(tmp_path / "CDTS_november.xlsx", 6))]
    check = upload.check(files, db, KERN, chosen_deal="CDTS", wh=wh)
    assert check.result.status == "loaded" and check.result.problems == []
    assert (check.deal, check.deal_from_file, check.new_deal, check.refusal) == ("CDTS", False, False, None)
    assert [(c.sheet, c.state, c.old_rows, c.new_rows) for c in check.changes] == [("Bijeenkomsten", "vervangen", 5, 6)]
    assert upload.change_summary(check.changes) == "+1 bijeenkomsten"
    assert check.can_load
    assert kernteam_meetings(wh) == 4  # the dry run loaded nothing

    stages: list[tuple[float, str]] = []
    progress = upload.Progress(1, lambda frac, text: stages.append((frac, text)))
    result = upload.load(files, db, KERN, "CDTS", progress)
    progress.done()
    assert result.status == "loaded"
    assert upload.loaded_summary(result) == "Geladen: 6 rijen Bijeenkomsten."
    assert [text for _, text in stages] == ["Bestand 1 van 1 lezen: CDTS_november.xlsx", "Controleren",
                                            "Schrijven naar de database", "Klaar"]
    assert [frac for frac, _ in stages] == sorted(frac for frac, _ in stages)
    assert kernteam_meetings(wh) == 6
    # the same file again: nothing would change and the Laden button stays off
    again = upload.check(files, db, KERN, chosen_deal="CDTS", wh=wh)
    assert [c.state for c in again.changes] == ["ongewijzigd"] and again.nothing_new and not again.can_load
    wh.close()


def test_bad_file_shows_its_problems_grouped_per_sheet_and_loads_nothing(db: Path, tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "fouten.xlsx", {
        "Bijeenkomsten": [MEETING_HEAD, ["K1", "morgen", "kernteam", "a", "gehouden"],
                          ["K2", D(2022, 2, 1), "lunch", "b", "gehouden"]],
        "Begroting": [["Jaar", "Kostensoort", "Post", "Begroot"], [2022, "basis", "Huur", "veel"]],
    })
    wh = Warehouse(db)
    check = upload.check([as_upload(path)], db, KERN, chosen_deal="CDTS", wh=wh)
    assert check.result.status == "rejected" and not check.can_load and check.changes == []
    groups = upload.problem_groups(check.result.problems)
    # the loader's order: referenced sheets first; the CLI's messages, word for word
    assert [(file, sheet) for file, sheet, _ in groups] == [("fouten.xlsx", "Bijeenkomsten"), ("fouten.xlsx", "Begroting")]
    meetings, budget = groups[0][2], groups[1][2]
    assert budget.columns == ["Rij", "Kolom", "Melding"]
    assert budget.rows() == [(2, "Begroot", "'veel' is geen bedrag; verwacht een bedrag zoals 1.234,56 of € 1.234")]
    assert [r[:2] for r in meetings.rows()] == [(2, "Datum"), (3, "Soort")]
    assert meetings["Melding"][0] == "'morgen' is geen datum; verwacht een bestaande datum zoals 17-12-2021 (dag-maand-jaar)"
    assert meetings["Melding"][1].startswith("'lunch' is geen geldige Soort; kies uit: kernteam, directeurenoverleg")
    with pytest.raises(Forbidden):  # nothing may bypass the check with a deelnemer account
        upload.load([as_upload(path)], db, DEELNEMER, "CDTS")
    result = upload.load([as_upload(path)], db, KERN, "CDTS")
    assert result.status == "rejected" and len(result.problems) == 3
    assert kernteam_meetings(wh) == 4
    wh.close()


def test_text_table_for_the_static_report() -> None:
    [(_, _, table)] = upload.problem_groups([
        Problem("a.xlsx", "Begroting", None, None, "Tabblad te groot"),
        Problem("a.xlsx", "Begroting", 4, "Post", "*leeg*")])
    assert upload.text_table(table).rows() == [("–", "", "Tabblad te groot"), ("4", "Post", "*leeg*")]
    assert upload.text_table(table, lambda s: s.replace("*", "\\*")).row(1) == ("4", "Post", "\\*leeg\\*")


def test_without_a_deal_sheet_and_without_a_choice_the_message_speaks_of_the_page(db: Path, tmp_path: Path) -> None:
    path = meetings_workbook(tmp_path / "los.xlsx", 2)
    check = upload.check([as_upload(path)], db, BEHEER, chosen_deal=None, wh=Warehouse(db))
    [(file, sheet, table)] = upload.problem_groups(check.result.problems)
    assert (file, sheet) == ("los.xlsx", "(hele bestand)")
    assert table["Melding"][0] == ("Geen tabblad Deal en geen deal gekozen: lever een tabblad Deal mee "
                                   "(Code, Naam, Peildatum) of kies hierboven de deal")


def test_deal_sheet_decides_and_permissions_are_checked(db: Path, tmp_path: Path) -> None:
    wh = Warehouse(db)
    other = [as_upload(meetings_workbook(tmp_path / "CDXX.xlsx", 3, deal="CDXX"))]
    check = upload.check(other, db, KERN, chosen_deal="CDTS", wh=wh)  # the Deal sheet wins over the choice
    assert check.deal == "CDXX" and check.deal_from_file
    assert check.refusal == "Uw account (kern (kernteam, CDTS)) mag alleen gegevens aanleveren voor deal CDTS, niet voor CDXX."
    assert not check.can_load
    with pytest.raises(Forbidden):
        upload.load(other, db, KERN, "CDXX")
    # loading into the permitted deal cannot smuggle in another deal's Deal sheet
    smuggled = upload.load(other, db, KERN, "CDTS")
    assert smuggled.status == "rejected"
    assert "Het tabblad Deal noemt deal 'CDXX'" in smuggled.problems[0].message

    new = [as_upload(meetings_workbook(tmp_path / "NIEUW.xlsx", 2, deal="CDNW"))]
    assert upload.check(new, db, KERN, "CDTS", wh).refusal is not None  # kernteam cannot start a deal
    check = upload.check(new, db, BEHEER, None, wh)
    assert (check.deal, check.new_deal, check.refusal, check.can_load) == ("CDNW", True, None, True)
    assert [(c.sheet, c.state) for c in check.changes] == [("Deal", "nieuw"), ("Bijeenkomsten", "nieuw")]
    assert upload.load(new, db, BEHEER, "CDNW").status == "loaded"
    assert upload.known_deals(wh) == ["CDNW", "CDTS", "CDXX"]
    assert upload.uploadable_deals(KERN, upload.known_deals(wh)) == ["CDTS"]
    assert upload.uploadable_deals(DEELNEMER, upload.known_deals(wh)) == []
    assert upload.uploadable_deals(DEMO, upload.known_deals(wh)) == ["CDNW", "CDTS", "CDXX"]
    wh.close()


def test_rollback_restores_the_previous_figures_and_keeps_history(db: Path, tmp_path: Path) -> None:
    files = [as_upload(meetings_workbook(tmp_path / "CDTS_nov.xlsx", 6))]
    assert upload.load(files, db, KERN, "CDTS").status == "loaded"
    wh = Warehouse(db)
    hist = upload.history(wh, "CDTS")
    assert hist.height == 7
    newest = hist.row(0, named=True)
    assert (newest["sheet"], newest["file"], newest["status"]) == ("Bijeenkomsten", "CDTS_nov.xlsx", "huidig")
    assert sorted(upload.current_of(hist)["sheet"].to_list()) == ["Bijeenkomsten", "Deal", "Knelpunten"]
    before = upload.after_rollback(hist, newest["delivery_id"])
    assert upload.describe_delivery(before) == "CDTS_2022-10-31.xlsx (5 rijen, peildatum 31 oktober 2022)"

    with pytest.raises(Forbidden):
        upload.rollback_delivery(db, wh, DEELNEMER, newest["delivery_id"])
    with pytest.raises(Forbidden):
        upload.rollback_delivery(db, wh, KERN_OTHER, newest["delivery_id"])
    replaced = hist.filter(pl.col("status") == "vervangen")["delivery_id"][0]
    with pytest.raises(upload.RollbackRefused, match="niet de actuele levering"):
        upload.rollback_delivery(db, wh, KERN, replaced)
    with pytest.raises(upload.RollbackRefused, match="Levering 999 bestaat niet"):
        upload.rollback_delivery(db, wh, KERN, 999)
    assert kernteam_meetings(wh) == 6

    res = upload.rollback_delivery(db, wh, KERN, newest["delivery_id"])
    assert res.current == before["delivery_id"]
    assert kernteam_meetings(wh) == 4
    hist = upload.history(wh, "CDTS")
    assert hist.height == 7  # history stays
    by_id = {r["delivery_id"]: r["status"] for r in hist.iter_rows(named=True)}
    assert by_id[newest["delivery_id"]] == "teruggedraaid" and by_id[before["delivery_id"]] == "huidig"
    table = upload.history_table(hist)
    assert table.columns == ["Levering", "Bestand", "Tabblad", "Rijen", "Peildatum", "Geladen op", "Status",
                             "Teruggedraaid op"]
    assert sorted(set(table["Status"])) == ["huidig", "teruggedraaid", "vervangen"]
    wh.close()


# --- hostile files and failures --------------------------------------------------------------------------------


def test_hostile_files_are_rejected_and_leave_this_process_running(db: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # a temp folder of this test's own: another test uploading at the same time (pytest -n) has its dirs elsewhere
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    base = write_workbook(tmp_path / "b.xlsx", {"Begroting": [["Jaar", "Kostensoort", "Post", "Begroot"],
                                                            [2022, "basis", "Huur", 10]]})
    hostile = [zip_bomb(tmp_path / "bom.xlsx", megabytes=64), xfd_claim(tmp_path, cells=True),
               truncated(base, tmp_path / "afgebroken.xlsx")]
    pid = os.getpid()
    wh = Warehouse(db)
    for path in hostile:
        check = upload.check([as_upload(path)], db, KERN, chosen_deal="CDTS", wh=wh)
        assert check.result.status == "rejected" and not check.can_load, path.name
        assert check.result.problems[0].file == path.name
        result = upload.load([as_upload(path)], db, KERN, "CDTS")
        assert result.status == "rejected"
    messages = [upload.check([as_upload(p)], db, KERN, "CDTS", wh).result.problems[0].message for p in hostile]
    assert "verdacht" in messages[0]
    assert "XFD1048576" in messages[1]
    assert "beschadigd of niet volledig" in messages[2]
    assert os.getpid() == pid and kernteam_meetings(wh) == 4
    assert tempfile.gettempdir() == str(private)
    assert not list(private.glob("stuurhut-upload-*"))  # every temp dir is gone
    wh.close()


def test_an_unexpected_failure_becomes_a_dutch_message(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args, **kwargs):
        raise MemoryError("kapot")

    monkeypatch.setattr(upload, "load_files", broken)
    files = [as_upload(meetings_workbook(tmp_path / "x.xlsx", 1))]
    check = upload.check(files, db, KERN, "CDTS", Warehouse(db))
    assert [p.message for p in check.result.problems] == [
        "Er ging iets mis bij het controleren (MemoryError); er is niets geladen en de gegevens zijn ongewijzigd. "
        "Probeer het opnieuw of meld het aan de beheerder."]
    assert upload.load(files, db, KERN, "CDTS").problems[0].message.startswith("Er ging iets mis bij het laden")
