"""The loader: all-or-nothing batches, lineage, idempotent reloads, deal resolution, rollback, storage errors."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from etl.load import UsageError, load_files, rollback
from tests.conftest import write_workbook

DEAL = [["Code", "Naam", "Start", "Einde", "Peildatum"],
        ["CDOR", "City Deal Openbare Ruimte", dt.date(2020, 1, 1), dt.date(2023, 12, 31), dt.date(2022, 6, 30)]]
PARTS = [["Code", "Naam", "Soort"], ["OT1", "Integrale opgave", "ontwikkelteam"], ["KT", "Kernteam", "kernteam"]]
BUDGET = [["Jaar", "Kostensoort", "Post", "Onderdeel", "Begroot", "Gerealiseerd"],
          [2022, "ontwikkeling", "Atelier", "OT1", 10000, 4000.5],
          [2022, "basis", "Secretariaat", None, 2500, None]]
MEETINGS = [["ID", "Datum", "Soort", "Status"],
            ["M-1", dt.date(2022, 2, 1), "kernteam", None], ["M-2", dt.date(2022, 9, 1), "kernteam", "gepland"]]


def q(db: Path, sql: str, params: dict | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or {}).fetchall()
    finally:
        con.close()


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "cdor.xlsx", {"Deal": DEAL, "Onderdelen": PARTS, "Begroting": BUDGET,
                                                  "Bijeenkomsten": MEETINGS})


def test_first_load_creates_db_with_lineage(base: Path, tmp_db: Path):
    result = load_files([base], tmp_db)
    assert result.status == "loaded", result.problems
    assert result.rows == {"Deal": 1, "Onderdelen": 2, "Bijeenkomsten": 2, "Begroting": 2}
    assert result.batch_id == 1
    sha = hashlib.sha256(base.read_bytes()).hexdigest()
    assert q(tmp_db, "SELECT delivery_id, batch_id, deal, sheet, table_name, file, source_sheet, sha256, peildatum, rows, "
                     "rolled_back_at FROM meta.deliveries ORDER BY delivery_id") == [
        (1, 1, "CDOR", "Deal", "deal", "cdor.xlsx", "Deal", sha, dt.date(2022, 6, 30), 1, None),
        (2, 1, "CDOR", "Onderdelen", "parts", "cdor.xlsx", "Onderdelen", sha, dt.date(2022, 6, 30), 2, None),
        (3, 1, "CDOR", "Bijeenkomsten", "meetings", "cdor.xlsx", "Bijeenkomsten", sha, dt.date(2022, 6, 30), 2, None),
        (4, 1, "CDOR", "Begroting", "budget", "cdor.xlsx", "Begroting", sha, dt.date(2022, 6, 30), 2, None),
    ]
    assert q(tmp_db, "SELECT delivery_id, source_row, year, cost_type, post, part, budgeted, realised FROM raw.budget "
                     "ORDER BY source_row") == [
        (4, 2, 2022, "ontwikkeling", "Atelier", "OT1", Decimal("10000.00"), Decimal("4000.50")),
        (4, 3, 2022, "basis", "Secretariaat", None, Decimal("2500.00"), None),
    ]
    # Status is kept as delivered: the warehouse derives gehouden/gepland from the peildatum.
    assert q(tmp_db, "SELECT id, status FROM raw.meetings ORDER BY id") == [("M-1", None), ("M-2", "gepland")]
    assert not list(tmp_db.parent.glob("*.tmp-*"))


def test_reload_same_file_changes_nothing(base: Path, tmp_db: Path):
    load_files([base], tmp_db)
    before = tmp_db.read_bytes()
    again = load_files([base], tmp_db)
    assert again.status == "loaded"
    assert again.unchanged == ["Deal", "Onderdelen", "Bijeenkomsten", "Begroting"]
    assert again.deliveries == []
    assert tmp_db.read_bytes() == before
    assert q(tmp_db, "SELECT count(*) FROM meta.deliveries") == [(4,)]


def test_new_delivery_of_one_sheet_without_deal_sheet_uses_deal_option(base: Path, tmp_db: Path, tmp_path: Path):
    load_files([base], tmp_db)
    budget2 = write_workbook(tmp_path / "begroting-2.xlsx", {"Begroting": [BUDGET[0], [2023, "basis", "Huur", "KT", 900, None]]})
    result = load_files([budget2], tmp_db, deal="CDOR")
    assert result.status == "loaded", result.problems
    assert result.deliveries == [{"delivery_id": 5, "sheet": "Begroting", "file": "begroting-2.xlsx", "rows": 1}]
    # the deal's current peildatum applies to a delivery without a Deal sheet
    assert q(tmp_db, "SELECT peildatum, batch_id FROM meta.deliveries WHERE delivery_id = 5") == [(dt.date(2022, 6, 30), 2)]
    # rolling the new delivery back makes the previous one current again
    rb = rollback(tmp_db, 5)
    assert (rb.sheet, rb.deal, rb.current) == ("Begroting", "CDOR", 4)
    assert q(tmp_db, "SELECT delivery_id FROM meta.deliveries WHERE sheet = 'Begroting' AND rolled_back_at IS NULL") == [(4,)]
    with pytest.raises(ValueError, match="Levering 5 is al teruggedraaid"):
        rollback(tmp_db, 5)
    # ...and loading that same file again is a new delivery, not "already loaded"
    again = load_files([budget2], tmp_db, deal="CDOR")
    assert [d["delivery_id"] for d in again.deliveries] == [6]


def test_references_resolve_against_current_data_in_db(base: Path, tmp_db: Path, tmp_path: Path):
    load_files([base], tmp_db)
    att = write_workbook(tmp_path / "aanwezig.xlsx", {"Aanwezigheid": [
        ["Bijeenkomst", "Deelnemer", "Organisatie"], ["M-1", "Deelnemer 1", "Gemeente A"], ["M-7", "Deelnemer 2", "Gemeente B"]]})
    result = load_files([att], tmp_db, deal="CDOR")
    assert result.status == "rejected"
    assert [p.as_json() for p in result.problems] == [{
        "file": "aanwezig.xlsx", "sheet": "Aanwezigheid", "row": 3, "column": "Bijeenkomst",
        "message": "Bijeenkomst 'M-7' staat niet op het tabblad Bijeenkomsten (kolom ID); "
                   "gebruik een bestaande ID of voeg de rij daar toe"}]


def test_bad_second_file_rejects_whole_batch(base: Path, tmp_db: Path, tmp_path: Path):
    load_files([base], tmp_db)
    before = tmp_db.read_bytes()
    good = write_workbook(tmp_path / "partners.xlsx", {"Partners": [["Organisatie", "Soort"], ["Gemeente A", "gemeente"]]})
    bad = write_workbook(tmp_path / "bijdragen.xlsx", {"Bijdragen": [
        ["Jaar", "Organisatie", "Kostensoort", "Toegezegd"], [2022, "Gemeente A", "basis", "veel"]]})
    result = load_files([good, bad], tmp_db, deal="CDOR")
    assert result.status == "rejected"
    assert [(p.file, p.sheet, p.row, p.column) for p in result.problems] == [("bijdragen.xlsx", "Bijdragen", 2, "Toegezegd")]
    assert result.rows == {"Partners": 1, "Bijdragen": 1}
    assert tmp_db.read_bytes() == before
    assert q(tmp_db, "SELECT count(*) FROM raw.partners") == [(0,)]


def test_missing_deal(tmp_db: Path, tmp_path: Path):
    f = write_workbook(tmp_path / "begroting.xlsx", {"Begroting": BUDGET[:1] + [[2022, "basis", "Huur", None, 5, None]]})
    result = load_files([f], tmp_db)
    assert result.status == "rejected"
    assert [p.message for p in result.problems] == [
        "Geen tabblad Deal en geen --deal opgegeven: lever een tabblad Deal mee (Code, Naam, Peildatum) "
        "of geef de deal op met --deal CODE"]
    result = load_files([f], tmp_db, deal="CDX")
    assert [p.message for p in result.problems] == [
        "Deal 'CDX' staat nog niet in de database: lever de eerste keer een tabblad Deal mee (Code, Naam, Peildatum)"]
    assert not tmp_db.exists()


def test_deal_option_conflicting_with_deal_sheet(base: Path, tmp_db: Path):
    result = load_files([base], tmp_db, deal="CDX")
    assert [(p.sheet, p.row, p.column, p.message) for p in result.problems] == [
        ("Deal", 2, "Code", "Het tabblad Deal noemt deal 'CDOR', maar --deal is 'CDX'; laat --deal weg of corrigeer de Code")]


def test_same_sheet_in_two_files_is_rejected(base: Path, tmp_db: Path, tmp_path: Path):
    other = write_workbook(tmp_path / "begroting.xlsx", {"Begroting": BUDGET})
    result = load_files([base, other], tmp_db)
    assert [(p.file, p.sheet, p.message) for p in result.problems] == [
        ("begroting.xlsx", "Begroting", "Tabblad Begroting is ook al aangeleverd in cdor.xlsx (tabblad Begroting); "
                                        "lever elk tabblad maar één keer per keer laden")]


def test_dry_run_writes_nothing(base: Path, tmp_db: Path):
    result = load_files([base], tmp_db, dry_run=True)
    assert (result.status, result.dry_run, result.deliveries) == ("loaded", True, [])
    assert result.rows["Begroting"] == 2
    assert not tmp_db.exists()
    assert not (tmp_db.parent / ".stuurhut.key").exists()


def test_missing_file_is_usage_error(tmp_db: Path, tmp_path: Path):
    with pytest.raises(UsageError, match="Bestand niet gevonden"):
        load_files([tmp_path / "nergens.xlsx"], tmp_db)


def test_leftover_tmp_files_are_cleaned(base: Path, tmp_db: Path):
    stale = tmp_db.with_name(tmp_db.name + ".tmp-99999")
    stale.write_bytes(b"half a database")
    load_files([base], tmp_db)
    assert not stale.exists()


def test_pseudonyms_match_across_files_and_key_is_private(base: Path, tmp_db: Path, tmp_path: Path):
    load_files([base], tmp_db)
    a = write_workbook(tmp_path / "a.xlsx", {"Aanwezigheid": [
        ["Bijeenkomst", "Deelnemer", "Organisatie"], ["M-1", "a.jansen@voorbeeld.nl", "Gemeente A"],
        ["M-2", "  A.Jansen@Voorbeeld.nl ", "Gemeente A"], ["M-2", "Deelnemer 12", "Gemeente B"], ["M-1", None, "Gemeente C"]]})
    assert load_files([a], tmp_db, deal="CDOR").status == "loaded"
    rows = q(tmp_db, "SELECT source_row, participant FROM raw.attendance ORDER BY source_row")
    assert rows[0][1] == rows[1][1]
    assert rows[0][1] != rows[2][1]
    assert rows[3][1] is None
    assert all(len(r[1]) == 16 and int(r[1], 16) >= 0 for r in rows[:3])
    key = tmp_path / ".stuurhut.key"
    assert oct(key.stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize("lock_exists", [False, True])
def test_read_only_directory(base: Path, tmp_path: Path, monkeypatch, lock_exists: bool):
    import builtins
    import errno

    import etl.load

    ro = tmp_path / "ro"
    ro.mkdir()
    db = ro / "stuurhut.duckdb"
    assert load_files([base], db).status == "loaded"
    before = db.read_bytes()
    if not lock_exists:
        (ro / "stuurhut.duckdb.lock").unlink()
    if os.geteuid() == 0:  # root ignores permission bits: make writes into ro/ fail as a read-only mount would
        real_open, real_copy = builtins.open, etl.load.shutil.copyfile

        def guarded_open(path, mode="r", *a, **k):
            if Path(path).parent == ro and not Path(path).exists() and mode != "r":
                raise OSError(errno.EROFS, "Read-only file system", str(path))
            return real_open(path, mode, *a, **k)

        def guarded_copy(src, dst, *a, **k):
            if Path(dst).parent == ro:
                raise OSError(errno.EROFS, "Read-only file system", str(dst))
            return real_copy(src, dst, *a, **k)

        monkeypatch.setattr(etl.load, "open", guarded_open, raising=False)
        monkeypatch.setattr(etl.load.shutil, "copyfile", guarded_copy)
    ro.chmod(0o555)
    try:
        extra = write_workbook(tmp_path / "p.xlsx", {"Partners": [["Organisatie", "Soort"], ["Gemeente A", "gemeente"]]})
        result = load_files([extra], db, deal="CDOR")
    finally:
        ro.chmod(0o755)
    assert result.status == "rejected"
    assert result.problems[0].message == (
        f"Geen schrijfrechten in de map {ro}: de database kon niet worden bijgewerkt. Er is niets geladen; "
        "de vorige gegevens zijn ongewijzigd. Kies met --db een map waarin je mag schrijven.")
    assert db.read_bytes() == before
    assert sorted(p.name for p in ro.iterdir()) == ["stuurhut.duckdb"] + (["stuurhut.duckdb.lock"] if lock_exists else [])


def test_full_disk_during_write_leaves_db_intact(base: Path, tmp_db: Path, tmp_path: Path, monkeypatch):
    import errno

    import etl.load

    load_files([base], tmp_db)
    before = tmp_db.read_bytes()

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(etl.load.shutil, "copyfile", full)
    extra = write_workbook(tmp_path / "p.xlsx", {"Partners": [["Organisatie", "Soort"], ["Gemeente A", "gemeente"]]})
    result = load_files([extra], tmp_db, deal="CDOR")
    assert result.status == "rejected"
    assert result.problems[0].message.startswith("De schijf is vol:")
    assert tmp_db.read_bytes() == before
    assert not list(tmp_path.glob("*.tmp-*"))


def test_workbook_as_people_write_it(tmp_db: Path, tmp_path: Path):
    """Title rows, text amounts and dates, an empty row and a closing Totaal row: loaded with Excel row numbers."""
    f = write_workbook(tmp_path / "Begroting CDOR 2022 (definitief).xlsx", {
        "Deal": DEAL,
        "Onderdelen": PARTS,
        "begroting ": [
            ["Begroting City Deal Openbare Ruimte 2022"],
            ["Bedragen in euro, stand 30 juni"],
            [],
            ["jaar", "Kosten soort", "POST", "Team", "Begroot (€)", "Gerealiseerd"],
            [2022, "Ontwikkeling", "Atelier", "OT1", "€ 12.500,00", "€ 4.000,50"],
            [],
            ["2022", "basis", "Secretariaat", None, "2.500", None],
            ["Totaal", None, None, None, "€ 15.000,00", "€ 4.000,50"],
        ],
        "Knelpunten": [["Datum", "Knelpunt", "Status", "Ernst"],
                       ["17-12-2021", "Te weinig capaciteit bij gemeenten", "open", "Hoog"],
                       ["3 januari 2022", "Trage besluitvorming", "in behandeling", None]],
    })
    result = load_files([f], tmp_db)
    assert result.status == "loaded", result.problems
    assert result.rows["Begroting"] == 2
    assert q(tmp_db, "SELECT source_row, year, cost_type, part, budgeted, realised FROM raw.budget ORDER BY source_row") == [
        (5, 2022, "ontwikkeling", "OT1", Decimal("12500.00"), Decimal("4000.50")),
        (7, 2022, "basis", None, Decimal("2500.00"), None),
    ]
    assert q(tmp_db, "SELECT date, severity FROM raw.bottlenecks ORDER BY source_row") == [
        (dt.date(2021, 12, 17), "hoog"), (dt.date(2022, 1, 3), None)]


def test_warnings_are_kept_per_delivery(base: Path, tmp_db: Path, tmp_path: Path):
    load_files([base], tmp_db)
    f = write_workbook(tmp_path / "mijlpalen.xlsx", {"Mijlpalen": [
        ["Onderdeel", "Mijlpaal", "Gepland", "Gereed", "Status"],
        ["OT1", "Afwegingskader gereed", "2022-Q2", dt.date(2022, 8, 1), "gereed"],
        ["OT1", "Pilot gestart", "Q1 2022", None, "loopt"]]})
    result = load_files([f], tmp_db, deal="CDOR")
    assert result.status == "loaded", result.problems
    assert [(w.row, w.column, w.message) for w in result.warnings] == [
        (2, "Gereed", "Gereed 01-08-2022 ligt na de Peildatum 30-06-2022; klopt de datum?")]
    assert q(tmp_db, "SELECT delivery_id, sheet, row, \"column\", message FROM meta.warnings") == [
        (5, "Mijlpalen", 2, "Gereed", "Gereed 01-08-2022 ligt na de Peildatum 30-06-2022; klopt de datum?")]
    assert q(tmp_db, "SELECT planned FROM raw.milestones ORDER BY source_row") == [(dt.date(2022, 6, 30),), (dt.date(2022, 3, 31),)]


def test_not_a_database(base: Path, tmp_path: Path):
    db = tmp_path / "kapot.duckdb"
    db.write_bytes(b"dit is geen database" * 100)
    result = load_files([base], db)
    assert result.status == "rejected"
    assert result.problems[0].message.startswith(f"De database {db} kan niet worden geopend (")
    assert result.problems[0].message.endswith("er is niets geladen. Controleer of het pad naar een Stuurhut-database wijst.")
    assert db.read_bytes() == b"dit is geen database" * 100


def test_a_missing_required_column_is_reported_once(tmp_db: Path, tmp_path: Path):
    """The reader names the header row and what to add; the validator does not repeat it in other words."""
    from etl.load import format_text

    path = write_workbook(tmp_path / "zonder-datum.xlsx", {
        "Deal": [["Code", "Naam", "Start", "Einde", "Peildatum"],
                 ["CDX", "City Deal X", dt.date(2022, 1, 1), dt.date(2023, 12, 31), dt.date(2022, 6, 30)]],
        "Bijeenkomsten": [["ID", "Soort", "Titel", "Status"], ["K1", "kernteam", "Kernteam 1", "gehouden"]],
    })
    r = load_files([path], tmp_db)
    assert r.status == "rejected"
    assert [(p.sheet, p.row, p.column) for p in r.problems] == [("Bijeenkomsten", 1, "Datum")]
    assert format_text(r).splitlines()[-1].strip() == (
        "rij 1, Datum: Tabblad 'Bijeenkomsten': de verplichte kolom Datum ontbreekt in de kopregel (rij 1). "
        "Voeg een kolom 'Datum' toe.")
    assert not tmp_db.exists()


def test_a_load_recomputes_the_materialised_indicators_of_its_own_deal_only(base: Path, tmp_db: Path, tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch):
    """indicator_values_now after loads of two deals equals the macro; a new CDOR delivery recomputes CDOR only."""
    from etl import warehouse

    other = write_workbook(tmp_path / "cdkw.xlsx", {
        "Deal": [["Code", "Naam", "Start", "Einde", "Peildatum"],
                 ["CDKW", "City Deal Klimaat (fictief)", dt.date(2021, 1, 1), dt.date(2023, 12, 31), dt.date(2022, 6, 30)]],
        "Bijeenkomsten": [["ID", "Datum", "Soort", "Status"], ["W-1", dt.date(2022, 3, 1), "kernteam", None]]})
    refreshed: list[str | None] = []
    real = warehouse.refresh_materialised
    monkeypatch.setattr(warehouse, "refresh_materialised", lambda con, deal=None: refreshed.append(deal) or real(con, deal))
    assert load_files([base], tmp_db).status == "loaded"
    assert load_files([other], tmp_db).status == "loaded"
    more = write_workbook(tmp_path / "cdor-meer.xlsx", {"Bijeenkomsten": MEETINGS + [
        ["M-3", dt.date(2022, 4, 1), "kernteam", None], ["M-4", dt.date(2022, 5, 1), "kernteam", None]]})
    assert load_files([more], tmp_db, deal="CDOR").status == "loaded"
    # the first load created the models (everything computed), the next ones recomputed their own deal
    assert refreshed == [None, "CDKW", "CDOR"]
    held = "SELECT value FROM {} WHERE deal = 'CDOR' AND year = 2022 AND indicator = 'kernteam_meetings'"
    assert q(tmp_db, held.format("indicator_values_now")) == q(tmp_db, held.format("indicator_values(NULL, NULL)")) == [(3,)]
    every = "SELECT * FROM {} ORDER BY deal, year, indicator"
    now = q(tmp_db, every.format("indicator_values_now"))
    assert {r[0] for r in now} == {"CDOR", "CDKW"}
    assert now == q(tmp_db, every.format("indicator_values(NULL, NULL)"))
