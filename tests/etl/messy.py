"""Writers of messy delivery files as people make them (title rows, merges, odd exports, broken files), for tests."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

import xlsxwriter

Rows = list[list[Any]]


def _corpus() -> Path | None:
    """The shared corpus of other readers' test spreadsheets (../shared/corpus), when this machine has it."""
    for base in (Path(__file__).resolve().parents[3] / "shared" / "corpus", Path("/work/shared/corpus")):
        if base.is_dir():
            return base
    return None


CORPUS = _corpus()
CORPUS_FILES = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name != "README.md") if CORPUS else []


def write_xlsx(path: Path, sheets: dict[str, Rows], *, merges: dict[str, list[tuple[str, Any]]] | None = None,
               hidden: tuple[str, ...] = (), formulas: dict[str, list[tuple[str, str]]] | None = None) -> Path:
    """One sheet per entry; rows from Excel row 1, None = empty cell; datetimes get a Dutch date format.

    merges: sheet -> [("B5:B7", value)]; formulas: sheet -> [("C4", "=A4/B4")].
    """
    wb = xlsxwriter.Workbook(str(path))
    date_fmt = wb.add_format({"num_format": "dd-mm-yyyy"})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is None:
                    continue
                if isinstance(v, dt.date | dt.datetime):
                    ws.write_datetime(r, c, v if isinstance(v, dt.datetime) else dt.datetime(v.year, v.month, v.day), date_fmt)
                else:
                    ws.write(r, c, v)
        for ref, value in (merges or {}).get(name, []):
            ws.merge_range(ref, value)
        for ref, formula in (formulas or {}).get(name, []):
            ws.write_formula(ref, formula)
        if name in hidden:
            ws.hide()
    wb.close()
    return path


def write_csv(path: Path, rows: Rows, *, delimiter: str = ";", encoding: str = "utf-8-sig") -> Path:
    """Plain text CSV as Excel writes it: quotes only where needed, CRLF line ends."""
    def cell(v: Any) -> str:
        s = "" if v is None else str(v)
        if delimiter in s or '"' in s or "\n" in s:
            s = '"' + s.replace('"', '""') + '"'
        return s

    text = "\r\n".join(delimiter.join(cell(v) for v in row) for row in rows) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


def write_ods(path: Path, sheets: dict[str, Rows]) -> Path:
    """An ODS workbook (odfpy), numbers as float cells, text as string cells."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for name, rows in sheets.items():
        table = Table(name=name)
        for row in rows:
            tr = TableRow()
            for v in row:
                if v is None:
                    tc = TableCell()
                elif isinstance(v, int | float):
                    tc = TableCell(valuetype="float", value=v)
                    tc.addElement(P(text=str(v)))
                else:
                    tc = TableCell(valuetype="string")
                    tc.addElement(P(text=str(v)))
                tr.addElement(tc)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path


def rewrite_member(src: Path, dst: Path, member: str, fn) -> Path:
    """Copy a zip package, passing one member's bytes through fn (to forge hostile sheet XML)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == member:
                data = fn(data)
            zout.writestr(info, data)
    return dst


def xfd_claim(tmp: Path, *, cells: bool = True) -> Path:
    """A Begroting workbook whose sheet claims A1:XFD1048576 (dimension) and, with cells=True, has a cell there."""
    base = write_xlsx(tmp / "base.xlsx", {"Begroting": [["Jaar", "Kostensoort", "Post", "Begroot"], [2022, "basis", "Huur", 10]]})

    def forge(data: bytes) -> bytes:
        data = re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:XFD1048576"', data)
        if cells:
            data = data.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')
        return data

    return rewrite_member(base, tmp / ("xfd.xlsx" if cells else "dimension.xlsx"), "xl/worksheets/sheet1.xml", forge)


def zip_bomb(path: Path, megabytes: int = 64) -> Path:
    """An .xlsx-looking package whose sheet inflates from a few KB to `megabytes` MB of zeros."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            block = b"\0" * (1 << 20)
            for _ in range(megabytes):
                f.write(block)
    return path


def ods_repeat_bomb(path: Path) -> Path:
    """An ODS whose one cell is repeated 999,999,999 x 999,999,999 times (calamine issue 594)."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
        '<office:spreadsheet><table:table table:name="Begroting"><table:table-row table:number-rows-repeated="999999999">'
        '<table:table-cell table:number-columns-repeated="999999999" office:value-type="string"><text:p>X</text:p>'
        "</table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
    return path


def truncated(src: Path, dst: Path, keep: float = 0.5) -> Path:
    data = src.read_bytes()
    dst.write_bytes(data[: int(len(data) * keep)])
    return dst


def encrypted_like(path: Path) -> Path:
    """What Excel writes for a password-protected .xlsx: an OLE2 compound file, not a zip."""
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + b"EncryptionInfo" + b"\x01" * 2000)
    return path
