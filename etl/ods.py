"""Number cells of an ODS sheet's mixed columns (stdlib only: runs in the isolated read child, without polars)."""

from __future__ import annotations

import zipfile
from xml.etree.ElementTree import ParseError, XMLPullParser

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
T_TABLE, T_ROW, T_CELL, T_COVERED = (f"{{{_TABLE}}}{n}" for n in ("table", "table-row", "table-cell", "covered-table-cell"))
A_NAME, A_ROWS, A_COLS = (f"{{{_TABLE}}}{n}" for n in ("name", "number-rows-repeated", "number-columns-repeated"))
A_TYPE = f"{{{_OFFICE}}}value-type"
NUMBER_TYPES = {"float", "percentage", "currency"}  # what a spreadsheet shows as a number


def number_cells(zf: zipfile.ZipFile, sheet: str, cols: set[int], below: int) -> dict[int, list[int]] | None:
    """Sheet rows below row `below` where a cell of `cols` (0-based) holds a number, per column.

    calamine turns a column that mixes numbers and text into text, so the number 1.234 arrives as "1.234", which
    Dutch reading would take for 1234; with these rows the validator reads those cells as numbers again (as
    guard.number_cells does for xlsx). Rows and columns count repeats as calamine does. None when content.xml
    cannot be parsed (the caller keeps the text then).
    """
    out: dict[int, list[int]] = {c: [] for c in cols}
    parser = XMLPullParser(events=("start", "end"))
    inside = False  # in the wanted table
    row = 0  # 1-based number of the current row
    rows_rep = 1
    col = 0  # 0-based column of the next cell
    depth = 0  # nested tables (a table inside a cell's content) do not count
    try:
        with zf.open("content.xml") as f:
            while chunk := f.read(1 << 16):
                parser.feed(chunk)
                for event, el in parser.read_events():
                    tag = el.tag
                    if tag == T_TABLE:
                        if event == "start":
                            depth += 1
                            if depth == 1:
                                inside = el.get(A_NAME) == sheet
                        else:
                            depth -= 1
                            if depth == 0 and inside:
                                return out
                        continue
                    if not inside or depth != 1:
                        if event == "end":
                            el.clear()
                        continue
                    if tag == T_ROW:
                        if event == "start":
                            rows_rep = int(el.get(A_ROWS, "1") or 1)
                            col = 0
                        else:
                            row += rows_rep
                            el.clear()
                    elif tag in (T_CELL, T_COVERED) and event == "start":
                        span = int(el.get(A_COLS, "1") or 1)
                        if el.get(A_TYPE) in NUMBER_TYPES:
                            for c in cols:
                                if col <= c < col + span:
                                    first = row + 1
                                    out[c].extend(r for r in range(first, first + rows_rep) if r > below)
                        col += span
                    elif event == "end":
                        el.clear()
    except (ParseError, KeyError, ValueError, OSError, zipfile.BadZipFile):
        return None
    return out
