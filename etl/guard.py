"""Defences against hostile or broken delivery files: cheap pre-parse checks and a child process with limits."""

from __future__ import annotations

import faulthandler
import os
import pickle
import re
import resource
import select
import signal
import tempfile
import time
import traceback
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import XMLPullParser

from etl.problems import Problem

MAX_FILE_BYTES = 200 * 1024**2  # a delivery file on disk
MAX_TOTAL_UNCOMPRESSED = 300 * 1024**2  # all members of a workbook archive together, as declared
MAX_RATIO = 200  # inflate ratio allowed for members above RATIO_MIN_BYTES
RATIO_MIN_BYTES = 5 * 1024**2
MAX_CELLS = 10_000_000  # rows x columns of the grid calamine would allocate for one sheet
MAX_ROWS = 1_048_576
MAX_COLS = 16_384
FULL_SCAN_BYTES = 16 * 1024**2  # sheets up to this size (uncompressed XML) are scanned completely
# sheets from this size (uncompressed XML, ~200,000 rows of a few columns) are read by etl/xlsx_stream in bounded
# memory instead of calamine, which holds every cell (~10x the data's Arrow size); it takes ~1.5x calamine's time
STREAM_BYTES = 32 * 1024**2
HEAD_ROWS = 40  # header detection looks at Excel rows 1..HEAD_ROWS
CHILD_TIMEOUT = 30.0
CHILD_MEMORY = 1536 * 1024**2  # address space the child may add on top of what it inherits

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
UNREADABLE = "kon niet worden gelezen: het bestand is te groot of beschadigd. Sla het opnieuw op als .xlsx en lever het opnieuw aan"


def sniff(path: Path) -> str:
    """What the file is by its first bytes: 'zip', 'ole2', 'pdf', 'empty', 'binary' or 'text'."""
    with open(path, "rb") as f:
        head = f.read(4096)
    if not head:
        return "empty"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(OLE2_MAGIC):
        return "ole2"
    if head.startswith(b"%PDF"):
        return "pdf"
    if utf16_without_bom(head):
        return "text"
    if b"\x00" in head.lstrip(b"\xff\xfe").lstrip(b"\xfe\xff")[:4096] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    return "text"


def utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' for text saved as UTF-16 without a byte order mark (a NUL in every other byte)."""
    n = len(head) // 2
    if n < 8:
        return None
    even, odd = head[0 : 2 * n : 2].count(0) / n, head[1 : 2 * n : 2].count(0) / n
    if odd > 0.9 and even < 0.05:
        return "utf-16-le"
    if even > 0.9 and odd < 0.05:
        return "utf-16-be"
    return None


def _problem(file: str, message: str, sheet: str | None = None) -> Problem:
    return Problem(file=file, sheet=sheet, row=None, column=None, message=message)


def check_archive(zf: zipfile.ZipFile, file: str) -> list[Problem]:
    """Reject zip bombs from the central directory's declared sizes, before anything is inflated."""
    total = 0
    for info in zf.infolist():
        total += info.file_size
        if info.file_size > RATIO_MIN_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            return [_problem(file, f"{file} is verdacht: het onderdeel {info.filename} pakt uit tot "
                                   f"{info.file_size // 1024**2} MB ({info.file_size // max(info.compress_size, 1)} keer "
                                   "zo groot). Sla de gegevens op in een nieuw, gewoon .xlsx-bestand.")]
    if total > MAX_TOTAL_UNCOMPRESSED:
        return [_problem(file, f"{file} is te groot: uitgepakt {total // 1024**2} MB (maximaal "
                               f"{MAX_TOTAL_UNCOMPRESSED // 1024**2} MB). Lever minder gegevens per bestand aan of "
                               "verwijder afbeeldingen en lege opgemaakte rijen.")]
    return []


# --- xlsx ---------------------------------------------------------------------------------------------------

# a cell reference of a cell that has content: calamine skips self-closing (styled, empty) cells such as
# Excel's <c r="XFD1048576" s="1"/>, so those must not count
_LETTERS = re.compile(rb'\br="([A-Z]{1,4})(\d{1,9})"[^<>]*(?<!/)>')
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]{1,4})(\d{1,9})(?::([A-Z]{1,4})(\d{1,9}))?"')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*?\bref="([A-Z]{1,4})(\d{1,9})(?::([A-Z]{1,4})(\d{1,9}))?"')


def col_index(letters: str | bytes) -> int:
    """0-based column index of Excel column letters ("A" -> 0, "XFD" -> 16383)."""
    if isinstance(letters, bytes):
        letters = letters.decode()
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def col_letters(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


@dataclass
class SheetScan:
    """What the guard learned from one worksheet's XML without parsing it into a grid."""

    name: str
    member: str
    dimension: str | None = None
    max_row: int = 0
    max_col: int = -1
    scanned: bool = False  # True when every cell reference was seen
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row1, col1, row2, col2): rows 1-based, cols 0-based
    head: dict[int, dict[int, Any]] | None = None  # Excel row -> {0-based col: value} for rows 1..HEAD_ROWS


def local_name(tag: str) -> str:
    """An XML tag without its namespace: '{ns}row' -> 'row'."""
    return tag.rsplit("}", 1)[-1]


def _resolve_target(target: str) -> str:
    target = target.replace("\\", "/")
    if target.startswith("/"):
        return target.lstrip("/")
    parts: list[str] = ["xl"]
    for p in target.split("/"):
        if p == "..":
            if parts:
                parts.pop()
        elif p and p != ".":
            parts.append(p)
    return "/".join(parts)


def workbook_sheets(zf: zipfile.ZipFile) -> tuple[list[tuple[str, str]], str | None]:
    """[(sheet name, member path)] in workbook order, and the shared strings member (None if absent)."""
    import xml.etree.ElementTree as ET

    names = set(zf.namelist())
    rels: dict[str, tuple[str, str]] = {}
    if "xl/_rels/workbook.xml.rels" in names:
        for el in ET.fromstring(zf.read("xl/_rels/workbook.xml.rels")):
            rels[el.get("Id", "")] = (el.get("Type", ""), _resolve_target(el.get("Target", "")))
    sheets = []
    root = ET.fromstring(zf.read("xl/workbook.xml"))
    for el in root.iter():
        if local_name(el.tag) == "sheet":
            rid = next((v for k, v in el.attrib.items() if local_name(k) == "id"), None)
            target = rels.get(rid or "", ("", ""))[1]
            if target in names:
                sheets.append((el.get("name", ""), target))
    sst = next((t for typ, t in rels.values() if typ.endswith("/sharedStrings") and t in names), None)
    if sst is None and "xl/sharedStrings.xml" in names:
        sst = "xl/sharedStrings.xml"
    return sheets, sst


def _read_chunks(zf: zipfile.ZipFile, member: str, chunk: int = 1 << 20):
    with zf.open(member) as f:
        while True:
            b = f.read(chunk)
            if not b:
                return
            yield b


def scan_sheet(zf: zipfile.ZipFile, name: str, member: str, want_head: bool = True) -> SheetScan:
    """Dimension, the extent of the cell references, merged ranges and the first rows' raw cells of one sheet.

    Sheets up to FULL_SCAN_BYTES, and bigger ones whose <dimension> claims a huge grid, are scanned completely
    (a hostile cell reference such as XFD1048576 makes calamine abort); other big sheets only by their head.
    """
    info = zf.getinfo(member)
    scan = SheetScan(name=name, member=member)
    first = b""
    with zf.open(member) as f:
        first = f.read(8192)
    m = _DIMENSION.search(first)
    huge_claim = False
    if m:
        scan.dimension = b":".join(x for x in (m.group(1) + m.group(2), (m.group(3) or b"") + (m.group(4) or b"")) if x).decode()
        if m.group(3):
            rows = int(m.group(4)) - int(m.group(2)) + 1
            cols = col_index(m.group(3)) - col_index(m.group(1)) + 1
            huge_claim = rows * cols > MAX_CELLS
    if info.file_size <= FULL_SCAN_BYTES or huge_claim or not m:
        tail = b""
        max_row, max_col = 0, -1
        for b in _read_chunks(zf, member):
            buf = tail + b
            refs = _LETTERS.findall(buf)
            if refs:
                max_col = max(max_col, max(col_index(c) for c in {r[0] for r in refs}))
                max_row = max(max_row, max(int(r[1]) for r in refs))
            for mm in _MERGE.finditer(buf):
                if mm.group(3):
                    scan.merges.append((int(mm.group(2)), col_index(mm.group(1)), int(mm.group(4)), col_index(mm.group(3))))
            cut = max(buf.rfind(b"<"), len(buf) - 256)
            tail = buf[cut:]
        scan.max_row, scan.max_col, scan.scanned = max_row, max_col, True
        scan.merges = sorted(set(scan.merges))
    if want_head:
        scan.head = _sheet_head(zf, member)
    return scan


_CELL_OPEN = re.compile(rb'<(?:\w+:)?c\b([^<>]*?)(/?)>')
_CELL_REF = re.compile(rb'\br="([A-Z]{1,4})(\d{1,9})"')
_CELL_TYPE = re.compile(rb'\bt="(\w+)"')


def number_cells(zf: zipfile.ZipFile, member: str, cols: set[int], below: int) -> dict[int, list[int]] | None:
    """Excel rows below row `below` where a cell of `cols` holds a number (no t attribute or t="n").

    calamine turns a column that mixes numbers and text into text; this tells the numbers apart again.
    None when a cell has no reference (positions would be guesswork): the caller keeps the text then.
    """
    out: dict[int, list[int]] = {c: [] for c in cols}
    letters = {col_letters(c).encode(): c for c in cols}
    tail = b""
    for b in _read_chunks(zf, member):
        buf = tail + b
        cut = buf.rfind(b"<")
        body, tail = buf[:cut], buf[cut:]
        for m in _CELL_OPEN.finditer(body):
            if m.group(2):  # self-closing: a styled empty cell
                continue
            ref = _CELL_REF.search(m.group(1))
            if ref is None:
                return None
            col = letters.get(ref.group(1))
            if col is None:
                continue
            row = int(ref.group(2))
            t = _CELL_TYPE.search(m.group(1))
            if row > below and (t is None or t.group(1) == b"n"):
                out[col].append(row)
    return out


def sheet_too_big(scan: SheetScan) -> bool:
    if not scan.scanned:
        return False
    cols = scan.max_col + 1
    return scan.max_row > MAX_ROWS or cols > MAX_COLS or scan.max_row * max(cols, 1) > MAX_CELLS


def _sheet_head(zf: zipfile.ZipFile, member: str) -> dict[int, dict[int, Any]]:
    """Raw cells of Excel rows 1..HEAD_ROWS: shared strings as ('s', index), others as text."""
    parser = XMLPullParser(events=("start", "end"))
    rows: dict[int, dict[int, Any]] = {}
    row_no, col_no = 0, -1
    cell_type, cell_ref = None, None
    texts: list[str] = []
    done = False
    for b in _read_chunks(zf, member, 1 << 16):
        parser.feed(b)
        for ev, el in parser.read_events():
            tag = local_name(el.tag)
            if ev == "start":
                if tag == "row":
                    r = el.get("r")
                    row_no = int(r) if r and r.isdigit() else row_no + 1
                    col_no = -1
                    if row_no > HEAD_ROWS:
                        done = True
                        break
                elif tag == "c":
                    cell_type, cell_ref, texts = el.get("t"), el.get("r"), []
                continue
            if tag in ("v", "t") and el.text is not None:
                texts.append(el.text)
            elif tag == "rPh":  # phonetic runs are not part of the value
                pass
            elif tag == "c":
                m = re.match(r"([A-Z]{1,4})\d+$", cell_ref or "")
                col_no = col_index(m.group(1)) if m else col_no + 1
                if texts:
                    value: Any = "".join(texts)
                    if cell_type == "s":
                        value = ("s", int(value)) if value.strip().isdigit() else None
                    rows.setdefault(row_no, {})[col_no] = value
            elif tag == "sheetData":
                done = True
                break
            el.clear()
        if done:
            break
    return rows


def iter_shared_strings(zf: zipfile.ZipFile, member: str, text_of: Callable[[Any], str] | None = None,
                        chunk: int = 1 << 16) -> Iterator[str]:
    """The shared strings table's strings in order, streamed: rich text runs joined, phonetic runs (rPh) left out.

    text_of: how the text of one <t> element is taken (default: as it stands; etl/xlsx_stream trims it as calamine).
    """
    parser = XMLPullParser(events=("start", "end"))
    texts: list[str] = []
    in_rph = 0
    for b in _read_chunks(zf, member, chunk):
        parser.feed(b)
        for ev, el in parser.read_events():
            tag = local_name(el.tag)
            if ev == "start":
                if tag == "si":
                    texts = []
                elif tag == "rPh":
                    in_rph += 1
                continue
            if tag == "rPh":
                in_rph -= 1
            elif tag == "t" and not in_rph and el.text:
                texts.append(el.text if text_of is None else text_of(el))
            elif tag == "si":
                yield "".join(texts)
                el.clear()


def shared_strings(zf: zipfile.ZipFile, member: str, upto: int) -> list[str]:
    """The first upto+1 shared strings (streamed: a big table is not read further than needed)."""
    out: list[str] = []
    for text in iter_shared_strings(zf, member):
        out.append(text)
        if len(out) > upto:
            break
    return out


# (scans of the named sheets, with their first rows as text; each named sheet's XML size; problems rejecting the file)
WorkbookScan = tuple[dict[str, SheetScan], dict[str, int], list[Problem]]


def scan_workbook(path: Path) -> WorkbookScan:
    """Every worksheet part of an xlsx checked before calamine opens the file (ODS: see check_ods).

    Sheets claiming or holding more cells than MAX_CELLS reject the file; the named sheets' first rows are read
    as text (shared strings resolved) for header detection.
    """
    file = path.name
    scans: dict[str, SheetScan] = {}
    sizes: dict[str, int] = {}
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        if "xl/workbook.xml" in names:
            try:
                sheet_members, sst = workbook_sheets(zf)
            except Exception:  # noqa: BLE001 - odd packaging: calamine may still read it
                sheet_members, sst = [], None
            mapped = {m for _, m in sheet_members}
            # every worksheet part is checked, also those the workbook does not name
            for member in sorted(n for n in names if re.match(r"xl/worksheets/[^/]+\.xml$", n) and n not in mapped):
                sheet_members.append(("", member))
            for name, member in sheet_members:
                scan = scan_sheet(zf, name, member, want_head=bool(name))
                if sheet_too_big(scan):
                    return {}, {}, [_problem(file, f"Tabblad '{name or member}' beslaat {col_letters(scan.max_col)}"
                                                   f"{scan.max_row} en is daarmee te groot of beschadigd (meer dan "
                                                   f"{MAX_CELLS // 1_000_000} miljoen cellen). Verwijder lege "
                                                   "opgemaakte rijen en kolommen, of kopieer de gegevens naar een "
                                                   "nieuw werkblad.", sheet=name or None)]
                if name:
                    scans[name] = scan
                    sizes[name] = zf.getinfo(member).file_size
        elif "content.xml" not in names:  # non-standard packaging (no xl/ folder, backslashes): guard every XML part, heads via calamine
            for member in sorted(n for n in names if n.lower().endswith(".xml")):
                scan = scan_sheet(zf, "", member, want_head=False)
                if sheet_too_big(scan):
                    return {}, {}, [_problem(file, f"Een tabblad in {file} beslaat {col_letters(scan.max_col)}"
                                                   f"{scan.max_row} en is daarmee te groot of beschadigd.")]
        if scans:
            wanted = [v[1] for s in scans.values() for row in (s.head or {}).values() for v in row.values()
                      if isinstance(v, tuple)]
            strings = shared_strings(zf, sst, max(wanted)) if wanted and sst else []
            for sc in scans.values():
                for row in (sc.head or {}).values():
                    for c, v in list(row.items()):
                        if isinstance(v, tuple):
                            row[c] = strings[v[1]] if v[1] < len(strings) else None
    return scans, sizes, []


# --- ods ----------------------------------------------------------------------------------------------------

_ODS_TAG = re.compile(rb"<table:(table-row|table-cell|covered-table-cell|table)\b([^>]*)>")
_REPEAT = re.compile(rb'number-(rows|columns)-repeated="(\d+)"')


def check_ods(zf: zipfile.ZipFile, file: str) -> list[Problem]:
    """Encrypted ODS and rows/cells repeated beyond any real sheet (calamine issue 594)."""
    names = set(zf.namelist())
    if "META-INF/manifest.xml" in names and b"encryption-data" in zf.read("META-INF/manifest.xml"):
        return [_problem(file, f"{file} is beveiligd met een wachtwoord; sla het op zonder wachtwoord en lever het opnieuw aan.")]
    if "content.xml" not in names:
        return [_problem(file, f"{file} is geen geldig ODS-bestand (content.xml ontbreekt); sla het op als .xlsx.")]
    rows_rep = 1
    tail = b""
    for b in _read_chunks(zf, "content.xml"):
        buf = tail + b
        last = 0
        for m in _ODS_TAG.finditer(buf):
            last = m.end()
            kind, attrs = m.group(1), m.group(2)
            rep = dict((k, int(v)) for k, v in _REPEAT.findall(attrs))
            if kind == b"table-row":
                rows_rep = rep.get(b"rows", 1)
                if rows_rep > MAX_ROWS:
                    return [_ods_problem(file, "rijen")]
            elif kind == b"table":
                rows_rep = 1
            else:
                cols_rep = rep.get(b"columns", 1)
                if cols_rep > MAX_COLS:
                    return [_ods_problem(file, "kolommen")]
                if b"value-type" in attrs and cols_rep * rows_rep > MAX_CELLS:
                    return [_ods_problem(file, "cellen")]
        tail = buf[max(last, len(buf) - 4096):]
    return []


def _ods_problem(file: str, what: str) -> Problem:
    return _problem(file, f"{file} herhaalt onrealistisch veel {what} en is daardoor te groot om te lezen. "
                          "Open het, kopieer alleen de gegevens naar een nieuw werkblad en sla het op als .xlsx.")


# --- the child process --------------------------------------------------------------------------------------


class ChildFailed(Exception):
    """The isolated parse died, ran out of memory or time; .reason says which (for logs, not for users)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _vm_size() -> int:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def run_isolated(fn: Callable[..., Any], *args: Any, timeout: float = CHILD_TIMEOUT, memory: int = CHILD_MEMORY,
                 preload: tuple[str, ...] = ()) -> Any:
    """fn(*args) in a forked child with an address-space limit and a wall-clock timeout; its pickled result.

    The child only runs native parsing (fastexcel/calamine) and pickling: it must not use polars, whose
    thread pool the parent may have started and which a forked child does not inherit.
    The limit is relative to the inherited address space (importing polars alone reserves about 1 GB).
    Raises ChildFailed when the child dies, runs over time or raises.
    preload: modules the child imports before the limit is set (their address space is not counted).
    """
    return Isolated(fn, *args, timeout=timeout, memory=memory, preload=preload).result()


CHILD_OUT: str | None = None  # in a run_isolated child: its result file; side files (streamed sheets) start with it
# temporary files of the reader, named "<prefix><pid of the process that made them>-...": the result of a child
# and its side files (a streamed sheet), and a side file made in-process
READ_PREFIX = "stuurhut-read-"
SHEET_PREFIX = "stuurhut-sheet-"
_swept = False


def remove_leftovers(prefix: str) -> None:
    """Remove the temporary files and folders named "<prefix><pid>-..." whose process has ended: what a load or a
    server that was killed (SIGKILL, out of memory) left behind. Those of live processes stay."""
    import shutil

    for path in Path(tempfile.gettempdir()).glob(f"{prefix}*"):
        pid = path.name[len(prefix):].split("-")[0]
        if not pid.isdigit() or int(pid) == os.getpid() or _alive(int(pid)):
            continue
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            unlink_quietly(str(path))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: another user's live process
        return True
    return True


def _sweep_once() -> None:
    """The reader's leftovers of ended processes, once per process (a glob of the temporary folder)."""
    global _swept
    if not _swept:
        _swept = True
        remove_leftovers(READ_PREFIX)
        remove_leftovers(SHEET_PREFIX)


def side_file(suffix: str) -> str:
    """A path for a large result beside the pickled one (a streamed sheet's Arrow IPC): named after the child's
    result file, so a failed or cancelled child's side files go with it; outside a child a plain temp file."""
    if CHILD_OUT is not None:
        return f"{CHILD_OUT}.{suffix}"
    fd, path = tempfile.mkstemp(prefix=f"{SHEET_PREFIX}{os.getpid()}-", suffix=f".{suffix}")
    os.close(fd)
    return path


def remove_side_files(out_path: str) -> None:
    import glob

    for path in glob.glob(glob.escape(out_path) + ".*"):
        unlink_quietly(path)


def unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


class Isolated:
    """A running run_isolated: the child starts at once, the parent is free until .result() (e.g. to open the DB)."""

    def __init__(self, fn: Callable[..., Any], *args: Any, timeout: float = CHILD_TIMEOUT, memory: int = CHILD_MEMORY,
                 preload: tuple[str, ...] = ()):
        fd, self.out_path = tempfile.mkstemp(prefix=f"{READ_PREFIX}{os.getpid()}-", suffix=".pickle")
        os.close(fd)
        self.deadline = time.monotonic() + timeout
        self.value: Any = None
        self.failure: ChildFailed | None = None
        self.pid: int | None = os.fork()
        if self.pid == 0:  # child
            global CHILD_OUT
            CHILD_OUT = self.out_path
            code = 1
            try:
                faulthandler.disable()  # a contained crash must not print a Python stack to the user's terminal
                # nor a native one (Rust prints its allocation failures and panics straight to fd 2)
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, 2)
                for module in preload:  # e.g. pyarrow: the parent no longer imports it, and its arenas reserve
                    __import__(module)  # hundreds of MB of address space that must not eat the parse's budget
                limit = _vm_size() + memory
                resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
                resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
                try:
                    result: Any = ("ok", fn(*args))
                except MemoryError:
                    result = ("error", "memory")
                except BaseException:  # noqa: BLE001 - everything goes back to the parent as data
                    result = ("error", traceback.format_exc(limit=5))
                with open(self.out_path, "wb") as f:
                    pickle.dump(result, f, protocol=pickle.HIGHEST_PROTOCOL)
                code = 0
            finally:
                os._exit(code)
        _sweep_once()  # while the child works: a killed parent's leftovers (they may hold a delivery's rows)

    def result(self) -> Any:
        """The child's return value (waits for it once); raises ChildFailed like run_isolated."""
        if self.pid is not None:
            pid, self.pid = self.pid, None
            try:
                self.value = self._collect(pid)
            except ChildFailed as e:
                self.failure = e
                remove_side_files(self.out_path)  # a streamed sheet the failed child may have left
            finally:
                unlink_quietly(self.out_path)
        if self.failure is not None:
            raise self.failure
        return self.value

    def cancel(self) -> None:
        """Kill the child if its result was never collected (a load that ended first), and drop its output file."""
        if self.pid is None:
            return
        pid, self.pid = self.pid, None
        self.failure = ChildFailed("cancelled")
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        remove_side_files(self.out_path)
        unlink_quietly(self.out_path)

    def _collect(self, pid: int) -> Any:
        status = _wait(pid, max(0.0, self.deadline - time.monotonic()))
        if status is None:
            raise ChildFailed("timeout")
        if os.WIFSIGNALED(status):
            raise ChildFailed(f"signal {os.WTERMSIG(status)}")
        if os.WEXITSTATUS(status) != 0 or os.path.getsize(self.out_path) == 0:
            raise ChildFailed(f"exit {os.WEXITSTATUS(status)}")
        with open(self.out_path, "rb") as f:
            kind, value = pickle.load(f)  # noqa: S301 - written by our own child a moment ago
        if kind != "ok":
            raise ChildFailed(str(value))
        return value


def _wait(pid: int, timeout: float) -> int | None:
    """Exit status of the child, or None after killing it when it ran over time."""
    deadline = time.monotonic() + timeout
    try:
        pidfd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        pidfd = None
    try:
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return status
            left = deadline - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return None
            if pidfd is not None:
                select.select([pidfd], [], [], left)
            else:
                time.sleep(min(0.005, left))
    finally:
        if pidfd is not None:
            os.close(pidfd)
