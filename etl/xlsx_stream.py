"""A bounded-memory reader for one big xlsx worksheet: the same typed Arrow data as fastexcel, in batches.

fastexcel (calamine) holds every cell of a sheet before it converts anything: a 1M-row delivery costs the read
child ~680 MiB for ~67 MiB of Arrow data. This module reads the worksheet's XML from the zip a few MB at a time (cut
after a ``</row>``), turns each chunk into typed Arrow columns and writes them to an Arrow IPC file in batches, so the child
holds about 8x CHUNK_BYTES of work plus one batch: 1M attendance rows (67 MiB of Arrow data) peak at ~160 MiB instead
of ~680 MiB, for ~1.5x fastexcel's CPU time (benchmarks/bench_stream.py).

Wiring it into parse_workbook (for sheets whose XML is big, e.g. above guard.FULL_SCAN_BYTES)::

    from etl import xlsx_stream
    sst, styles = xlsx_stream.find_parts(zf)              # or guard.workbook_sheets' sst and "xl/styles.xml"
    try:
        out = xlsx_stream.read_sheet(p, scan.member, sst, styles, header_row=t.header_row - 1,
                                     out_path=tmp_ipc, isolated=True)   # isolated: only inside the read child
    except xlsx_stream.Unsupported:
        ...                                               # the calamine path for this sheet, as today
    t.abs_cols = out.abs_cols                             # absolute 0-based column of each column of the data
    t.errors = [(row + t.header_row, out.abs_cols[col], detail) for row, col, detail in out.errors]
    t.data = tmp_ipc                                      # parent: pl.scan_ipc(tmp_ipc) by slices, then unlink it

``header_row`` means what fastexcel's ``load_sheet(header_row=...)`` means: 0 is the first filled row, n > 0 the
0-based sheet row n. The result equals ``fastexcel.read_excel(p).load_sheet(name, header_row=header_row,
whitespace_as_null=True).to_arrow_with_errors()`` (tests/etl/test_xlsx_stream.py checks it cell by cell): the same
column names, Arrow types (string, double, bool, timestamp[ms], duration[ms]; null without data rows), values and
per-cell errors.
``out.errors`` holds fastexcel's ``CellError`` fields as they are: (position row = data row index + 1, position
column = index among abs_cols, detail); so the Excel row is position row + the header's Excel row, the absolute
column ``abs_cols[position column]`` (parse.py's ``position[0] + 1`` / ``position[1]`` is right only for a header on
row 1 and data from column A). Every field is nullable. With out_path=None the batches come back in ``out.batches``.

Where a sheet holds something this reader does not reproduce exactly it raises ``Unsupported`` (and removes its
output file), never a silent difference. That is: durations beside other values in a column's type sample (fastexcel
fails there), ``t="d"`` cells, #NAME? or
#GETTING_DATA in the type sample (fastexcel fails there too), a column that first gets a cell after the type sample
(the 1000 data rows fastexcel infers types from), rows out of order or a cell given twice, a shared-string index out
of range, unknown cell types or error values, entities other than XML's predefined ones, XML that is not UTF-8, a row
over 64 MB, dates as text outside the years 1-9999, an error message text with characters whose escaping in Rust's
Debug format is uncertain, more than 200 columns, and too many rows of an unusual shape (a time bound, below).

How: the first rows (up to the end of the type sample) go through a small Python walk that follows calamine's rules
(cells without ``r`` take the next position, self-closing cells and rows count as positions, inline and rich
strings, entities, CDATA, ``_xHHHH_`` escapes, namespace prefixes). From them one RE2 pattern is built for the usual
row (every cell with its reference, a ``<v>``, optional formula), matched over each later chunk's rows with
pyarrow.compute.extract_regex on a few threads; rows it does not take go through the Python walk, which is slow
(SLOW_ROWS bounds how many). Not polars: this runs in the read child (see guard.run_isolated).
"""

from __future__ import annotations

import math
import os
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from etl import guard

SAMPLE_ROWS = 1000  # fastexcel's schema_sample_rows
CHUNK_BYTES = 4 * 1024**2  # decompressed XML per step: the child holds ~8x this while it works on one
BATCH_ROWS = 65536
THREADS = min(4, os.cpu_count() or 1)  # the row pattern runs on this many threads
MAX_ROW_BYTES = 64 * 1024**2
SLOW_ROWS = 20_000  # rows after the sample the slow walk may take (beyond a tenth of the rows): a time bound
MAX_PATTERN_COLS = 200  # a wider sheet is left to calamine: the row pattern would get too big for RE2 to be quick

# kinds of a cell, as calamine types it
K_STR, K_FLOAT, K_BOOL, K_DATE, K_ERR, K_DUR = 1, 2, 3, 4, 5, 6

_ERRORS = {"#DIV/0!": "Div0", "#N/A": "NA", "#NAME?": "Name", "#NULL!": "Null", "#NUM!": "Num", "#REF!": "Ref",
           "#VALUE!": "Value", "#GETTING_DATA": "GettingData"}
_FATAL_IN_SAMPLE = {"Name", "GettingData"}  # fastexcel refuses the column when its type sample holds these
NULL_STRINGS = {"", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>",
                "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"}
# Rust's char::is_whitespace (Python's isspace also counts \x1c-\x1f)
_WS = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_WS_ONLY = re.compile(f"^[{_WS}]*$")
_WS_ONLY_RE2 = "^[\\t\\n\\x0b\\x0c\\r \\x{85}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}]*$"
_RUST_FLOAT = re.compile(r"^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[iI][nN][fF](?:[iI][nN][iI][tT][yY])?|[nN][aA][nN])$")
_XML_NUMBER = re.compile(r"^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")
_ENTITY = re.compile(r"&(#[0-9]+|#x[0-9a-fA-F]+|lt|gt|amp|quot|apos);")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_XML_WS = " \t\r\n"  # calamine trims these around a <t> without xml:space="preserve"
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_EPOCH_MS = -2209161600000  # 1899-12-30T00:00:00 in ms since 1970
_MS_DAY = 86_400_000
_YEAR1_MS, _YEAR9999_MS = -62135596800000, 253402300799999  # chrono prints these years as Python does


class Unsupported(Exception):
    """The sheet uses something this reader does not reproduce exactly: read it with fastexcel instead."""


@dataclass
class SheetStream:
    """What read_sheet produced: the columns' absolute indices, names and types, the errors, and the data."""

    abs_cols: list[int]
    names: list[str]
    schema: Any  # pyarrow.Schema
    rows: int
    # (fastexcel position row = data row index + 1, column index among abs_cols, detail), as fastexcel's CellError
    errors: list[tuple[int, int, str]] = field(default_factory=list)
    batches: list[Any] | None = None  # the record batches when no out_path was given
    out_path: str | None = None


# --- styles, shared strings, workbook ------------------------------------------------------------------------


def detect_custom_format(code: str) -> int:
    """0 other, 1 date/time, 2 duration: calamine's reading of a custom number format (first section only)."""
    escaped = is_quote = ap = hms = False
    brackets = 0
    prev = " "
    for s in code:
        if escaped:
            escaped = False
        elif s in "_\\*":
            escaped = True
        elif is_quote:
            if s == '"':
                is_quote = False
        elif s == '"':
            is_quote = True
        elif s == ";":
            return 0
        elif s == "[":
            brackets += 1
        elif s == "]" and brackets == 1 and hms:
            return 2
        elif s == "]":
            brackets = max(brackets - 1, 0)
        elif s in "aA" and not ap and brackets == 0:
            ap = True
        elif s in "pm/PM" and ap and brackets == 0:
            return 1
        elif s in "dmhysDMHYS" and not ap and brackets == 0:
            return 1
        elif hms and s.lower() == prev.lower():
            pass
        else:
            hms = prev == "[" and s in "mhsMHS"
        prev = s
    return 0


def _builtin_format(num_fmt_id: int) -> int:
    if 14 <= num_fmt_id <= 22 or num_fmt_id in (45, 47):
        return 1
    return 2 if num_fmt_id == 46 else 0


def read_styles(zf: zipfile.ZipFile, member: str | None) -> list[int]:
    """Per cellXfs index: 0 number, 1 date/time, 2 duration."""
    if not member or member not in zf.namelist():
        return []
    import xml.etree.ElementTree as ET

    root = ET.fromstring(zf.read(member))
    custom: dict[int, int] = {}
    formats: list[int] = []
    for el in root:
        tag = guard.local_name(el.tag)
        if tag == "numFmts":
            for nf in el:
                if guard.local_name(nf.tag) == "numFmt" and (i := nf.get("numFmtId", "")).isdigit():
                    custom[int(i)] = detect_custom_format(nf.get("formatCode", ""))  # wins over a built-in id
        elif tag == "cellXfs":
            for xf in el:
                if guard.local_name(xf.tag) == "xf":
                    i = xf.get("numFmtId", "0")
                    n = int(i) if i.isdigit() else -1
                    formats.append(custom[n] if n in custom else _builtin_format(n))
    return formats


def _t_text(el: Any) -> str:
    """A <t> element's text as calamine gives it: trimmed of XML whitespace unless xml:space="preserve"."""
    return el.text if el.get(_XML_SPACE) == "preserve" else el.text.strip(_XML_WS)


def read_shared_strings(zf: zipfile.ZipFile, member: str | None) -> Any:
    """The shared strings table as one Arrow string array (rich text runs joined, phonetic runs left out)."""
    import pyarrow as pa

    if not member or member not in zf.namelist():
        return pa.array([], pa.string())
    blocks: list[Any] = []
    out: list[str] = []
    for text in guard.iter_shared_strings(zf, member, _t_text, chunk=1 << 20):
        out.append(ooxml_unescape(text))
        if len(out) >= 65536:
            blocks.append(pa.array(out, pa.string()))
            out = []
    blocks.append(pa.array(out, pa.string()))
    return pa.concat_arrays(blocks)


def find_parts(zf: zipfile.ZipFile) -> tuple[str | None, str | None]:
    """(shared strings member, styles member) of a workbook, from its relationships (None when absent).

    Part names are matched ignoring case, as calamine does (a rels target "sharedStrings.xml" may be stored as
    "xl/SharedStrings.xml").
    """
    import xml.etree.ElementTree as ET

    names = {n.lower(): n for n in zf.namelist()}
    found: dict[str, str] = {}
    if "xl/_rels/workbook.xml.rels" in names:
        for el in ET.fromstring(zf.read(names["xl/_rels/workbook.xml.rels"])):
            typ, target = el.get("Type", ""), el.get("Target", "").replace("\\", "/")
            member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            for kind in ("sharedStrings", "styles"):
                if typ.endswith(f"/{kind}") and member.lower() in names:
                    found.setdefault(kind, names[member.lower()])
    for kind in ("sharedStrings", "styles"):
        if kind not in found and f"xl/{kind}.xml".lower() in names:
            found[kind] = names[f"xl/{kind}.xml".lower()]
    return found.get("sharedStrings"), found.get("styles")


def workbook_1904(zf: zipfile.ZipFile) -> bool:
    try:
        head = zf.read("xl/workbook.xml")
    except KeyError:
        return False
    m = re.search(rb'<(?:\w+:)?workbookPr\b[^>]*?\bdate1904="([^"]*)"', head)
    return bool(m) and m.group(1).lower() in (b"1", b"true")


# --- formatting as Rust/calamine do -----------------------------------------------------------------------------


def excel_float_to_string(x: float) -> str:
    """fastexcel's text of a number in a text column: at most nine decimals, trailing zeros trimmed."""
    if not math.isfinite(x):
        raise Unsupported("non-finite number in a text column")
    s = f"{x:.9f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


def rust_display_float(x: float) -> str:
    """Rust's `{}` of an f64 (shortest digits, never an exponent): fastexcel's column name of a number."""
    if not math.isfinite(x):
        raise Unsupported("non-finite number")
    s = format(Decimal(repr(x)), "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def rust_debug_float(x: float) -> str:
    """Rust's `{:?}` of an f64 ("1.0", "1e20", "1.5e-7")."""
    if not math.isfinite(x):
        raise Unsupported("non-finite number")
    r = repr(x)
    if "e" in r:
        mant, exp = r.split("e")
        return f"{mant}e{int(exp)}"
    return r


_DEBUG_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\0": "\\0"}


def rust_debug_str(s: str) -> str:
    """Rust's `{:?}` of a str, for the characters whose escaping is certain; Unsupported for the others."""
    out = []
    for ch in s:
        if ch in _DEBUG_ESCAPES:
            out.append(_DEBUG_ESCAPES[ch])
        elif " " <= ch <= "~" or (ord(ch) >= 0xC0 and ch.isalnum() and ch.isprintable()):
            out.append(ch)
        elif ch in "€£¥©®°±²³µ·¹º«»¼½¾¿×÷–—‘’‚“”„•…‰‹›":
            out.append(ch)
        else:
            raise Unsupported("a character whose escaping in calamine's message is uncertain")
    return '"' + "".join(out) + '"'


def _debug_value(kind: int, text: str | None, num: float | None, is_1904: bool) -> str:
    if kind == K_STR:
        return f"String({rust_debug_str(text or '')})"
    if kind == K_FLOAT:
        return f"Float({rust_debug_float(num)})"  # type: ignore[arg-type]
    if kind == K_BOOL:
        return f"Bool({'true' if num else 'false'})"
    if kind in (K_DATE, K_DUR):
        kind_name = "DateTime" if kind == K_DATE else "TimeDelta"
        return (f"DateTime(ExcelDateTime {{ value: {rust_debug_float(num)}, datetime_type: {kind_name}, "  # type: ignore[arg-type]
                f"is_1904: {'true' if is_1904 else 'false'} }})")
    return f"Error({text})"


def _days_from_civil(y: int, m: int, d: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date (any year)."""
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


# chrono's NaiveDateTime range; within a year of its ends the exact bound is not trusted
_CHRONO_MIN_MS = _days_from_civil(-262144, 1, 1) * _MS_DAY
_CHRONO_MAX_MS = (_days_from_civil(262143, 12, 31) + 1) * _MS_DAY - 1
_YEAR_MS = 366 * _MS_DAY


def serial_to_ms(serial: Any, is_1904: bool) -> tuple[Any, Any]:
    """calamine's ExcelDateTime::as_datetime as ms since 1970: (int64 array, mask of the ones chrono can hold)."""
    import numpy as np

    f = serial + 1462.0 if is_1904 else serial
    f = np.where(f >= 60.0, f, f + 1.0)
    ms = f * float(_MS_DAY)
    t = np.trunc(ms)
    ms = t + np.where(np.abs(ms - t) >= 0.5, np.sign(ms), 0.0)  # Rust's round: half away from zero
    ms = ms + float(_EPOCH_MS)
    near = ((ms > _CHRONO_MIN_MS - _YEAR_MS) & (ms < _CHRONO_MIN_MS + _YEAR_MS)) | (
        (ms > _CHRONO_MAX_MS - _YEAR_MS) & (ms < _CHRONO_MAX_MS + _YEAR_MS))
    if near.any():
        raise Unsupported("a date near the end of chrono's range")
    ok = (ms >= _CHRONO_MIN_MS) & (ms <= _CHRONO_MAX_MS)
    return np.where(ok, ms, 0.0).astype(np.int64), ok


def _ms_text(ms: int) -> str:
    """chrono's NaiveDateTime display of ms since 1970 ("2023-05-06 07:08:09.500")."""
    import datetime as dt

    if not _YEAR1_MS <= ms <= _YEAR9999_MS:
        raise Unsupported("a date outside the years 1-9999 as text")
    d = dt.datetime(1970, 1, 1) + dt.timedelta(milliseconds=int(ms))
    s = d.strftime("%Y-%m-%d %H:%M:%S") if d.year >= 1000 else f"{d.year:04d}" + d.strftime("-%m-%d %H:%M:%S")
    frac = int(ms) % 1000
    return f"{s}.{frac:03d}" if frac else s


def _xml_text(raw: str) -> str:
    """Character data with CDATA sections taken literally and entities decoded elsewhere; comments dropped."""
    if "<!" not in raw:
        return _unescape(raw)
    out, pos = [], 0
    for m in _CDATA.finditer(raw):
        out.append(_unescape(raw[pos:m.start()]))
        if m.group(1) is not None:
            cdata = m.group(1)
            out.append(cdata.replace("\r\n", "\n").replace("\r", "\n"))
        pos = m.end()
    out.append(_unescape(raw[pos:]))
    return "".join(out)


def ooxml_unescape(text: str) -> str:
    """calamine decodes OOXML's _xHHHH_ escapes (e.g. _x000D_ for a carriage return) in shared and inline strings."""
    return _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def _unescape(text: str) -> str:
    """XML text as calamine gives it: line ends normalised, the five entities and character references decoded."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "&" not in text:
        return text

    def one(m: re.Match[str]) -> str:
        g = m.group(1)
        if g[0] == "#":
            return chr(int(g[2:], 16) if g[1] in "xX" else int(g[1:]))
        return _NAMED[g]

    out = _ENTITY.sub(one, text)
    if "&" in _ENTITY.sub("", text):
        raise Unsupported("an XML entity other than the predefined ones")
    return out


# --- the cells of a chunk ----------------------------------------------------------------------------------------


@dataclass
class _Cells:
    """Long form of the non-empty cells of a stretch of rows: 0-based row and column, kind, text, number."""

    row: list[int] = field(default_factory=list)
    col: list[int] = field(default_factory=list)
    kind: list[int] = field(default_factory=list)
    text: list[str | None] = field(default_factory=list)
    num: list[float | None] = field(default_factory=list)

    def add(self, row: int, col: int, kind: int, text: str | None, num: float | None) -> None:
        self.row.append(row)
        self.col.append(col)
        self.kind.append(kind)
        self.text.append(text)
        self.num.append(num)


class _Table:
    """Columnar cells (pyarrow arrays): row, col (int64), kind (int8), text (string), num (float64)."""

    def __init__(self, row: Any, col: Any, kind: Any, text: Any, num: Any):
        self.row, self.col, self.kind, self.text, self.num = row, col, kind, text, num

    @staticmethod
    def from_cells(c: _Cells) -> _Table:
        import pyarrow as pa

        return _Table(pa.array(c.row, pa.int64()), pa.array(c.col, pa.int64()), pa.array(c.kind, pa.int8()),
                      pa.array(c.text, pa.string()), pa.array(c.num, pa.float64()))

    @staticmethod
    def concat(tables: list[_Table]) -> _Table:
        import pyarrow as pa

        tables = [t for t in tables if len(t.row)] or tables[:1]
        if len(tables) == 1:
            return tables[0]
        return _Table(*(pa.concat_arrays([getattr(t, f) for t in tables]) for f in ("row", "col", "kind", "text", "num")))

    def filter(self, mask: Any) -> _Table:
        import pyarrow.compute as pc

        return _Table(*(pc.filter(getattr(self, f), mask) for f in ("row", "col", "kind", "text", "num")))


_ATTR = re.compile(r'([\w:]+)\s*=\s*"([^"]*)"|([\w:]+)\s*=\s*\'([^\']*)\'')
_TOKEN = re.compile(r"<(/?)([\w:]+)((?:\s+[\w:]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(/?)>|<\?[^>]*\?>|<!--.*?-->"
                    r"|<!\[CDATA\[.*?\]\]>", re.S)
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>|<!--.*?-->", re.S)
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_REF = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")


def _attrs(text: str) -> dict[str, str]:
    return {m.group(1) or m.group(3): m.group(2) if m.group(1) else m.group(4) for m in _ATTR.finditer(text)}


class _Decoder:
    """Turns cell attributes and raw values into (kind, text, number) as calamine does."""

    def __init__(self, sst: Any, formats: list[int], is_1904: bool):
        self.sst, self.formats, self.is_1904 = sst, formats, is_1904
        self.sst_len = len(sst)

    def style_format(self, s: str | None) -> int:
        if s is None:
            return 0
        i = int(s) if s.isdigit() else 0
        return self.formats[i] if i < len(self.formats) else 0

    def number(self, v: str, t: str | None, s: str | None) -> tuple[int, str | None, float | None] | None:
        if v == "":
            return None
        if not _XML_NUMBER.match(v):
            low = v.lower().lstrip("+-")
            if t is not None or v[:1] == "+" or low.startswith(("inf", "nan")) or "&" in v or "\r" in v:
                raise Unsupported(f"number cell {v[:20]!r}")
            return K_STR, v, None  # an untyped cell that is no number is text
        x = float(v)
        fmt = self.style_format(s)
        return (K_DATE if fmt == 1 else K_DUR if fmt == 2 else K_FLOAT), None, x

    def cell(self, t: str | None, s: str | None, v: str | None, inline: str | None
             ) -> tuple[int, str | None, float | None] | None:
        """(kind, text, number) or None for an empty cell. v: raw <v> text (None without <v>); inline: <is> text."""
        if t in ("inlineStr", "is"):
            return None if inline is None else (K_STR, inline, None)
        if inline is not None:
            raise Unsupported(f'an inline string in a cell of type t="{t}"')
        if v is None:
            return None
        if t is None or t == "n":
            return self.number(v, t, s)
        if t == "s":
            if v == "":
                return None
            if not v.isdigit() or not v.isascii():
                raise Unsupported(f"shared string index {v[:20]!r}")
            i = int(v)
            if i >= self.sst_len:
                raise Unsupported("shared string index out of range")
            return K_STR, self.sst[i].as_py(), None
        if t in ("str", "str decoded"):
            v = _unescape(v) if t == "str" else v
            if _OOXML_ESCAPE.search(v):
                raise Unsupported("an _xHHHH_ escape in a formula's text")
            return K_STR, v, None
        if t == "b":
            if "&" in v:
                raise Unsupported("an entity in a boolean")
            return None if v == "" else (K_BOOL, None, 0.0 if v == "0" else 1.0)  # calamine: anything but 0 is true
        if t == "e":
            if v == "":
                return None
            name = _ERRORS.get(v)
            if name is None:
                raise Unsupported(f"error value {v[:20]!r}")
            return K_ERR, name, None
        raise Unsupported(f'cell type t="{t}"')


def _parse_rows_slow(text: str, dec: _Decoder, state: list[int], out: _Cells,
                     attrs_seen: dict[int, dict[str, int]] | None = None) -> None:
    """calamine's walk over rows and cells for XML the fast pattern did not take. state = [row_index, col_index].

    attrs_seen: collects per column the attribute texts after r="..." of the cells, with the last row each was
    seen in (the fast pattern matches a column's one attribute text of the data rows literally).
    """
    cell: dict[str, Any] | None = None
    in_v = in_is = in_rph = v_start = 0
    is_parts: list[str] = []
    text_start = 0
    preserve = False
    for m in _TOKEN.finditer(text):
        if m.group(2) is None:  # processing instruction, comment or CDATA: part of the text around it
            continue
        closing, name, attr_text, selfclose = m.group(1), m.group(2), m.group(3), m.group(4)
        if ":" in name:  # calamine goes by local names
            name = name.split(":", 1)[1]
        if in_v and not (closing and name == "v"):
            raise Unsupported("markup inside <v>")
        if cell is not None and in_is and name == "t" and closing and not in_rph:
            part = _xml_text(text[text_start:m.start()])
            is_parts.append(part if preserve else part.strip(_XML_WS))
        if name == "row" and not closing:
            a = _attrs(attr_text)
            if "r" in a:
                if not a["r"].isdigit():
                    raise Unsupported("row number")
                state[0] = int(a["r"]) - 1
            if selfclose:
                state[0] += 1
                state[1] = 0
        elif name == "row":
            state[0] += 1
            state[1] = 0
        elif name == "c" and not closing:
            a = _attrs(attr_text)
            if "r" in a:
                ref = _REF.match(a["r"])
                if ref is None:
                    raise Unsupported("cell reference")
                row, col = int(ref.group(2)) - 1, guard.col_index(ref.group(1))
                state[1] = col
            else:
                row, col = state[0], state[1]
            if selfclose:
                state[1] += 1
            else:
                cell = {"row": row, "col": col, "t": a.get("t"), "s": a.get("s"), "v": None, "is": None}
                if attrs_seen is not None:
                    rest = attr_text.split('"', 2)[2] if attr_text.startswith(' r="') else "?"
                    attrs_seen.setdefault(col, {})[rest] = row
        elif name == "c":
            if cell is None:
                raise Unsupported("stray </c>")
            got = dec.cell(cell["t"], cell["s"], cell["v"], cell["is"])
            if got is not None:
                out.add(cell["row"], cell["col"], *got)
            state[1] += 1
            cell = None
        elif cell is None:
            if name in ("v", "is", "t", "f"):
                raise Unsupported(f"<{name}> outside a cell")
        elif name == "v":
            if closing:
                raw = text[v_start:m.start()]
                if cell["t"] == "str":
                    raw, cell["t"] = _xml_text(raw), "str decoded"
                elif "<!" in raw:
                    raise Unsupported("CDATA or a comment in a value")
                cell["v"] = raw  # numbers must not hold entities (the decoder checks)
                in_v = 0
            elif selfclose:
                cell["v"] = None
            else:
                in_v, v_start = 1, m.end()
        elif name == "is":
            if closing:
                in_is = 0
                cell["is"] = ooxml_unescape("".join(is_parts))
            elif selfclose:
                cell["is"] = ""
            else:
                in_is, is_parts = 1, []
        elif name == "rPh":
            in_rph += -1 if closing else (0 if selfclose else 1)
        elif name == "t" and in_is:
            if not closing and not in_rph and not selfclose:
                text_start = m.end()
                preserve = _attrs(attr_text).get("xml:space") == "preserve"
        elif name in ("f", "r", "rPr") or in_rph or (in_is and name in ("b", "i", "sz", "color", "rFont", "family",
                                                                         "charset", "scheme", "u", "vertAlign",
                                                                         "strike", "outline", "shadow", "condense",
                                                                         "extend")):
            pass
        elif name in ("extLst", "ext"):
            pass
        else:
            raise Unsupported(f"<{name}> inside a cell")
    if cell is not None or in_v:
        raise Unsupported("a cell cut off")


# --- the fast pattern -------------------------------------------------------------------------------------------


class _Template:
    """One RE2 pattern for rows of the usual shape over the columns seen in the type sample.

    Its optional parts (formulas, self-closing cells and rows, whitespace between elements) are only put in when
    the sample has them: each makes RE2 slower, and a row that needs a missing one just takes the slow walk.
    """

    def __init__(self, cols: list[int], features: set[str], fixed: dict[int, str] | None = None, prefix: str = ""):
        self.cols = cols
        self.fixed = fixed or {}  # column -> its one attribute text in the sample: matched literally (faster)
        self.prefix = p = prefix  # the sheet's namespace prefix ("x:") or ""
        ws = r"\s*" if "ws" in features else ""
        attrs = r'(?: [\w:]+="[^"]*")*'
        row = rf'^{ws}(?:<{p}row\b[^<>]*/>{ws})*' if "selfclose_row" in features else f"^{ws}"
        parts = [rf'{row}<{p}row r="(?P<r>\d+)"{attrs}>']
        formula = rf'(?:<{p}f\b[^<>]*/>|<{p}f\b[^<>]*>[^<]*</{p}f>)?' if "formula" in features else ""
        for j, c in enumerate(cols):
            letters = guard.col_letters(c)
            attr = re.escape(self.fixed[c]) if c in self.fixed else f"(?P<a{j}>{attrs})"
            cell = rf'<{p}c r="{letters}(?P<d{j}>\d+)"{attr}>{formula}(?P<v{j}><{p}v>[^<]*</{p}v>)?</{p}c>'
            if "selfclose_cell" in features:
                cell = rf'(?:{cell}|<{p}c r="{letters}\d+"{attrs}/>)'
            parts.append(f"(?:{ws}{cell})?")
        parts.append(f"{ws}$")
        self.pattern = "".join(parts)


def _features(text: str, prefix: str = "") -> set[str]:
    """Which optional parts of the row pattern the XML uses."""
    out = set()
    if f"<{prefix}f>" in text or f"<{prefix}f " in text:
        out.add("formula")
    if re.search(rf"<{prefix}c\b[^<>]*/>", text):
        out.add("selfclose_cell")
    if re.search(rf"<{prefix}row\b[^<>]*/>", text):
        out.add("selfclose_row")
    if re.search(r">\s+<", text):
        out.add("ws")
    return out


def _extract_start(pool: Any, pieces: Any, pattern: str) -> list[Any]:
    """pc.extract_regex over the rows in slices on the pool's threads (RE2 runs without the GIL): their futures."""
    import pyarrow.compute as pc

    n = len(pieces)
    step = -(-n // min(THREADS, max(1, n // 8192)))
    return [pool.submit(pc.extract_regex, pieces.slice(i, step), pattern) for i in range(0, n, step)]


def _extract_wait(futures: list[Any]) -> Any:
    import pyarrow as pa

    parts = [f.result() for f in futures]
    return parts[0] if len(parts) == 1 else pa.concat_arrays(parts)


def _fast_rows(pieces: Any, template: _Template, dec: _Decoder, st: Any = None) -> tuple[Any, _Table | None]:
    """(numpy mask of the rows the pattern took, their cells) for a string array of row texts (without </row>).

    st: the pattern's matches over pieces when already computed (see _extract_start).
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if st is None:
        st = pc.extract_regex(pieces, template.pattern)
    ok = ~np.asarray(pc.is_null(st).to_numpy(zero_copy_only=False))
    if not ok.any():
        return ok, None
    st = pc.filter(st, pa.array(ok))
    r = st.field("r")
    bad = np.zeros(len(st), dtype=bool)
    for j in range(len(template.cols)):
        d = st.field(f"d{j}")
        mism = pc.and_(pc.not_equal(d, ""), pc.not_equal(d, r))
        if pc.any(mism).as_py():
            bad |= np.asarray(mism.to_numpy(zero_copy_only=False))
    if bad.any():  # a cell whose reference names another row: the slow walk places it
        took = np.flatnonzero(ok)
        ok[took[bad]] = False
        st = pc.filter(st, pa.array(~bad))
        r = st.field("r")
    rows0 = pc.subtract(pc.cast(r, pa.int64()), 1)
    tables = []
    for j, col in enumerate(template.cols):
        present = pc.not_equal(st.field(f"d{j}"), "")
        if not pc.any(present).as_py():
            continue
        v = pc.filter(st.field(f"v{j}"), present)
        rows = pc.filter(rows0, present)
        has_v = pc.not_equal(v, "")
        vtext = pc.utf8_slice_codeunits(v, 3 + len(template.prefix), -4 - len(template.prefix))
        if col in template.fixed:
            t, s = _attr_ts(template.fixed[col])
            tables.append(_typed_cells(rows, col, t, s, vtext, has_v, dec))
            continue
        enc = pc.dictionary_encode(pc.filter(st.field(f"a{j}"), present))
        attrs = enc.dictionary.to_pylist()
        for code, attr in enumerate(attrs):
            t, s = _attr_ts(attr)
            if len(attrs) > 1:
                sel = pc.equal(enc.indices, code)
                tables.append(_typed_cells(pc.filter(rows, sel), col, t, s, pc.filter(vtext, sel),
                                           pc.filter(has_v, sel), dec))
            else:
                tables.append(_typed_cells(rows, col, t, s, vtext, has_v, dec))
    return ok, _Table.concat(tables) if tables else None


def _attr_ts(attr: str) -> tuple[str | None, str | None]:
    d = _attrs(attr)
    return d.get("t"), d.get("s")


def _typed_cells(rows: Any, col: int, t: str | None, s: str | None, v: Any, has_v: Any, dec: _Decoder) -> _Table:
    """The cells of one column with one attribute set (vectorised)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if t in ("inlineStr", "is"):  # the template has no <is>: these cells are empty
        return _Table.from_cells(_Cells())
    if t == "str":
        keep = has_v
    else:
        keep = pc.not_equal(v, "")
    if not pc.all(keep).as_py():
        rows, v = pc.filter(rows, keep), pc.filter(v, keep)
    n = len(rows)
    cols = pa.array(np.full(n, col, dtype=np.int64))

    def table(kind: int, text: Any, num: Any) -> _Table:
        return _Table(rows, cols, pa.array(np.full(n, kind, dtype=np.int8)),
                      text if text is not None else pa.nulls(n, pa.string()),
                      num if num is not None else pa.nulls(n, pa.float64()))

    if n == 0:
        return table(K_STR, None, None)
    if t == "s":
        if not pc.all(pc.match_substring_regex(v, r"^[0-9]{1,10}$")).as_py():
            raise Unsupported("shared string index")
        idx = pc.cast(v, pa.int64())
        if pc.max(idx).as_py() >= dec.sst_len:
            raise Unsupported("shared string index out of range")
        return table(K_STR, pc.take(dec.sst, idx), None)
    if t is None or t == "n":
        if not pc.all(pc.match_substring_regex(v, _XML_NUMBER.pattern)).as_py():
            c = _Cells()  # untyped text or odd numbers: the exact rules, cell by cell
            for rr, vv in zip(rows.to_pylist(), v.to_pylist(), strict=True):
                got = dec.number(vv, t, s)
                if got is not None:
                    c.add(rr, col, *got)
            return _Table.from_cells(c)
        fmt = dec.style_format(s)
        return table(K_DATE if fmt == 1 else K_DUR if fmt == 2 else K_FLOAT, None, pc.cast(v, pa.float64()))
    if t == "b":
        if pc.any(pc.match_substring(v, "&")).as_py():
            raise Unsupported("an entity in a boolean")
        return table(K_BOOL, None, pc.if_else(pc.equal(v, "0"), 0.0, 1.0))
    if t == "str":
        if pc.any(pc.match_substring_regex(v, "_x[0-9A-Fa-f]{4}_")).as_py():
            raise Unsupported("an _xHHHH_ escape in a formula's text")
        if pc.any(pc.match_substring_regex(v, "[&\r]")).as_py():
            v = pa.array([_unescape(x) for x in v.to_pylist()], pa.string())
        return table(K_STR, v, None)
    if t == "e":
        names = []
        for x in v.to_pylist():
            name = _ERRORS.get(x)
            if name is None:
                raise Unsupported(f"error value {x[:20]!r}")
            names.append(name)
        return table(K_ERR, pa.array(names, pa.string()), None)
    raise Unsupported(f'cell type t="{t}"')


# --- types and conversion ---------------------------------------------------------------------------------------


def _cell_dtypes(tab: _Table) -> dict[int, set[str]]:
    """Per column: the set of fastexcel cell dtypes among the sample cells (nulls left out)."""
    import pyarrow.compute as pc

    out: dict[int, set[str]] = {}
    kinds = {K_FLOAT: "float", K_BOOL: "boolean", K_DATE: "datetime", K_DUR: "duration"}
    for col, kind, text in zip(tab.col.to_pylist(), tab.kind.to_pylist(), tab.text.to_pylist(), strict=True):
        s = out.setdefault(col, set())
        if kind == K_STR:
            if text not in NULL_STRINGS and not _WS_ONLY.match(text):
                s.add("string")
        elif kind == K_ERR:
            if text in _FATAL_IN_SAMPLE:
                raise Unsupported(f"#{text} error in the type sample")
        else:
            s.add(kinds[kind])
    del pc
    return out


def _column_dtype(types: set[str]) -> str:
    if not types:
        return "string"
    if len(types) == 1:
        return next(iter(types))
    if "duration" in types:
        raise Unsupported("durations beside other values in the type sample (fastexcel refuses the column)")
    if types <= {"float", "boolean"}:
        return "float"
    return "string"


def _convert(dtype: str, kind: Any, text: Any, num: Any, rows0: Any, col: int, is_1904: bool,
             errors: list[tuple[int, int, str]], header0: int) -> Any:
    """One column of a batch: dense kind/text/num arrays (kind 0 = empty) -> the typed array; errors appended."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    kind_np = kind.to_numpy(zero_copy_only=False)
    n = len(kind_np)

    def err(mask: Any, what: str, closing: str = "'") -> None:
        for i in np.flatnonzero(mask):
            k = int(kind_np[i])
            detail = _debug_value(k, text[int(i)].as_py(), num[int(i)].as_py(), is_1904)
            errors.append((int(rows0[i]) - header0, col, f"Expected {what} but got '{detail}{closing}"))

    if dtype == "string":
        out = pc.if_else(pc.equal(kind, K_STR), text, pa.scalar(None, pa.string()))
        out = pc.if_else(pc.fill_null(pc.match_substring_regex(out, _WS_ONLY_RE2), False),
                         pa.scalar(None, pa.string()), out)
        other = (kind_np != K_STR) & (kind_np != 0)
        if other.any():
            vals = out.to_pylist()
            nums = num.to_numpy(zero_copy_only=False)
            dates = np.flatnonzero((kind_np == K_DATE) | (kind_np == K_DUR))
            date_ms, date_ok = serial_to_ms(nums[dates], is_1904)
            for i, ms, held in zip(dates, date_ms, date_ok, strict=True):
                vals[i] = _ms_text(int(ms)) if held else None
            unheld = np.zeros(n, dtype=bool)
            unheld[dates[~date_ok]] = True
            for i in np.flatnonzero(kind_np == K_FLOAT):
                vals[i] = excel_float_to_string(float(nums[i]))
            for i in np.flatnonzero(kind_np == K_BOOL):
                vals[i] = "true" if nums[i] else "false"
            err((kind_np == K_ERR) | unheld, "string")
            out = pa.array(vals, pa.string())
        return out
    if dtype == "float":
        ok = (kind_np == K_FLOAT) | (kind_np == K_BOOL)
        vals = np.where(ok, num.to_numpy(zero_copy_only=False), np.nan)
        valid = ok.copy()
        bad = []
        for i in np.flatnonzero(kind_np == K_STR):
            s = text[int(i)].as_py()
            if _RUST_FLOAT.match(s):
                vals[i] = float(s)
                valid[i] = True
            else:
                bad.append(i)
        bad_mask = (kind_np == K_DATE) | (kind_np == K_DUR) | (kind_np == K_ERR)
        bad_mask[bad] = True
        err(bad_mask, "float")
        return pa.array(vals, pa.float64(), mask=~valid)
    if dtype == "boolean":
        ok = (kind_np == K_FLOAT) | (kind_np == K_BOOL)
        vals = num.to_numpy(zero_copy_only=False)
        vals = np.where(ok, vals, 0.0) != 0.0
        err((kind_np != 0) & ~ok, "boolean", closing="")
        return pa.array(vals, pa.bool_(), mask=~ok)
    if dtype == "duration":  # calamine's as_duration: the serial in ms, rounded, saturated to i64
        ok = (kind_np == K_DUR) | (kind_np == K_DATE)
        ms_f = np.where(ok, num.to_numpy(zero_copy_only=False), 0.0) * float(_MS_DAY)
        t = np.trunc(ms_f)
        ms_f = t + np.where(np.abs(ms_f - t) >= 0.5, np.sign(ms_f), 0.0)
        ms = np.zeros(n, dtype=np.int64)
        high, low = ms_f >= 2.0**63, ms_f < -(2.0**63)
        mid = ~(high | low) & ~np.isnan(ms_f)
        ms[mid] = ms_f[mid].astype(np.int64)
        ms[high] = np.iinfo(np.int64).max
        ms[low] = np.iinfo(np.int64).min
        err((kind_np != 0) & ~ok, "duration")
        return pa.array(ms, pa.int64(), mask=~ok).cast(pa.duration("ms"))
    if dtype == "datetime":
        ok = (kind_np == K_DATE) | (kind_np == K_FLOAT) | (kind_np == K_DUR)
        nums = num.to_numpy(zero_copy_only=False)
        ms = np.zeros(n, dtype=np.int64)
        if ok.any():
            where = np.flatnonzero(ok)
            ms[where], held = serial_to_ms(nums[where], is_1904)
            ok[where[~held]] = False
        err((kind_np != 0) & ~ok, "datetime")
        return pa.array(ms, pa.int64(), mask=~ok).cast(pa.timestamp("ms"))
    raise Unsupported(f"column type {dtype}")


# --- the reader -------------------------------------------------------------------------------------------------


def _sheet_chunks(zf: zipfile.ZipFile, member: str, size: Any, prefix: list[str]):
    """The bytes of whole rows, about size() at a time (memoryviews, valid until the next step): the first starts
    after <sheetData>, each ends after a </row> but the last, which ends before </sheetData>.
    prefix: gets the sheet's namespace prefix ("x:" or "") once <sheetData> is found."""
    with zf.open(member) as f:
        buf = b""
        started = False
        end_tag = row_end = b""
        while True:
            b = f.read(size())
            buf = buf + b if buf else b
            if not started:
                m = re.search(rb"<(\w+:)?sheetData\b[^>]*?(/?)>", buf)
                if m is None:
                    if not b:
                        return
                    continue
                p = (m.group(1) or b"").decode()
                prefix.append(p)
                end_tag, row_end = f"</{p}sheetData>".encode(), f"</{p}row>".encode()
                if m.group(2):
                    return
                buf = buf[m.end():]
                started = True
            end = buf.find(end_tag)
            if end >= 0:
                if buf[:end].strip():
                    yield memoryview(buf)[:end]
                return
            if not b:
                raise Unsupported("sheet XML ends before </sheetData>")
            cut = buf.rfind(row_end)
            if cut < 0:
                if len(buf) > MAX_ROW_BYTES:
                    raise Unsupported("a row of more than 64 MB, or rows without an end tag")
                continue
            cut += len(row_end)
            yield memoryview(buf)[:cut]
            buf = buf[cut:]


def _one_string(raw: Any) -> Any:
    """A one-element Arrow string array over the bytes, without a copy; Unsupported if they are not UTF-8."""
    import numpy as np
    import pyarrow as pa

    if len(raw) >= 2**31:
        raise Unsupported("a chunk of 2 GB")
    offsets = pa.py_buffer(np.array([0, len(raw)], dtype=np.int32).tobytes())
    arr = pa.Array.from_buffers(pa.string(), 1, [None, offsets, pa.py_buffer(raw)])
    try:
        arr.validate(full=True)
    except pa.ArrowInvalid as e:
        raise Unsupported("sheet XML that is not UTF-8") from e
    return arr


class _Reader:
    def __init__(self, zf: zipfile.ZipFile, member: str, sst_member: str | None, styles_member: str | None,
                 header_row: int, chunk_bytes: int):
        self.template: _Template | None = None
        self.features: set[str] = set()
        self.attrs_seen: dict[int, dict[str, int]] = {}
        self.prefix = ""
        self.rows_fast = self.rows_slow = 0  # after the sample: rows the pattern took, rows the slow walk took
        self.zf, self.member, self.header_row, self.chunk_bytes = zf, member, header_row, chunk_bytes
        self.is_1904 = workbook_1904(zf)
        self.dec = _Decoder(read_shared_strings(zf, sst_member), read_styles(zf, styles_member), self.is_1904)
        self.state = [0, 0]  # calamine's row_index, col_index between rows

    def size(self) -> int:
        # small steps until the type sample is read (its rows take the slow walk), then big ones
        return self.chunk_bytes if self.template is not None else min(self.chunk_bytes, 256 * 1024)

    def tables(self):
        """Per chunk: the long table of its non-empty cells.

        After the sample, the row pattern of the next chunk runs on threads while this one is converted.
        """
        import pyarrow.compute as pc

        found: list[str] = []
        pool = pending = None
        try:
            for raw in _sheet_chunks(self.zf, self.member, self.size, found):
                self.prefix = p = found[0]
                if self.template is None:
                    try:
                        text = str(raw, "utf-8")
                    except UnicodeDecodeError as e:
                        raise Unsupported("sheet XML that is not UTF-8") from e
                    self.features |= _features(text, p)
                    c = _Cells()
                    _parse_rows_slow(text, self.dec, self.state, c, self.attrs_seen)
                    del text
                    yield _Table.from_cells(c)
                    continue
                pieces = pc.list_flatten(pc.split_pattern(_one_string(raw), f"</{p}row>"))
                closed = len(pieces) - 1  # pieces[:closed] were followed by </row>
                if not pieces[closed].as_py().strip():
                    pieces = pieces.slice(0, closed)
                if not len(pieces):
                    continue
                if pool is None:
                    from concurrent.futures import ThreadPoolExecutor

                    pool = ThreadPoolExecutor(THREADS)
                started = (pieces, closed, _extract_start(pool, pieces, self.template.pattern))
                if pending is not None:
                    yield self._finish(*pending)
                pending = started
            if pending is not None:
                yield self._finish(*pending)
        finally:
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)

    def _finish(self, pieces: Any, closed: int, futures: list[Any]) -> _Table:
        """The cells of one chunk's rows: the pattern's where it matched, the slow walk's elsewhere, in order."""
        p = self.prefix
        row_open = re.compile(rf'<{p}row r="(\d+)"(?: [\w:]+="[^"]*")*>')
        ok, fast = _fast_rows(pieces, self.template, self.dec, _extract_wait(futures))  # type: ignore[arg-type]
        if ok.all():
            self.rows_fast += len(ok)
            r = row_open.search(pieces[len(pieces) - 1].as_py())
            self.state = [int(r.group(1)), 0]  # type: ignore[union-attr]
            return fast if fast is not None else _Table.from_cells(_Cells())
        # rows the pattern did not take go through the slow walk, in order, so positions stay calamine's
        self.rows_fast += int(ok.sum())
        self.rows_slow += int((~ok).sum())
        if self.rows_slow > max(SLOW_ROWS, self.rows_fast // 10):
            raise Unsupported("too many rows of an unusual shape (the slow walk would take too long)")
        c = _Cells()
        tables = [fast] if fast is not None else []
        for i in range(len(pieces)):
            if ok[i]:
                if i + 1 < len(pieces) and not ok[i + 1]:
                    r = row_open.search(pieces[i].as_py())
                    self.state = [int(r.group(1)), 0]  # type: ignore[union-attr]
            else:
                piece = pieces[i].as_py()
                _parse_rows_slow(piece + f"</{p}row>" if i < closed else piece, self.dec, self.state, c)
        if ok[len(pieces) - 1]:
            r = row_open.search(pieces[len(pieces) - 1].as_py())
            self.state = [int(r.group(1)), 0]  # type: ignore[union-attr]
        tables.append(_Table.from_cells(c))
        return _Table.concat(tables)


def read_sheet(path: str | Path, member: str, sst_member: str | None, styles_member: str | None, header_row: int,
               out_path: str | Path | None = None, batch_rows: int = BATCH_ROWS,
               chunk_bytes: int = CHUNK_BYTES, isolated: bool = False) -> SheetStream:
    """Read one worksheet like fastexcel's load_sheet(header_row=..., whitespace_as_null=True), in bounded memory.

    out_path: write the data as an Arrow IPC file (the random-access format) there (removed again on Unsupported); None keeps the batches in
    the result. Raises Unsupported for what the module docstring lists.
    isolated: True in the short-lived read child only: pyarrow's system allocator from then on (mimalloc keeps
    ~50 MB of freed pages), and pandas kept out (pyarrow imports it, ~45 MB, at its first array when installed).
    Both are process-wide, hence not the default.
    """

    if isolated:
        _isolate()

    try:
        with zipfile.ZipFile(path) as zf:
            return _read(zf, member, sst_member, styles_member, header_row, out_path, batch_rows, chunk_bytes)
    except Unsupported:
        if out_path is not None:
            guard.unlink_quietly(str(out_path))
        raise
    except (UnicodeDecodeError, ValueError, KeyError) as e:
        if out_path is not None:
            guard.unlink_quietly(str(out_path))
        raise Unsupported(f"{type(e).__name__}: {e}") from e


def _isolate() -> None:
    import sys

    import pyarrow as pa

    pa.set_memory_pool(pa.system_memory_pool())
    if "pandas" in sys.modules:
        return

    class _NoPandas:
        @staticmethod
        def find_spec(name: str, path: Any = None, target: Any = None) -> None:
            if name == "pandas" or name.startswith("pandas."):
                raise ModuleNotFoundError(name)

    finder = _NoPandas()
    sys.meta_path.insert(0, finder)  # type: ignore[arg-type]
    try:
        pa.array([0])  # pyarrow looks for pandas once, finds none, and goes on without it
    finally:
        sys.meta_path.remove(finder)  # type: ignore[arg-type]


def _read(zf: zipfile.ZipFile, member: str, sst_member: str | None, styles_member: str | None, header_row: int,
          out_path: str | Path | None, batch_rows: int, chunk_bytes: int) -> SheetStream:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    rd = _Reader(zf, member, sst_member, styles_member, header_row, chunk_bytes)
    chunks = rd.tables()
    # 1. buffer chunks until the type sample (1000 data rows after the header) is complete
    buffered: list[_Table] = []
    first_row = None
    max_row = -1
    header0 = None
    for tab in chunks:
        if len(tab.row):
            buffered.append(tab)
            lo, hi = pc.min_max(tab.row).values()
            first_row = lo.as_py() if first_row is None else min(first_row, lo.as_py())
            max_row = max(max_row, hi.as_py())
            # fastexcel reads header_row 0 as "the first filled row", any other as that sheet row
            header0 = first_row if header_row == 0 else header_row
            if max_row > header0 + SAMPLE_ROWS:
                break
    if buffered:
        assert header0 is not None
        sample = _Table.concat(buffered)
        # the header and the columns: everything from the header row down counts
        below = sample.filter(pc.greater_equal(sample.row, header0))
    if not buffered or not len(below.row):  # fastexcel gives no columns then
        if out_path is not None:
            with pa.OSFile(str(out_path), "wb") as sink, pa.ipc.new_file(sink, pa.schema([])):
                pass
        return SheetStream(abs_cols=[], names=[], schema=pa.schema([]), rows=0, errors=[],
                           batches=None if out_path is not None else [],
                           out_path=str(out_path) if out_path is not None else None)
    first_col = pc.min(below.col).as_py()
    width = pc.max(below.col).as_py() + 1
    head = below.filter(pc.equal(below.row, header0))
    head_vals = {c: (k, t, n) for c, k, t, n in zip(head.col.to_pylist(), head.kind.to_pylist(), head.text.to_pylist(),
                                                     head.num.to_pylist(), strict=True)}
    names = _names(first_col, width, head_vals)
    data = below.filter(pc.greater(below.row, header0))
    in_sample = data.filter(pc.less_equal(data.row, header0 + SAMPLE_ROWS))
    found = _cell_dtypes(in_sample)
    no_rows = not len(data.row)
    dtypes = ["null" if no_rows else _column_dtype(found.get(c, set())) for c in range(first_col, width)]
    arrow = {"string": pa.string(), "float": pa.float64(), "boolean": pa.bool_(), "datetime": pa.timestamp("ms"),
             "duration": pa.duration("ms"), "null": pa.null()}
    schema = pa.schema([pa.field(n, arrow[d], nullable=True) for n, d in zip(names, dtypes, strict=True)])
    # the fast pattern: the columns cells were seen in, in the sample's usual rows
    fixed = {}
    for c, seen in rd.attrs_seen.items():
        in_data = [a for a, row in seen.items() if row > header0]
        if len(in_data) == 1 and re.fullmatch(r'(?: [\w:]+="[^"<>&]*")*', in_data[0]):
            fixed[c] = in_data[0]
    pattern_cols = sorted(set(in_sample.col.to_pylist()) | set(head_vals))
    if len(pattern_cols) > MAX_PATTERN_COLS and max_row > header0 + SAMPLE_ROWS:
        raise Unsupported(f"more than {MAX_PATTERN_COLS} columns")
    rd.template = _Template(pattern_cols, rd.features, fixed, rd.prefix)

    writer = None
    batches: list[Any] = []
    if out_path is not None:
        sink = pa.OSFile(str(out_path), "wb")
        # the IPC file format (not the stream): its footer lets the parent read a big sheet a slice at a time
        writer = pa.ipc.new_file(sink, schema)
    errors_by_col: dict[int, list[tuple[int, int, str]]] = {c: [] for c in range(first_col, width)}
    emitted = header0  # 0-based last sheet row written

    def emit(tab: _Table, upto: int) -> None:
        """Rows emitted+1..upto (0-based sheet rows) from the cells in tab, in batches."""
        nonlocal emitted
        while emitted < upto:
            hi = min(upto, emitted + batch_rows)
            part = tab.filter(pc.and_(pc.greater(tab.row, emitted), pc.less_equal(tab.row, hi))) if len(tab.row) else tab
            n = hi - emitted
            rows0 = np.arange(emitted + 1, hi + 1)
            arrays = []
            pcol = part.col.to_numpy(zero_copy_only=False)
            prow = part.row.to_numpy(zero_copy_only=False)
            order = np.argsort(pcol, kind="stable")
            bounds = np.searchsorted(pcol[order], np.arange(width + 1))
            for c in range(first_col, width):
                sel = order[bounds[c]:bounds[c + 1]]
                idx = np.full(n, -1, dtype=np.int64)
                idx[prow[sel] - emitted - 1] = sel
                if len(sel) and np.count_nonzero(idx >= 0) != len(sel):
                    raise Unsupported("a cell given twice")
                take = pa.array(idx, mask=idx < 0)
                kind = pc.fill_null(pc.take(part.kind, take), 0)
                text = pc.take(part.text, take)
                num = pc.take(part.num, take)
                if dtypes[c - first_col] == "null":
                    arrays.append(pa.nulls(n))
                else:
                    arrays.append(_convert(dtypes[c - first_col], kind, text, num, rows0, c - first_col, rd.is_1904,
                                           errors_by_col[c], header0))
            batch = pa.RecordBatch.from_arrays(arrays, schema=schema)
            if writer is not None:
                writer.write_batch(batch)
            else:
                batches.append(batch)
            emitted = hi

    def take_data(tab: _Table) -> None:
        if not len(tab.row):
            return
        _check_width(tab, first_col, width)
        if pc.min(tab.row).as_py() <= emitted:
            raise Unsupported("rows out of order")
        tab = tab.filter(pc.greater(tab.row, header0))
        if not len(tab.row):
            return
        if pc.min(tab.row).as_py() <= emitted:
            raise Unsupported("rows out of order")
        emit(tab, pc.max(tab.row).as_py())

    try:
        data_rows = data.row
        if len(data_rows):
            _check_width(data, first_col, width)
            emit(data, pc.max(data_rows).as_py())
        for tab in chunks:
            take_data(tab)
    finally:
        chunks.close()  # stops the pattern's threads when a chunk was refused
        if writer is not None:
            writer.close()
            sink.close()
    errors = [e for c in range(first_col, width) for e in errors_by_col[c]]
    return SheetStream(abs_cols=list(range(first_col, width)), names=names, schema=schema, rows=emitted - header0,
                       errors=errors, batches=None if writer is not None else batches,
                       out_path=str(out_path) if out_path is not None else None)


def _check_width(tab: _Table, first_col: int, width: int) -> None:
    import pyarrow.compute as pc

    if len(tab.col) and (pc.max(tab.col).as_py() >= width or pc.min(tab.col).as_py() < first_col):
        raise Unsupported("a column that first appears after the type sample")


def _names(first_col: int, width: int, head: dict[int, tuple[int, str | None, float | None]]) -> list[str]:
    """fastexcel's column names: the header text, a number as Rust prints it, else __UNNAMED__i; duplicates _1, _2."""
    names: list[str] = []
    used: set[str] = set()
    for c in range(first_col, width):
        kind, text, num = head.get(c, (0, None, None))
        if kind == K_STR:
            name = text or ""
        elif kind == K_FLOAT:
            name = rust_display_float(num)  # type: ignore[arg-type]
        else:
            name = f"__UNNAMED__{c - first_col}"
        if name in used:
            i = 1
            while f"{name}_{i}" in used:
                i += 1
            name = f"{name}_{i}"
        used.add(name)
        names.append(name)
    return names
