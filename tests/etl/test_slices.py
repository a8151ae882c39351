"""A big streamed sheet is read, validated and written in slices: the same rows and problems as read whole."""

from __future__ import annotations

import datetime as dt
import glob
import tempfile
from pathlib import Path

import duckdb
import pytest

from etl import guard, read
from etl.load import load_files
from etl.validate import MAX_MESSAGES
from tests.etl.messy import write_xlsx

DEAL = [["Code", "Naam", "Start", "Einde", "Peildatum"],
        ["CDTS", "City Deal Test (fictief)", dt.date(2021, 1, 1), dt.date(2023, 12, 31), dt.date(2022, 10, 31)]]
MEETINGS = [["ID", "Datum", "Soort"]] + [[f"M{i}", dt.date(2022, 1, 1 + i), "kernteam"] for i in range(1, 6)]
SLICE = 7  # rows per slice in these tests: every sheet below spans several


def attendance(n: int, *, bad: dict[int, list] | None = None) -> list[list]:
    """n data rows (Excel rows 3..n+2 under a title row), some replaced by `bad` (index -> row), a blank row and a
    closing total row."""
    rows: list[list] = [["Presentielijst"], ["Bijeenkomst", "Deelnemer", "Organisatie", "Rol", "Aanwezig"]]
    for i in range(n):
        rows.append((bad or {}).get(i, [f"m{i % 5 + 1}", f"persoon{i % 4}@voorbeeld.nl", f"Gemeente {i % 3}", "lid",
                                        ["ja", "nee", "afgemeld"][i % 3]]))
    rows.insert(12, [None, "  ", None, None, None])  # a blank Excel row 13, inside the second slice
    rows.append(["Totaal", None, None, None, None])
    return rows


def leftovers() -> list[str]:
    """Everything in the temporary folder (each test has its own, see load): the reader's files, the typed slices."""
    return sorted(glob.glob(f"{tempfile.gettempdir()}/*"))


def load(path: Path, db: Path, monkeypatch, sliced: bool, **kw):
    own = path.parent / "tmp"
    own.mkdir(exist_ok=True)
    monkeypatch.setattr(tempfile, "tempdir", str(own))  # other test workers use the shared one at the same time
    monkeypatch.setattr(guard, "STREAM_BYTES", 0)  # every sheet is streamed by etl/xlsx_stream
    monkeypatch.setattr(read, "CHUNK_ROWS", SLICE if sliced else 10**9)
    seen: list[str] = []
    real = read._finish_in_slices

    def spy(t, *rest):
        seen.append(t.name)
        return real(t, *rest)

    monkeypatch.setattr(read, "_finish_in_slices", spy)
    result = load_files([path], db, **kw)
    assert bool(seen) == sliced, seen
    return result


def rows_of(db: Path, table: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(f"SELECT * FROM raw.{table} ORDER BY source_row").fetchall()  # noqa: S608 - test constant
    finally:
        con.close()


def problems(result) -> list[tuple]:
    return [(p.file, p.sheet, p.row, p.column, p.message, p.severity) for p in result.problems + result.warnings]


@pytest.mark.parametrize("dry_run", [False, True], ids=["load", "dry-run"])
def test_sliced_load_writes_the_same_rows(tmp_path: Path, monkeypatch, dry_run: bool) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", {"Deal": DEAL, "Bijeenkomsten": MEETINGS, "Aanwezigheid": attendance(40)})
    whole = load(path, tmp_path / "whole.duckdb", monkeypatch, sliced=False, dry_run=dry_run)
    sliced = load(path, tmp_path / "sliced.duckdb", monkeypatch, sliced=True, dry_run=dry_run)
    assert whole.status == sliced.status == "loaded", problems(sliced)
    assert sliced.rows == whole.rows == {"Deal": 1, "Bijeenkomsten": 5, "Aanwezigheid": 40}
    assert problems(sliced) == problems(whole)
    if not dry_run:
        assert [d["rows"] for d in sliced.deliveries] == [1, 5, 40]
        got = rows_of(tmp_path / "sliced.duckdb", "attendance")
        assert got == rows_of(tmp_path / "whole.duckdb", "attendance")
        # Excel rows 3..12 and 14..43: the blank row 13 and the total row 44 are gone; "m1" spelled as "M1"
        assert [r[1] for r in got] == [*range(3, 13), *range(14, 44)]
        assert got[0][2] == "M1" and got[0][3] != "persoon0@voorbeeld.nl"  # pseudonymised
    assert leftovers() == []


def test_sliced_rejection_gives_the_same_problems_and_writes_nothing(tmp_path: Path, monkeypatch) -> None:
    """Dangling references, missing values and unreadable values spread over the slices, more than MAX_MESSAGES of
    one kind (the summary line counts over all slices): the same problems in the same order, the DB untouched."""
    bad = {i: ["M1", "x", "Gemeente", "lid", "misschien"] for i in range(0, 130, 2)}  # 64 (one overwritten below) > 50
    bad |= {3: ["M9", "p", "Gemeente", "lid", "ja"], 25: ["M77", "p", "Gemeente", "lid", "ja"],
            26: ["M1", "p", None, "lid", "ja"], 39: ["M1", "p", "  ", "lid", "ja"]}
    path = write_xlsx(tmp_path / "a.xlsx", {"Deal": DEAL, "Bijeenkomsten": MEETINGS, "Aanwezigheid": attendance(140, bad=bad)})
    whole = load(path, tmp_path / "whole.duckdb", monkeypatch, sliced=False)
    db = tmp_path / "sliced.duckdb"
    first = load(write_xlsx(tmp_path / "ok.xlsx", {"Deal": DEAL, "Bijeenkomsten": MEETINGS}), db, monkeypatch,
                 sliced=False)
    assert first.status == "loaded"
    stamp = db.read_bytes()
    sliced = load(path, db, monkeypatch, sliced=True)
    assert whole.status == sliced.status == "rejected"
    assert problems(sliced) == problems(whole)
    got = problems(sliced)
    refs = [p for p in got if p[3] == "Bijeenkomst"]
    assert [(p[2], p[4]) for p in refs] == [
        (6, "Bijeenkomst 'M9' staat niet op het tabblad Bijeenkomsten (kolom ID); gebruik een bestaande ID of voeg "
            "de rij daar toe"),
        (29, "Bijeenkomst 'M77' staat niet op het tabblad Bijeenkomsten (kolom ID); gebruik een bestaande ID of voeg "
             "de rij daar toe")]
    assert [p[2] for p in got if p[3] == "Organisatie"] == [30, 43]
    present = [p for p in got if p[3] == "Aanwezig"]
    assert len(present) == MAX_MESSAGES + 1
    assert present[0][2] == 3 and present[-1][2:5] == (None, "Aanwezig",
                                                         "... en nog 14 rijen met hetzelfde probleem")
    assert db.read_bytes() == stamp  # nothing written
    assert leftovers() == []


def test_sliced_duplicate_key_across_slices(tmp_path: Path, monkeypatch) -> None:
    """A survey's (Respondent, Meting, Vraag) given twice, ten slices apart: one message naming both rows."""
    head = [["Respondent", "Meting", "Vraag", "Antwoord"]]
    body = [[f"r{i}", "2022-11", f"V{i % 3}", "eens"] for i in range(80)]
    body[70] = ["r4", "2022-11", "V1", "oneens"]  # the same as row 4 of the data
    path = write_xlsx(tmp_path / "e.xlsx", {"Deal": DEAL, "Enquete": head + body})
    whole = load(path, tmp_path / "whole.duckdb", monkeypatch, sliced=False)
    sliced = load(path, tmp_path / "sliced.duckdb", monkeypatch, sliced=True)
    assert whole.status == sliced.status == "rejected"
    assert problems(sliced) == problems(whole)
    assert [(p.row, p.column, p.message) for p in sliced.problems] == [
        (72, "Respondent", "De combinatie Respondent (persoonsgegeven, niet getoond), Meting 2022-11, Vraag V1 komt "
                           "twee keer voor (rij 6 en 72); maak de rijen uniek of voeg ze samen")]


def test_sliced_survey_loads_the_same_scores(tmp_path: Path, monkeypatch) -> None:
    head = [["Respondent", "Meting", "Vraag", "Antwoord"]]
    body = [[f"r{i}", "2022-11", f"V{i % 3}", ["eens", "oneens", "neutraal"][i % 3]] for i in range(30)]
    path = write_xlsx(tmp_path / "e.xlsx", {"Deal": DEAL, "Enquete": head + body})
    whole = load(path, tmp_path / "whole.duckdb", monkeypatch, sliced=False)
    sliced = load(path, tmp_path / "sliced.duckdb", monkeypatch, sliced=True)
    assert whole.status == sliced.status == "loaded", problems(sliced)
    got = rows_of(tmp_path / "sliced.duckdb", "survey")
    assert got == rows_of(tmp_path / "whole.duckdb", "survey") and len(got) == 30


def test_read_file_gives_the_whole_sheet_of_a_sliced_read(tmp_path: Path, monkeypatch) -> None:
    """read_file + validate (callers outside the loader) still see every row of a sheet read in slices."""
    from etl.read import read_file
    from etl.validate import Context, validate

    path = write_xlsx(tmp_path / "a.xlsx", {"Aanwezigheid": attendance(20)})
    monkeypatch.setattr(guard, "STREAM_BYTES", 0)
    monkeypatch.setattr(read, "CHUNK_ROWS", SLICE)
    [sheet] = read_file(path).sheets
    assert sheet.chunks is not None and sheet.height == 20 and sheet.frame.height == 0
    typed, _ = validate(sheet, Context())
    assert typed["source_row"].to_list() == [*range(3, 13), *range(14, 24)]
    sheet.close()
    assert not Path(sheet.chunks.path).exists()


def test_big_delivery_is_told_by_its_sheet_xml(tmp_path: Path, monkeypatch) -> None:
    """The CLI returns polars' freed pages at once only for a workbook with a sheet the reader streams."""
    from etl.cli import _big

    path = write_xlsx(tmp_path / "a.xlsx", {"Aanwezigheid": attendance(20)})
    csv = tmp_path / "aanwezigheid.csv"
    csv.write_text("Bijeenkomst;Organisatie\nM1;Gemeente\n", encoding="utf-8")
    assert not _big([path, csv])
    monkeypatch.setattr(guard, "STREAM_BYTES", 1000)
    assert _big([csv, path]) and not _big([csv])


def test_pseudonyms_kept_across_slices_are_the_same() -> None:
    import polars as pl

    from etl.pseudo import pseudonymise

    key = b"k" * 32
    first = pl.Series("p", ["a@x.nl", "B@x.nl ", None, "  "])
    second = pl.Series("p", ["b@x.nl", "c@x.nl", "a@x.nl"])
    memo: dict = {}
    got = pseudonymise(first, key, memo).to_list() + pseudonymise(second, key, memo).to_list()
    assert got == pseudonymise(first, key).to_list() + pseudonymise(second, key).to_list()
    assert got[1] == got[4] and got[0] == got[6] and got[2] is None and got[3] is None
    assert sorted(memo) == ["  ", "B@x.nl ", "a@x.nl", "b@x.nl", "c@x.nl"] and memo["  "] is None


def test_typed_slices_of_a_killed_load_are_removed_by_the_next(tmp_path: Path, monkeypatch) -> None:
    """The typed slices are not yet pseudonymised: a folder left by a load that was killed goes with the next load
    that slices; one of a load still running stays."""
    import os
    import subprocess
    import sys

    from etl.load import SPILL_PREFIX

    path = write_xlsx(tmp_path / "a.xlsx", {"Deal": DEAL, "Bijeenkomsten": MEETINGS, "Aanwezigheid": attendance(20)})
    own = tmp_path / "tmp"
    own.mkdir()
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True).stdout.strip()
    stale = own / f"{SPILL_PREFIX}{gone}-abc"
    live = own / f"{SPILL_PREFIX}{os.getppid()}-def"
    for d in (stale, live):
        d.mkdir()
        (d / "1.parquet").write_bytes(b"x")
    result = load(path, tmp_path / "x.duckdb", monkeypatch, sliced=True)
    assert result.status == "loaded", problems(result)
    assert leftovers() == [str(live)]


def test_whole_sheet_problems_of_a_sliced_sheet_come_once(tmp_path: Path, monkeypatch) -> None:
    """A missing required column and an unchecked reference are said once, as for the sheet read whole."""
    rows = [r[:2] + r[3:] for r in attendance(30)]  # no Organisatie column
    path = write_xlsx(tmp_path / "a.xlsx", {"Deal": DEAL, "Aanwezigheid": rows})
    whole = load(path, tmp_path / "whole.duckdb", monkeypatch, sliced=False)
    sliced = load(path, tmp_path / "sliced.duckdb", monkeypatch, sliced=True)
    assert problems(sliced) == problems(whole)
    assert [(p[2], p[3], p[5]) for p in problems(sliced)] == [(2, "Organisatie", "error"), (None, "Bijeenkomst", "warning")]
    assert problems(sliced)[1][4] == ("Bijeenkomst kon niet worden gecontroleerd: het tabblad Bijeenkomsten is nog "
                                      "niet aangeleverd voor deze deal")


def test_a_parse_awaited_before_the_loader_starts_loads_the_same(tmp_path: Path, monkeypatch) -> None:
    """The CLI lets the reader child of a big delivery finish before importing the loader: its result is kept."""
    from etl.begin import Parsing, begin_early
    from etl.cli import _await_parses

    path = write_xlsx(tmp_path / "a.xlsx", {"Deal": DEAL, "Bijeenkomsten": MEETINGS, "Aanwezigheid": attendance(20)})
    begun = begin_early([path])
    [parsing] = begun.values()
    assert isinstance(parsing, Parsing)
    _await_parses(begun)
    assert parsing.child is None or parsing.child.pid is None  # collected
    result = load_files([path], tmp_path / "x.duckdb", begun=begun)
    assert result.status == "loaded" and result.rows["Aanwezigheid"] == 20


def test_the_insert_memory_limit_grows_with_the_rows_width(tmp_path: Path) -> None:
    """The sliced INSERT runs under a memory limit (DuckDB then lets written blocks go); a sheet of long texts must
    get a limit it cannot run out of, or its load would fail with DuckDB's out-of-memory error."""
    import duckdb
    import polars as pl

    from etl.load import INSERT_MEMORY_FLOOR, _insert_memory

    narrow, wide, same = tmp_path / "narrow.parquet", tmp_path / "wide.parquet", tmp_path / "same.parquet"
    pl.DataFrame({"a": [f"M{i:05d}" for i in range(50_000)]}).write_parquet(narrow, row_group_size=25_000)
    text = "een lang open antwoord " * 17  # ~400 characters, different in every row (as open answers are)
    pl.DataFrame({f"t{j}": [f"{i} {text}" for i in range(26_000)] for j in range(3)}).write_parquet(
        wide, row_group_size=25_000, compression="uncompressed")
    pl.DataFrame({f"t{j}": [text] * 26_000 for j in range(3)}).write_parquet(same, row_group_size=25_000)
    con = duckdb.connect(str(tmp_path / "t.duckdb"))
    assert _insert_memory(con, [narrow, narrow]) == INSERT_MEMORY_FLOOR
    limit = _insert_memory(con, [wide, wide])
    assert limit > 2 * 25_000 * 3 * len(text)  # a whole row group of the Parquet file, twice over, at least
    for path, mib in ((wide, limit // 2**20), (same, _insert_memory(con, [same]) // 2**20)):
        con.execute("CREATE OR REPLACE TABLE t AS SELECT * FROM read_parquet($p) LIMIT 0", {"p": str(path)})
        con.execute("SET threads = 1")
        con.execute(f"SET memory_limit = '{mib}MiB'")
        con.execute("INSERT INTO t SELECT * FROM read_parquet($p)", {"p": [str(path), str(path)]})
        assert con.execute("SELECT count(*) FROM t").fetchone() == (52_000,)
