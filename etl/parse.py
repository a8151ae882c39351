"""The native half of reading a workbook, run in the isolated reader child: header detection, classification, parse.

No polars here (the child must not use it: the Streamlit server's parent has started polars' threads before it
forks); etl/begin.py starts the child, etl/read.py turns the parsed tables into polars frames in the parent.
"""

from __future__ import annotations

import importlib
import itertools
import logging
import re
import sys
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from etl import exports, guard
from etl.begin import EarlyParse, _p
from etl.contract_view import SheetView, by_sheet, columns, fold, sheet_for, sheets
from etl.problems import Problem

NUMERIC_KINDS = {"money", "count", "number", "percent", "score"}  # never filled down over a merge: it would double count
NUMBER_CELL_KINDS = NUMERIC_KINDS | {"year"}  # kinds whose number cells must stay numbers in a mixed column
# fastexcel logs every mixed-type column ("falling back to string") as a warning; that is normal here
for _name in ("fastexcel", "calamine"):
    logging.getLogger(_name).setLevel(logging.ERROR)

KNOWN_SHEETS = ", ".join(m.sheet for m in sheets())
# set in the reader child (etl/begin.py): pyarrow, needed for each parsed sheet's conversion, is imported on a
# thread as the first sheet's parse starts (calamine parses without the GIL), not before it
PYARROW_BESIDE = False


# --- classifying sheets and finding their header ------------------------------------------------------------


def clean_sheet_name(name: str) -> SheetView | None:
    """The contract model of a sheet name or CSV file stem such as "CDOR_Bijeenkomsten 2022" or "begroting (1)"."""
    candidates = [name]
    stripped = name
    for _ in range(4):
        new = re.sub(r"[\s_\-.]*(\(\d+\)|v\d+|q[1-4]|\d{1,4}([\-_.]\d{1,4}){0,2}|[\-_.])$", "", stripped, flags=re.I).strip()
        if new == stripped or not new:
            break
        stripped = new
        candidates.append(stripped)
    for c in list(candidates):
        m = re.match(r"^[A-Za-z0-9]{2,12}\s*[_\-]\s*(.+)$", c)
        if m:
            candidates.append(m.group(1))
    for c in candidates:
        model = sheet_for(c)
        if model is not None:
            return model
    return None


def header_keys(model: SheetView) -> dict[str, str]:
    """fold(header or alias) -> field name; the Dutch header wins over another field's alias."""
    keys: dict[str, str] = {}
    cols = columns(model)
    for c in cols:
        keys[fold(c.header)] = c.name
    for c in cols:
        for a in c.aliases:
            keys.setdefault(fold(a), c.name)
    return keys


def match_header(text: Any, keys: dict[str, str]) -> str | None:
    if text is None:
        return None
    t = str(text)
    k = fold(t)
    if k in keys:
        return keys[k]
    k = fold(re.sub(r"[(\[{].*?[)\]}]|\*", "", t))  # "Begroot (EUR)", "Jaar *"
    return keys.get(k) if k else None


# --- internals ----------------------------------------------------------------------------------------------


@dataclass
class RawTable:
    """One sheet after the (possibly isolated) native parse; picklable, no polars objects."""

    name: str
    model: str | None  # Dutch contract sheet name
    adapter: str | None
    header_row: int | None  # Excel row of the header
    headers: dict[int, str] = field(default_factory=dict)  # absolute 0-based column -> header text
    abs_cols: list[int] = field(default_factory=list)  # absolute column of each column of `data`
    data: Any = None  # rows after the header: Arrow IPC stream bytes or an IPC file's path (workbooks), polars frame (csv)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    errors: list[tuple[int, int, str]] = field(default_factory=list)  # (Excel row, abs column, detail)
    numbers: dict[int, list[int]] = field(default_factory=dict)  # abs column read as text -> Excel rows of number cells
    matched: dict[int, str] = field(default_factory=dict)  # absolute column -> field name
    blank_null: bool = False  # whitespace-only cells already read as null (fastexcel's whitespace_as_null)
    problems: list[Problem] = field(default_factory=list)



def _head_from_calamine(reader: Any, name: str) -> dict[int, dict[int, Any]]:
    """Excel rows 1..HEAD_ROWS as text via calamine (ODS, or an xlsx whose XML the guard could not map)."""
    s = reader.load_sheet(name, header_row=None, skip_rows=0, n_rows=guard.HEAD_ROWS, dtypes="string")
    batch = s.to_arrow()
    abs_idx = [c.absolute_index for c in s.selected_columns]
    head: dict[int, dict[int, Any]] = {}
    for i, row in enumerate(batch.to_pylist()):
        cells = {abs_idx[j]: v for j, v in enumerate(row.values()) if v is not None and str(v).strip() != ""}
        if cells:
            head[i + 1] = cells
    return head


def detect_header(head: dict[int, dict[int, Any]], model: SheetView) -> tuple[int | None, dict[int, str], bool]:
    """(Excel row of the header, absolute column -> field, all required present) from the first rows."""
    keys = header_keys(model)
    required = {c.name for c in columns(model) if c.required}
    best: tuple[int, int, dict[int, str]] | None = None
    for row in sorted(head):
        matched = {}
        for col, v in sorted(head[row].items()):
            f = match_header(v, keys)
            if f is not None:
                matched[col] = f
        fields = set(matched.values())
        if required <= fields and fields:
            return row, matched, True
        if len(fields) >= 2 and (best is None or len(fields) > best[0]):
            best = (len(fields), row, matched)
    if best is None:
        return None, {}, False
    return best[1], best[2], False


def _classify(name: str, head: dict[int, dict[int, Any]]) -> tuple[SheetView | None, str | None, int | None]:
    """(model, adapter, adapter header row) of a sheet from its name and first rows."""
    model = clean_sheet_name(name)
    if model is None or model.sheet in ("Enquete", "Contacten"):
        for row in sorted(head):
            adapter = exports.detect(list(head[row].values()))
            if adapter:
                return by_sheet(exports.MODEL[adapter]), adapter, row
            if len(head[row]) >= 2:
                break  # adapters have their header on the first filled row
    return model, None, None


def parse_workbook(path: str, probe: bool = False, scanned: guard.WorkbookScan | None = None,
                   early: EarlyParse | None = None) -> tuple[list[RawTable], list[Problem]]:
    """The native part of reading a workbook: guard scans, header detection, one typed parse per sheet.

    Runs in the isolated child: no polars here (see guard.run_isolated). probe=True also parses sheets that
    match no contract sheet (from their first filled row), to test robustness on foreign files.
    scanned: guard.scan_workbook(path) when already done; early: a sheet's parse already begun from a guessed
    header row (etl/begin.py), used when the guess proves right.
    """
    import fastexcel

    p = Path(path)
    file = p.name
    problems: list[Problem] = []
    scans, sizes, rejected = scanned if scanned is not None else guard.scan_workbook(p)
    if rejected:
        return [], rejected
    try:
        reader = fastexcel.read_excel(p)
        sheet_names = reader.sheet_names
    except Exception:  # noqa: BLE001 - calamine's errors are many; the message to the user is one
        return [], [_p(file, f"{file} is beschadigd of niet volledig; sla het opnieuw op als .xlsx en lever het opnieuw aan.")]
    # the biggest sheet is parsed first: its parse (calamine, without the GIL) then overlaps the child's import of
    # pyarrow (etl/begin.py), which every sheet's conversion waits for; results keep the workbook's order
    slots: dict[int, tuple[RawTable | None, bool]] = {}
    try:
        for i in sorted(range(len(sheet_names)), key=lambda i: -sizes.get(sheet_names[i], 0)):
            slots[i] = _parse_sheet(reader, p, sheet_names[i], scans.get(sheet_names[i]), probe, early,
                                    sizes.get(sheet_names[i], 0))
    finally:
        if early is not None:
            early.drop()  # a wrong guess: the begun parse is not used
    tables = [t for i in sorted(slots) if (t := slots[i][0]) is not None]
    unknown = [sheet_names[i] for i in sorted(slots) if slots[i][1]]
    problems.extend(_unknown_problems(file, unknown, any(t.model for t in tables)))
    return tables, problems


def _parse_sheet(reader: Any, p: Path, name: str, scan: guard.SheetScan | None, probe: bool,
                 early: EarlyParse | None = None, size: int = 0) -> tuple[RawTable | None, bool]:
    """(the sheet's table or None, whether the sheet is unknown) for one sheet of parse_workbook."""
    file = p.name
    unknown = False
    try:
        head = scan.head if scan is not None and scan.head is not None else _head_from_calamine(reader, name)
        model, adapter, adapter_row = _classify(name, head)
        unknown = model is None
        if unknown:
            if not probe:
                return None, True
            first = min(head) if head else None
            _import_pyarrow_beside()
            if early is not None:
                early.take(name, -1)  # never two sheets in calamine at once
            sheet = reader.load_sheet(name, header_row=None if first is None else first - 1)
            t = RawTable(name=name, model=None, adapter=None, header_row=first)
            import pyarrow  # noqa: F401 - see below

            t.data = _ipc(sheet.to_arrow_with_errors()[0])
            return t, True
        t = RawTable(name=name, model=model.sheet, adapter=adapter, header_row=None)
        if adapter:
            t.header_row = adapter_row
        else:
            t.header_row, t.matched, _ = detect_header(head, model)
        if t.header_row is None:
            if head:
                t.problems.append(_no_header(file, model, name))
            else:
                t.problems.append(_p(file, f"Tabblad '{name}' is leeg en wordt overgeslagen.", sheet=model.sheet,
                                     severity="warning"))
            return t, False
        t.headers = {c: str(v) for c, v in head.get(t.header_row, {}).items()}
        t.merges = scan.merges if scan is not None else []
        if scan is not None and size >= guard.STREAM_BYTES and _stream(p, scan, t, model):
            return t, False
        _import_pyarrow_beside()
        # whitespace-only cells as null: the empty-row filter then needs no text scan of every cell
        sheet = early.take(name, t.header_row) if early is not None else None
        if sheet is None:
            sheet = reader.load_sheet(name, header_row=t.header_row - 1, whitespace_as_null=True)
        t.blank_null = True
        import pyarrow  # noqa: F401 - waits for an import begun beside the parse (etl/begin.py) to finish

        batch, errs = sheet.to_arrow_with_errors()
        t.abs_cols = [c.absolute_index for c in sheet.selected_columns]  # cached; available_columns() re-infers
        t.data = _ipc(batch)
        if errs is not None:  # fastexcel's position: (data row index + 1, index among the selected columns)
            t.errors = [(e.position[0] + t.header_row, t.abs_cols[e.position[1]], e.detail) for e in errs.errors]
        text_cols = {c.absolute_index for c in sheet.selected_columns if c.dtype == "string"}
        if scan is not None:
            t.numbers = _number_cells(p, scan.member, text_cols, t.matched, model, t.header_row)
        elif is_ods(p):
            t.numbers = _number_cells(p, None, text_cols, t.matched, model, t.header_row, sheet=name)
        return t, False
    except Exception:  # noqa: BLE001 - one broken sheet must not hide the others
        t = RawTable(name=name, model=None, adapter=None, header_row=None)
        t.problems.append(_p(file, f"Tabblad '{name}' {guard.UNREADABLE}", sheet=name))
        return t, unknown


def _import_pyarrow_beside() -> None:
    """Start importing pyarrow on a thread (once, in the reader child) while calamine parses a sheet."""
    global PYARROW_BESIDE
    if PYARROW_BESIDE and "pyarrow" not in sys.modules:
        PYARROW_BESIDE = False
        threading.Thread(target=importlib.import_module, args=("pyarrow",), daemon=True).start()


def _number_cells(path: Path, member: str | None, text_cols: set[int], matched: dict[int, str], model: SheetView,
                  header_row: int, sheet: str | None = None) -> dict[int, list[int]]:
    """For numeric contract columns read as text (numbers mixed with text): where the numbers are.

    member: the xlsx worksheet part; None for an ODS workbook, whose sheet is found by name in content.xml.
    """
    kinds = {c.name: c.kind for c in columns(model)}
    cols = {c for c in text_cols if kinds.get(matched.get(c, "")) in NUMBER_CELL_KINDS}
    if not cols:
        return {}
    with zipfile.ZipFile(path) as zf:
        if member is None:
            from etl import ods

            found = ods.number_cells(zf, sheet or "", cols, header_row)
        else:
            found = guard.number_cells(zf, member, cols, header_row)
    return {c: rows for c, rows in (found or {}).items() if rows}


def is_ods(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            return "content.xml" in zf.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


_STREAMED = itertools.count()


def _stream(p: Path, scan: guard.SheetScan, t: RawTable, model: SheetView) -> bool:
    """Read a big sheet with etl/xlsx_stream (bounded memory) into an Arrow IPC file beside the child's result;
    False when the sheet holds something that reader does not reproduce exactly (calamine reads it then)."""
    from etl import xlsx_stream

    out_path = guard.side_file(f"{next(_STREAMED)}.arrow")
    try:
        with zipfile.ZipFile(p) as zf:
            sst, styles = xlsx_stream.find_parts(zf)
        out = xlsx_stream.read_sheet(p, scan.member, sst, styles, header_row=t.header_row - 1, out_path=out_path,
                                     isolated=guard.CHILD_OUT is not None)
    except xlsx_stream.Unsupported:  # read_sheet removed its output file
        return False
    t.blank_null = True
    t.abs_cols = list(out.abs_cols)
    t.data = out_path  # the parent reads it with polars and removes it (etl/read.py)
    t.errors = [(row + t.header_row, t.abs_cols[col], detail) for row, col, detail in out.errors]
    text_cols = {a for a, f in zip(t.abs_cols, out.schema, strict=True) if str(f.type) in ("string", "large_string")}
    t.numbers = _number_cells(p, scan.member, text_cols, t.matched, model, t.header_row)
    return True


def _ipc(batch: Any) -> bytes:
    """The record batch as Arrow IPC stream bytes: polars reads them without pyarrow, which the parent then never
    imports, and every field is nullable (fastexcel marks all-null columns non-nullable)."""
    import pyarrow as pa

    if not all(f.nullable for f in batch.schema):
        batch = pa.RecordBatch.from_arrays(batch.columns, schema=pa.schema([f.with_nullable(True) for f in batch.schema]))
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, batch.schema) as writer:
        writer.write_batch(batch)
    return sink.getvalue().to_pybytes()


def _unknown_problems(file: str, unknown: list[str], any_known: bool) -> list[Problem]:
    if unknown:
        from etl.template import LISTS, UITLEG  # imported only here: it pulls in xlsxwriter

        unknown = [n for n in unknown if fold(n) not in (fold(UITLEG), fold(LISTS))]
    out = [_p(file, f"Tabblad '{n}' is niet herkend en wordt overgeslagen. Bekende tabbladen: {KNOWN_SHEETS}.",
              sheet=n, severity="warning") for n in unknown]
    if not any_known:
        out.append(_p(file, f"In {file} is geen enkel tabblad herkend. Geef de tabbladen de namen uit het sjabloon: "
                            f"{KNOWN_SHEETS}."))
    return out


def _no_header(file: str, model: SheetView, name: str) -> Problem:
    req = ", ".join(c.header for c in columns(model) if c.required)
    return _p(file, f"Tabblad '{name}': geen kopregel gevonden in de eerste {guard.HEAD_ROWS} rijen. Zet boven de "
                    f"gegevens een rij met de kolomnamen uit het sjabloon, in elk geval: {req}.", sheet=model.sheet)


# --- csv ----------------------------------------------------------------------------------------------------
