"""Shared test fixtures: a temporary database path and a helper that writes tidy workbooks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pytest


def write_workbook(path: Path | str, sheets: dict[str, Sequence[Sequence[object]]]) -> Path:
    """Write an xlsx with one sheet per entry: {sheet: [header_row, *rows]}; dates become Excel dates.

    Rows are written from row 1 unless a sheet's first rows are title rows the caller adds itself.
    """
    import xlsxwriter

    path = Path(path)
    wb = xlsxwriter.Workbook(str(path))
    date_fmt = wb.add_format({"num_format": "dd-mm-yyyy"})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, dt.datetime | dt.date):
                    if not isinstance(value, dt.datetime):
                        value = dt.datetime.combine(value, dt.time())
                    ws.write_datetime(r, c, value, date_fmt)
                else:
                    ws.write(r, c, value)
    wb.close()
    return path


@pytest.fixture
def tmp_db(tmp_path: Path) -> Path:
    """A database path under tmp_path (not created yet: the first load creates it)."""
    return tmp_path / "stuurhut.duckdb"
