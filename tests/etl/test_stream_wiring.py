"""Big sheets go through etl/xlsx_stream in the read child: same sheets and problems as calamine, no files left."""

from __future__ import annotations

import datetime as dt
import glob
import re
import tempfile
from pathlib import Path

import pytest

from etl import guard, parse
from etl.contract import Part
from etl.load import load_files
from etl.read import read_file
from tests.etl.messy import rewrite_member, write_ods, write_xlsx

DEMO = sorted((Path(__file__).resolve().parents[2] / "data" / "demo").glob("*.xlsx"))


def leftovers() -> list[str]:
    tmp = tempfile.gettempdir()
    return glob.glob(f"{tmp}/stuurhut-read-*.arrow") + glob.glob(f"{tmp}/stuurhut-sheet-*")


def summary(r) -> tuple:
    return ([(s.model.sheet, s.header_row, s.frame.to_dicts(), s.extra) for s in r.sheets],
            [(p.severity, p.sheet, p.row, p.column, p.message) for p in r.problems])


@pytest.mark.parametrize("path", DEMO, ids=[p.name for p in DEMO])
@pytest.mark.parametrize("isolate", [True, False], ids=["child", "in-process"])
def test_streamed_sheets_read_as_calamine_reads_them(path: Path, isolate: bool, monkeypatch, tmp_path: Path) -> None:
    # a temp folder of this test's own: another test worker's reads come and go in the shared one meanwhile
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    before = set(leftovers())
    calamine = summary(read_file(path, isolate=isolate))
    streamed: list[str] = []
    real = parse._stream

    def spy(p, scan, t, model):
        ok = real(p, scan, t, model)
        streamed.append(t.name) if ok else None
        return ok

    monkeypatch.setattr(guard, "STREAM_BYTES", 0)  # every sheet counts as big
    monkeypatch.setattr(parse, "_stream", spy)
    assert summary(read_file(path, isolate=isolate)) == calamine
    if not isolate:
        assert streamed  # the stream reader did the reading (the child's calls are not seen here)
    assert set(leftovers()) == before


def test_excel_error_cells_are_named_by_their_own_cell(tmp_path: Path, monkeypatch) -> None:
    """Header on row 3, data from column C: a #DIV/0! in F5 is reported as F5, by both readers."""
    rows = [["Onderdelen"], [], [None, None, "Code", "Naam", "Soort", "Trekker"],
            [None, None, "OT1", "Integrale opgave", "ontwikkelteam", "Gemeente A"],
            [None, None, "OT2", "Groen", "ontwikkelteam", None]]
    rows[4][5] = "x"

    def error_cell(xml: bytes) -> bytes:  # the cell as Excel saves a formula that divides by zero
        out = re.sub(rb'<c r="F5"[^>]*>.*?</c>', b'<c r="F5" t="e"><f>1/0</f><v>#DIV/0!</v></c>', xml)
        assert out != xml
        return out

    path = rewrite_member(write_xlsx(tmp_path / "p.xlsx", {"Onderdelen": rows}), tmp_path / "o.xlsx",
                          "xl/worksheets/sheet1.xml", error_cell)
    for big in (False, True):
        if big:
            monkeypatch.setattr(guard, "STREAM_BYTES", 0)
        r = read_file(path)
        [s] = r.sheets
        assert s.model.sheet == Part.sheet and s.header_row == 3
        assert [(p.row, p.column) for p in r.problems] == [(5, "Trekker")], big
        assert r.problems[0].message.startswith("Cel F5 bevat een Excel-fout"), big


def test_ods_numbers_in_a_mixed_column_keep_their_value(tmp_path: Path) -> None:
    """1.234 typed as a number in a column that also holds "€ 2.500,00" text is 1,23, not 1.234 euro."""
    import duckdb

    deal = [["Code", "Naam", "Start", "Einde", "Peildatum"],
            ["CDTS", "City Deal Test (fictief)", dt.date(2021, 1, 1), dt.date(2023, 12, 31), "31-10-2022"]]
    rows = [["Jaar", "Kostensoort", "Post", "Begroot"],
            [2022, "basis", "Huur", 1.234],
            [2022, "basis", "Catering", "€ 2.500,00"]]
    deal[1][2:4] = ["01-01-2021", "31-12-2023"]
    db = tmp_path / "x.duckdb"
    r = load_files([write_ods(tmp_path / "b.ods", {"Deal": deal, "Begroting": rows})], db)
    assert r.status == "loaded", [p.message for p in r.problems]
    con = duckdb.connect(str(db), read_only=True)
    got = con.sql("SELECT post, budgeted FROM raw.budget ORDER BY post").fetchall()
    assert [(p, float(v)) for p, v in got] == [("Catering", 2500.0), ("Huur", 1.23)]
