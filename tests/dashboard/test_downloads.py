"""Downloads: CSV for Dutch Excel (BOM, semicolons, decimal comma) and XLSX, both safe against formula injection."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import polars as pl

from dashboard.downloads import neutralise, to_csv, to_xlsx


def frame() -> pl.DataFrame:
    return pl.DataFrame({
        "Knelpunt": ["=HYPERLINK(\"http://x\";\"klik\")", "+31 6 nummer", "-min", "@SUM(A1)", "\tTab", "gewoon; met puntkomma"],
        "Bedrag": [-1234.5, 12500.0, None, 0.25, 3.0, -7.0],
        "Aantal": [-2, 0, 3, 4, 5, 6],
        "Datum": [dt.date(2021, 12, 17)] * 6,
    })


def test_csv_bytes_for_dutch_excel() -> None:
    assert to_csv(frame()) == (
        b"\xef\xbb\xbfKnelpunt;Bedrag;Aantal;Datum\r\n"
        b"\"'=HYPERLINK(\"\"http://x\"\";\"\"klik\"\")\";-1234,5;-2;17-12-2021\r\n"
        b"'+31 6 nummer;12500;0;17-12-2021\r\n"
        b"'-min;;3;17-12-2021\r\n"
        b"'@SUM(A1);0,25;4;17-12-2021\r\n"
        b"'\tTab;3;5;17-12-2021\r\n"
        b"\"gewoon; met puntkomma\";-7;6;17-12-2021\r\n"
    )


def test_csv_quotes_fields_with_quotes_semicolons_and_newlines() -> None:
    df = pl.DataFrame({"t": ['zei "ja"', "regel\nvolgende"]})
    assert to_csv(df) == b'\xef\xbb\xbft\r\n"zei ""ja"""\r\n"regel\nvolgende"\r\n'


def test_xlsx_keeps_numbers_and_neutralises_text_formulas() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(frame(), sheet="Knelpunten")))
    ws = wb["Knelpunten"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0] == ["Knelpunt", "Bedrag", "Aantal", "Datum"]
    assert rows[1][:3] == ["'=HYPERLINK(\"http://x\";\"klik\")", -1234.5, -2]
    assert ws["A2"].data_type == "s"  # text, not a formula
    assert ws["B2"].data_type == "n" and ws["C2"].data_type == "n"  # real negative numbers stay numbers
    assert rows[3][:3] == ["'-min", None, 3]
    assert rows[1][3] == dt.datetime(2021, 12, 17)
    assert not any(c.data_type == "f" for r in ws.iter_rows() for c in r)


def test_neutralise_only_touches_formula_starts() -> None:
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("\r=1") == "'\r=1"
    assert neutralise("1+1=2") == "1+1=2"
    assert neutralise("Overleg") == "Overleg"
