"""Hostile and broken files are rejected quickly with a Dutch message; the isolated child contains crashes."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from etl import guard, parse, read
from etl.read import read_file
from tests.etl.messy import encrypted_like, ods_repeat_bomb, truncated, write_xlsx, xfd_claim, zip_bomb

BUDGET = {"Begroting": [["Jaar", "Kostensoort", "Post", "Begroot"], [2022, "basis", "Huur", 10]]}


def only_error(result) -> str:
    assert result.sheets == []
    [p] = result.problems
    assert p.severity == "error" and p.row is None
    return p.message


def test_zip_bomb_rejected_from_directory_before_inflating(tmp_path: Path):
    path = zip_bomb(tmp_path / "bom.xlsx", megabytes=64)
    assert path.stat().st_size < 1024**2
    t = time.perf_counter()
    msg = only_error(read_file(path))
    assert time.perf_counter() - t < 2
    assert "verdacht" in msg and "xl/worksheets/sheet1.xml" in msg and "64 MB" in msg


def test_total_uncompressed_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = write_xlsx(tmp_path / "groot.xlsx", BUDGET)
    monkeypatch.setattr(guard, "MAX_TOTAL_UNCOMPRESSED", 1000)
    msg = only_error(read_file(path, isolate=False))
    assert "te groot" in msg and "maximaal 0 MB" in msg


def test_cell_at_xfd1048576_rejected_before_calamine_aborts(tmp_path: Path):
    path = xfd_claim(tmp_path, cells=True)
    r = read_file(path, isolate=False)  # in-process: without the guard this would abort the test process
    [p] = r.problems
    assert p.sheet == "Begroting" and "XFD1048576" in p.message and "te groot of beschadigd" in p.message


def test_calamine_really_aborts_on_that_file_and_the_child_contains_it(tmp_path: Path):
    path = xfd_claim(tmp_path, cells=True)

    def bare_parse(p: str) -> int:
        import fastexcel

        return fastexcel.read_excel(p).load_sheet(0, header_row=None).height

    with pytest.raises(guard.ChildFailed) as info:
        guard.run_isolated(bare_parse, str(path), timeout=20)
    assert info.value.reason.startswith(("signal", "exit"))


def test_dimension_claim_alone_is_read(tmp_path: Path):
    # Excel writes such dimensions for formatted whole rows; calamine allocates only for real cells
    r = read_file(xfd_claim(tmp_path, cells=False))
    assert r.problems == []
    assert r.sheets[0].frame["post"].to_list() == ["Huur"]


def test_styled_empty_cells_far_away_do_not_count(tmp_path: Path):
    from tests.etl.messy import rewrite_member

    base = write_xlsx(tmp_path / "b.xlsx", BUDGET)
    path = rewrite_member(base, tmp_path / "styled.xlsx", "xl/worksheets/sheet1.xml",
                          lambda d: d.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" s="0"/></row></sheetData>'))
    r = read_file(path)
    assert r.problems == [] and r.sheets[0].frame.height == 1


def test_truncated_xlsx(tmp_path: Path):
    path = truncated(write_xlsx(tmp_path / "b.xlsx", BUDGET), tmp_path / "afgebroken.xlsx")
    msg = only_error(read_file(path))
    assert "beschadigd of niet volledig" in msg and msg.startswith("afgebroken.xlsx")


def test_text_renamed_to_xlsx(tmp_path: Path):
    path = tmp_path / "notities.xlsx"
    path.write_text("Jaar;Post\n2022;Huur\n")
    assert only_error(read_file(path)) == (
        "notities.xlsx is geen Excel-, ODS- of CSV-bestand; sla het op als .xlsx en lever het opnieuw aan.")


def test_pdf_renamed_to_xlsx(tmp_path: Path):
    path = tmp_path / "rapport.xlsx"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    msg = only_error(read_file(path))
    assert "PDF" in msg and "geen Excel-, ODS- of CSV-bestand" in msg


def test_other_extension(tmp_path: Path):
    path = tmp_path / "data.txt"
    path.write_text("Jaar;Post\n")
    assert "geen Excel-, ODS- of CSV-bestand" in only_error(read_file(path))


def test_password_protected_xlsx(tmp_path: Path):
    msg = only_error(read_file(encrypted_like(tmp_path / "geheim.xlsx")))
    assert "beveiligd met een wachtwoord" in msg and "zonder wachtwoord" in msg


def test_old_xls(tmp_path: Path):
    msg = only_error(read_file(encrypted_like(tmp_path / "oud.xls")))
    assert ".xls" in msg and "sla het op als .xlsx" in msg


def test_ods_repeated_rows_bomb(tmp_path: Path):
    t = time.perf_counter()
    msg = only_error(read_file(ods_repeat_bomb(tmp_path / "herhaal.ods")))
    assert time.perf_counter() - t < 2
    assert "onrealistisch veel rijen" in msg


def test_empty_file(tmp_path: Path):
    path = tmp_path / "leeg.xlsx"
    path.write_bytes(b"")
    assert "is leeg" in only_error(read_file(path))


def test_missing_file(tmp_path: Path):
    assert "bestaat niet" in only_error(read_file(tmp_path / "nergens.xlsx"))


def test_child_crash_becomes_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       caplog: pytest.LogCaptureFixture):
    def crash(*args, **kwargs):  # whatever parse_workbook is called with
        os.abort()

    monkeypatch.setattr(parse, "parse_workbook", crash)  # the forked child inherits the patch
    msg = only_error(read_file(write_xlsx(tmp_path / "b.xlsx", BUDGET), isolate=True))
    assert msg == f"b.xlsx {guard.UNREADABLE}"
    assert "te groot of beschadigd" in msg
    # the user gets the Dutch advice; the log (and a failing test's output) says what happened to the child
    assert [r.getMessage() for r in caplog.records if r.name == "etl.read"] == [
        f"b.xlsx: the reader child failed: signal {signal.SIGABRT.value}"]


def test_run_isolated_timeout_memory_and_result():
    t = time.perf_counter()
    with pytest.raises(guard.ChildFailed, match="timeout"):
        guard.run_isolated(time.sleep, 10, timeout=0.5)
    assert time.perf_counter() - t < 3

    def hog() -> int:
        return len(bytearray(3 * 1024**3))

    with pytest.raises(guard.ChildFailed, match="memory"):
        guard.run_isolated(hog, memory=512 * 1024**2)
    assert guard.run_isolated(sum, [1, 2, 3]) == 6


def test_unexpected_exception_inside_reader_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        caplog: pytest.LogCaptureFixture):
    def boom(path, isolate):
        raise RuntimeError("kapot")

    monkeypatch.setattr(read, "_read", boom)
    msg = only_error(read_file(tmp_path / "x.xlsx"))
    assert "te groot of beschadigd" in msg
    [record] = [r for r in caplog.records if r.name == "etl.read"]
    assert record.getMessage() == "x.xlsx: reading failed" and "kapot" in str(record.exc_info[1])


def test_sniff():
    assert guard.col_index("XFD") == 16383 and guard.col_letters(16383) == "XFD" and guard.col_letters(0) == "A"
