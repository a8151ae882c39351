"""Downloads of any table shown: CSV for Dutch Excel and XLSX, with spreadsheet formula injection neutralised."""

from __future__ import annotations

import datetime as dt
import functools
import io
import math
from decimal import Decimal
from pathlib import Path

import polars as pl
import xlsxwriter

# A text cell starting with one of these is run as a formula by Excel/LibreOffice (CWE-1236).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Prefix a leading formula character with an apostrophe so a spreadsheet shows it as text."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _text_columns(df: pl.DataFrame) -> pl.DataFrame:
    """Neutralise text columns only: real numbers (negative ones too) stay numbers."""
    exprs = []
    for name, dtype in df.schema.items():
        if dtype.is_numeric() or dtype.is_temporal() or dtype == pl.Boolean or dtype == pl.Null:
            continue
        text = pl.col(name) if dtype == pl.String else pl.col(name).cast(pl.String)
        exprs.append(pl.when(text.str.contains(r"^[=+\-@\t\r]")).then(pl.lit("'") + text).otherwise(text).alias(name))
    return df.with_columns(exprs) if exprs else df


def _csv_cell(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, (int, float, Decimal)):
        text = repr(value) if isinstance(value, float) else str(value)
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        return text.replace(".", ",")  # Dutch Excel reads 1234,5 as a number; no thousands separator
    if isinstance(value, dt.datetime):
        return value.strftime("%d-%m-%Y %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    text = str(value)
    if any(c in text for c in ';"\n\r'):
        text = '"' + text.replace('"', '""') + '"'
    return text


def to_csv(df: pl.DataFrame) -> bytes:
    """CSV that Excel with Dutch regional settings opens correctly: BOM, ';', decimal comma, CRLF."""
    safe = _text_columns(df)
    lines = [";".join(_csv_cell(neutralise(c)) for c in safe.columns)]
    lines += [";".join(_csv_cell(v) for v in row) for row in safe.iter_rows()]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def to_xlsx(df: pl.DataFrame, sheet: str = "Gegevens") -> bytes:
    """An XLSX workbook with one sheet, numbers as numbers, dates as dates, text never as formulas."""
    safe = _text_columns(df)
    buf = io.BytesIO()
    # strings_to_formulas=False: xlsxwriter would otherwise turn "=..." text into live formulas
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
                                   "strings_to_urls": False})
    ws = wb.add_worksheet(sheet[:31])
    bold = wb.add_format({"bold": True})
    date_fmt = wb.add_format({"num_format": "dd-mm-yyyy"})
    time_fmt = wb.add_format({"num_format": "dd-mm-yyyy hh:mm"})
    for c, name in enumerate(safe.columns):
        ws.write_string(0, c, neutralise(name), bold)
        ws.set_column(c, c, max(10, min(50, len(name) + 2)))
    for r, row in enumerate(safe.iter_rows(), start=1):
        for c, v in enumerate(row):
            if v is None or (isinstance(v, float) and math.isnan(v)):
                continue
            if isinstance(v, bool):
                ws.write_boolean(r, c, v)
            elif isinstance(v, (int, float, Decimal)):
                ws.write_number(r, c, float(v))
            elif isinstance(v, dt.datetime):
                ws.write_datetime(r, c, v, time_fmt)
            elif isinstance(v, dt.date):
                ws.write_datetime(r, c, dt.datetime(v.year, v.month, v.day), date_fmt)
            else:
                ws.write_string(r, c, str(v))
    ws.freeze_panes(1, 0)
    wb.close()
    return buf.getvalue()


@functools.cache
def template_xlsx() -> bytes:
    """The empty delivery workbook (`stuurhut template`), built once per process."""
    import tempfile

    from etl.template import build_template

    with tempfile.TemporaryDirectory() as tmp:
        path = build_template(Path(tmp) / "stuurhut-sjabloon.xlsx")
        return path.read_bytes()
