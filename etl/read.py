"""Reading delivery files (xlsx, xlsm, ods, csv; Forms and Mailchimp exports) into sheets mapped to the contract.

The native half needs no polars: etl/begin.py (checks, starting the isolated child) and etl/parse.py (what the child
runs: header detection, the workbook parse); this module turns the parsed tables, and CSV files, into polars frames.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import logging
import re
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from etl import adapters, guard
from etl.begin import CSV_EXT, NOT_A_SPREADSHEET, WORKBOOK_EXT, Parsing, _p, begin
from etl.contract_view import by_sheet, columns, sheets
from etl.parse import (
    KNOWN_SHEETS,
    NUMERIC_KINDS,
    RawTable,
    _classify,
    _no_header,
    clean_sheet_name,
    detect_header,
    parse_workbook,
)
from etl.problems import Problem, RawSheet, ReadResult
from etl.validate import NUMBER_ROWS

# why a read failed beyond what the user is told ("kon niet worden gelezen"): the child's timeout, signal or error,
# for logs and test output; silent unless the application or pytest attaches a handler
log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

if TYPE_CHECKING:
    from etl.contract_view import SheetView

# re-exported: callers and tests know these names from here
__all__ = ["CSV_EXT", "KNOWN_SHEETS", "NOT_A_SPREADSHEET", "WORKBOOK_EXT", "PendingRead", "clean_sheet_name",
           "decode_text", "parse_in_child", "parse_workbook", "read_file", "sniff_delimiter", "start_read"]

TOTAL_LABELS = {"totaal", "total", "subtotaal", "subtotal", "eindtotaal", "grandtotal", "totalen"}
MAX_CELL_ERRORS = 10  # error cells reported one by one per sheet; more are summarised
# a streamed sheet with more data rows than this is read, validated and written this many rows at a time
# (SheetChunks): a 1M-row sheet then never sits whole in the loader's memory; tests set it small
CHUNK_ROWS = 131_072
# sheets always read whole: Deal, and those other sheets refer to (their keys resolve the references)
_REFERRED = {"Deal"} | {c.ref.split(".")[0] for m in sheets() for c in columns(m) if c.ref}


# --- public API ---------------------------------------------------------------------------------------------


def read_file(path: Path | str, isolate: bool = True) -> ReadResult:
    """Every sheet of a delivery file mapped to its contract model, with problems in Dutch; never raises.

    isolate=True parses workbooks in a forked child with memory and time limits (guard.Isolated);
    isolate=False parses in-process, for callers that already isolate.
    """
    return PendingRead(Path(path), isolate).result()


class PendingRead:
    """A delivery file being read: a workbook's native parse runs in its child until .result() is asked for.

    The parent is free meanwhile (the loader prepares the database then); .result() never raises.
    begun: what etl.begin.begin already returned for this file (the CLI starts the first parse early).
    """

    def __init__(self, path: Path, isolate: bool = True, begun: ReadResult | Parsing | None = None) -> None:
        self.path = path
        self._parsing: Parsing | None = None
        self._result: ReadResult | None = None
        started = begun
        if started is None:
            try:
                started = _read(path, isolate)
            except Exception:  # noqa: BLE001 - a delivery must never crash the loader
                log.warning("%s: reading failed", path.name, exc_info=True)
                started = self._unreadable()
        if isinstance(started, ReadResult):
            self._result = started
        else:
            self._parsing = started

    def _unreadable(self) -> ReadResult:
        return ReadResult([], [_p(self.path.name, f"{self.path.name} {guard.UNREADABLE}")])

    def result(self) -> ReadResult:
        if self._result is None and self._parsing is not None:
            parsing, self._parsing = self._parsing, None
            try:
                try:
                    tables, problems = parsing.tables()
                except guard.ChildFailed as e:
                    log.warning("%s: the reader child failed: %s", self.path.name, e.reason[-1000:])
                    self._result = self._unreadable()
                else:
                    self._result = _workbook_result(self.path, tables, problems, parsing.sha256)
            except Exception:  # noqa: BLE001 - a delivery must never crash the loader
                log.warning("%s: reading failed", self.path.name, exc_info=True)
                self._result = self._unreadable()
        return self._result if self._result is not None else self._unreadable()


def start_read(path: Path | str, begun: ReadResult | Parsing | None = None) -> PendingRead:
    """Start reading a delivery file (the workbook parse runs in an isolated child); .result() gives the ReadResult."""
    return PendingRead(Path(path), begun=begun)


def parse_in_child(path: Path | str) -> ReadResult:
    """read_file with the native parse in a child process (memory ~1.5 GB above the parent, 30 s)."""
    return read_file(path, isolate=True)


# --- internals ----------------------------------------------------------------------------------------------


def _read(path: Path, isolate: bool) -> ReadResult | Parsing:
    begun = begin(path, isolate)
    return _read_csv(path) if begun is None else begun


def _workbook_result(path: Path, tables: list[RawTable], problems: list[Problem], sha: str) -> ReadResult:
    """The parsed tables of a workbook -> its RawSheets (polars work, in the parent)."""
    file = path.name
    sheets: list[RawSheet] = []
    try:
        for t in tables:
            problems.extend(t.problems)
            if t.data is None or t.model is None:
                continue
            rows = _rows_in_slices(t)
            if rows:
                raw, probs = _finish_in_slices(t, file, t.name, sha, rows)
                t.data = None  # the RawSheet's chunks own the file now
                problems.extend(probs)
                sheets.append(raw)
                continue
            df = _frame(t.data)
            t.data = None  # the frame is the only copy from here on (a 1M-row sheet is ~50 MB)
            raw, probs = _finish(t, df, file, t.name, sha)
            del df
            problems.extend(probs)
            if raw is not None:
                sheets.append(raw)
    finally:
        for t in tables:  # a streamed sheet's IPC file (etl/parse.py _stream) is never left behind
            if isinstance(t.data, str):
                Path(t.data).unlink(missing_ok=True)
    return ReadResult(sheets, problems)


def _frame(data: pl.DataFrame | bytes | str) -> pl.DataFrame:
    """A parsed sheet's rows: a frame (CSV), Arrow IPC stream bytes, or the path of an IPC file (a big sheet read by
    etl/xlsx_stream), which is removed once read."""
    if isinstance(data, pl.DataFrame):
        return data
    if isinstance(data, str):
        try:
            return pl.read_ipc(data)
        finally:
            Path(data).unlink(missing_ok=True)
    return pl.read_ipc_stream(io.BytesIO(data))




# --- csv ----------------------------------------------------------------------------------------------------


def decode_text(raw: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252, else latin-1."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    elif enc := guard.utf16_without_bom(raw[:4096]):
        return raw.decode(enc, errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # cp1252 leaves five bytes undefined; one stray byte must not turn every euro sign into latin-1 junk
    return raw.decode("cp1252", errors="stuurhut-c1")


def _c1_controls(e: UnicodeDecodeError) -> tuple[str, int]:
    """Decode bytes cp1252 leaves undefined as the C1 control characters of the same value (as browsers do)."""
    return e.object[e.start:e.end].decode("latin-1"), e.end


codecs.register_error("stuurhut-c1", _c1_controls)


def sniff_delimiter(lines: list[str]) -> str:
    """';', ',' or tab: the one that splits the most lines into the same number (> 1) of fields."""
    best, best_score = ";", -1
    for d in (";", ",", "\t"):
        counts = [len(r) for r in csv.reader(lines, delimiter=d) if r]
        wide = [c for c in counts if c > 1]
        if not wide:
            continue
        mode = max(set(wide), key=lambda c: (wide.count(c), c))
        score = wide.count(mode) * 1000 + mode
        if score > best_score:
            best, best_score = d, score
    return best


def _read_csv(path: Path) -> ReadResult:
    file = path.name
    raw = path.read_bytes()
    sha = hashlib.sha256(raw).hexdigest()
    text = decode_text(raw)
    if "\x00" in text[:4096]:
        return ReadResult([], [_p(file, f"{file} {NOT_A_SPREADSHEET}.")])
    lines = [ln for ln in text[:200_000].splitlines()[: guard.HEAD_ROWS * 2] if ln.strip(" \t;,\ufeff")]
    if not lines:
        return ReadResult([], [_p(file, f"{file} is leeg; lever een ingevuld bestand aan.")])
    delim = sniff_delimiter(lines)
    width = max(len(r) for r in csv.reader(lines, delimiter=delim))
    if width > guard.MAX_COLS:  # Excel's own limit; wider is not a sheet anyone filled in, and costs memory
        return ReadResult([], [_p(file, f"{file} heeft {width} kolommen, meer dan een werkblad kan hebben "
                                        f"({guard.MAX_COLS}); lever alleen de kolommen uit het sjabloon aan.")])
    df = pl.read_csv(
        io.BytesIO(text.encode("utf-8")), separator=delim, has_header=False, quote_char='"',
        schema={f"column_{i + 1}": pl.String for i in range(width)}, missing_columns="insert",
        truncate_ragged_lines=True, raise_if_empty=False,
    )
    df.columns = [f"c{i}" for i in range(width)]
    head: dict[int, dict[int, Any]] = {}
    for i, row in enumerate(df.head(guard.HEAD_ROWS).rows()):
        cells = {j: v for j, v in enumerate(row) if v is not None and v.strip() != ""}
        if cells:
            head[i + 1] = cells
    model, adapter, adapter_row = _classify(path.stem, head)
    if model is None:
        return ReadResult([], [_p(file, f"{file} is niet herkend: de bestandsnaam noemt geen bekend tabblad en de "
                                        f"kolommen horen niet bij een bekende export. Noem het bestand naar het tabblad, "
                                        f"bijvoorbeeld begroting.csv. Bekende tabbladen: {KNOWN_SHEETS}.")])
    t = RawTable(name=path.stem, model=model.sheet, adapter=adapter, header_row=adapter_row)
    if not adapter:
        t.header_row, t.matched, _ = detect_header(head, model)
    if t.header_row is None:
        return ReadResult([], [_no_header(file, model, path.stem)])
    t.headers = {c: str(v) for c, v in head.get(t.header_row, {}).items()}
    t.abs_cols = list(range(width))
    data = df.slice(t.header_row)
    raw_sheet, problems = _finish(t, data, file, None, sha)
    return ReadResult([raw_sheet] if raw_sheet is not None else [], problems)


# --- shared last step ---------------------------------------------------------------------------------------


def _excel_error(detail: str) -> str:
    m = re.search(r"Error\((\w+)\)", detail)
    names = {"Div0": "#DEEL/0!", "NA": "#N/B", "Value": "#WAARDE!", "Ref": "#VERW!", "Name": "#NAAM?",
             "Num": "#GETAL!", "Null": "#LEEG!", "GettingData": "#GEGEVENS_OPHALEN"}
    return names.get(m.group(1), m.group(1)) if m else detail


def _drop_empty_and_total_rows(df: pl.DataFrame, value_cols: list[str], blank_null: bool = False) -> pl.DataFrame:
    """Rows with no value but whitespace go, and a row whose first value is a total label ("Totaal", "Sub-total").

    The exact total test casts every column to text; it only runs on the few rows whose first text value holds
    the letters t, o, t (every total label does), so a 1M-row sheet is not copied as text to find none.
    blank_null: whitespace-only cells are null already (workbooks): text needs no stripping to test emptiness.
    Multi-column expressions throughout: a when/then per column made a 10,000-column CSV take 11 s and 760 MB.
    """
    schema = df.schema  # built once: df.schema per column is quadratic on a 10,000-column sheet
    texts = [c for c in value_cols if schema[c] == pl.String]
    text_set = set(texts)
    others = [c for c in value_cols if c not in text_set]
    parts = []
    if texts:
        parts.append(pl.col(texts) if blank_null else pl.col(texts).str.strip_chars().replace("", None))
    if others:  # a number or date first is never a total label: "#" only marks the cell as filled
        parts.append(pl.col(others).is_not_null().cast(pl.UInt8).replace(0, None).cast(pl.String).replace("1", "#"))
    vals = df.select(parts).select(value_cols)
    keep = vals.select(pl.any_horizontal(pl.all().is_not_null())).to_series()
    if texts:
        first = vals.select(pl.coalesce(pl.all())).to_series()
        maybe = first.str.contains(r"(?i)t[^a-z0-9]*o[^a-z0-9]*t").fill_null(False)
        if maybe.any():
            label = first.filter(maybe).str.strip_chars().str.to_lowercase().str.replace_all(r"[^a-z0-9]", "")
            total = label.str.replace(r"\d+$", "").is_in(list(TOTAL_LABELS)).fill_null(False)
            keep = keep & ~df["__row"].is_in(df["__row"].filter(maybe).filter(total))
    return df if keep.all() else df.filter(keep)  # usually nothing goes: no copy of a big sheet then


def _finish(t: RawTable, df: pl.DataFrame, file: str, source_sheet: str | None, sha: str) -> tuple[RawSheet | None, list[Problem]]:
    """Positional frame after the header -> RawSheet: row numbers, merges, empty/total rows, header mapping."""
    model = by_sheet(t.model or "")
    sheet = model.sheet
    header_row = t.header_row or 0
    df = _numbered(t, df, 0)
    value_cols = [c for c in df.columns if c != "__row"]

    # merged ranges: the top-left value applies to every row of a vertical merge in a label column
    kinds = {c.name: c.kind for c in columns(model)}
    if t.merges and df.height:
        fills: dict[str, pl.Series] = {}
        for r1, c1, r2, _c2 in t.merges:
            name = f"c{c1}"
            f = t.matched.get(c1)
            if r2 <= r1 or f is None or name not in df.columns or r2 <= header_row or kinds.get(f) in NUMERIC_KINDS:
                continue
            lo, hi = r1 - header_row - 1, min(r2 - header_row, df.height)
            if lo < 0 or lo >= df.height:
                continue
            idx = fills.setdefault(name, pl.int_range(0, df.height, dtype=pl.Int64, eager=True))
            idx.scatter(pl.int_range(lo, hi, dtype=pl.Int64, eager=True), lo)
        if fills:
            df = df.with_columns([pl.col(n).gather(idx) for n, idx in fills.items()])

    # entirely empty rows and closing total rows go
    # (one multi-column expression: a when/then per column made a 10,000-column CSV take 11 s and 760 MB)
    if value_cols:
        df = _drop_empty_and_total_rows(df, value_cols, t.blank_null)

    problems = _cell_problems(t, model, file)
    if t.adapter:
        headers = [t.headers.get(int(c[1:])) for c in value_cols]
        out, extra, probs = adapters.apply(t.adapter, df.select(value_cols + ["__row"]), headers, file=file, sheet=sheet)
        problems.extend(probs)
        return RawSheet(file=file, source_sheet=source_sheet, model=model, frame=out, sha256=sha,
                        header_row=header_row, extra=extra), problems
    problems += _header_problems(t, model, file)
    single = _single_columns(t, model, df.columns)
    frame = df.select(_selected(single))
    return RawSheet(file=file, source_sheet=source_sheet, model=model, frame=frame, sha256=sha,
                    header_row=header_row, extra=_number_extra(t, single)), problems


def _numbered(t: RawTable, df: pl.DataFrame, start: int) -> pl.DataFrame:
    """Columns named by their absolute column ("c3") and "__row", the Excel row; start: the frame's first data row
    (0-based, after the header)."""
    first = (t.header_row or 0) + 1 + start
    df = df.rename({old: f"c{a}" for old, a in zip(df.columns, t.abs_cols, strict=True)})
    return df.with_columns(pl.int_range(first, first + df.height, dtype=pl.Int64).alias("__row"))


def _cell_problems(t: RawTable, model: SheetView, file: str) -> list[Problem]:
    """Excel error cells: an error in a contract column rejects the delivery, one elsewhere is a note."""
    sheet = model.sheet
    problems: list[Problem] = []
    # an error cell in a contract column rejects the delivery (it must not pass as "empty", e.g. "not yet known");
    # one in a column the contract does not use is only a note
    for row, col, detail in t.errors[:MAX_CELL_ERRORS]:
        f = t.matched.get(col)
        header = next((c.header for c in columns(model) if c.name == f), t.headers.get(col))
        if f is not None:
            problems.append(_p(file, f"Cel {guard.col_letters(col)}{row} bevat een Excel-fout ({_excel_error(detail)}). "
                                     "Herstel de formule of vul de waarde in.", sheet=sheet, row=row, column=header))
        else:
            problems.append(_p(file, f"Cel {guard.col_letters(col)}{row} bevat een Excel-fout ({_excel_error(detail)}); "
                                     "de kolom wordt niet gebruikt.", sheet=sheet, row=row, column=header, severity="warning"))
    if len(t.errors) > MAX_CELL_ERRORS:
        used = any(t.matched.get(col) is not None for _, col, _ in t.errors[MAX_CELL_ERRORS:])
        problems.append(_p(file, f"Nog {len(t.errors) - MAX_CELL_ERRORS} cellen met een Excel-fout in tabblad "
                                 f"'{t.name}'.", sheet=sheet, severity="error" if used else "warning"))
    return problems


def _header_problems(t: RawTable, model: SheetView, file: str) -> list[Problem]:
    """A contract column found twice or a required one missing in the header row; unknown columns (a note)."""
    sheet = model.sheet
    header_row = t.header_row or 0
    problems: list[Problem] = []
    by_field = _columns_by_field(t)
    cols = columns(model)
    for c in cols:
        found = by_field.get(c.name, [])
        if len(found) > 1:
            where = ", ".join(f"'{t.headers.get(x)}' (kolom {guard.col_letters(x)})" for x in found)
            problems.append(_p(file, f"Tabblad '{t.name}': de kolom {c.header} komt meer dan eens voor in de kopregel "
                                     f"(rij {header_row}): {where}. Houd er één over.", sheet=sheet, row=header_row,
                               column=c.header))
        elif not found and c.required:
            problems.append(_p(file, f"Tabblad '{t.name}': de verplichte kolom {c.header} ontbreekt in de kopregel "
                                     f"(rij {header_row}). Voeg een kolom '{c.header}' toe.", sheet=sheet,
                               row=header_row, column=c.header))
    unmatched = [t.headers[c] for c in sorted(t.headers) if c not in t.matched and str(t.headers[c]).strip()]
    if unmatched:
        problems.append(_p(file, f"Tabblad '{t.name}': kolommen niet herkend en overgeslagen: "
                                 f"{', '.join(unmatched)}. Bekende kolommen: {', '.join(c.header for c in cols)}.",
                           sheet=sheet, row=header_row, severity="warning"))
    return problems


def _columns_by_field(t: RawTable) -> dict[str, list[int]]:
    """Contract field -> the absolute columns whose header matched it."""
    by_field: dict[str, list[int]] = {}
    for col, f in t.matched.items():
        by_field.setdefault(f, []).append(col)
    return by_field


def _single_columns(t: RawTable, model: SheetView, present: list[str]) -> dict[str, int]:
    """Contract field -> absolute column, for the fields found exactly once (a doubled one is a problem above)."""
    by_field = _columns_by_field(t)
    return {c.name: by_field[c.name][0] for c in columns(model) if len(by_field.get(c.name, [])) == 1
            and f"c{by_field[c.name][0]}" in present}


def _selected(single: dict[str, int]) -> list[pl.Expr]:
    return [*(pl.col(f"c{a}").alias(name) for name, a in single.items()), pl.col("__row")]


def _number_extra(t: RawTable, single: dict[str, int]) -> dict:
    numbers = {name: t.numbers[a] for name, a in single.items() if t.numbers.get(a)}
    return {NUMBER_ROWS: numbers} if numbers else {}


# --- a big sheet in slices ----------------------------------------------------------------------------------


def _rows_in_slices(t: RawTable) -> int:
    """The rows of the reader's IPC file when the sheet is read in slices, else 0: a streamed sheet (its rows in an
    IPC file) of more than CHUNK_ROWS rows that nothing else refers to, without merges or an adapter."""
    if not isinstance(t.data, str) or t.adapter or t.merges or by_sheet(t.model or "").sheet in _REFERRED:
        return 0
    rows = _ipc_rows(t.data)
    return rows if rows > CHUNK_ROWS else 0


def _ipc_rows(path: str) -> int:
    return pl.scan_ipc(path).select(pl.len()).collect().item()


def _finish_in_slices(t: RawTable, file: str, source_sheet: str | None, sha: str,
                      rows: int) -> tuple[RawSheet, list[Problem]]:
    """_finish for a big sheet whose rows stay in the reader's IPC file: the same problems and row numbers, the rows
    taken CHUNK_ROWS at a time by RawSheet.chunks (etl/load.py validates and writes them so)."""
    model = by_sheet(t.model or "")
    problems = _cell_problems(t, model, file) + _header_problems(t, model, file)
    single = _single_columns(t, model, [f"c{a}" for a in t.abs_cols])
    chunks = SheetChunks(t.data, t, single, total=rows)
    empty = pl.DataFrame(schema={name: dt for name, dt in chunks.schema.items()})
    return RawSheet(file=file, source_sheet=source_sheet, model=model, frame=empty, sha256=sha,
                    header_row=t.header_row or 0, extra=_number_extra(t, single), chunks=chunks), problems


class SheetChunks:
    """A big sheet's data rows, read from the reader's IPC file `step` rows at a time, as _finish would give them
    (row numbers, no empty or total rows, contract field names): the whole sheet is never in memory at once.

    close() removes the file; so does garbage collection.
    """

    def __init__(self, path: str, t: RawTable, single: dict[str, int], step: int | None = None,
                 total: int | None = None) -> None:
        """total: the IPC file's rows, when the caller counted them already."""
        self.path = path
        self.step = step or CHUNK_ROWS
        self._t = t
        self._single = single
        self._total = _ipc_rows(path) if total is None else total
        self._closed = weakref.finalize(self, guard.unlink_quietly, path)
        self._height: int | None = None
        self.schema: dict[str, pl.DataType] = dict(self._slice(0, 0).schema)

    @property
    def height(self) -> int:
        """The rows kept: known once the rows were read through (validation does), else counted here."""
        if self._height is None:
            for _ in self.frames():
                pass
        return self._height or 0

    def has_rows(self) -> bool:
        """Whether any row is kept (reads up to the first slice that keeps one, usually the first)."""
        return self._height > 0 if self._height is not None else next(self.frames(), None) is not None

    def _slice(self, start: int, n: int) -> pl.DataFrame:
        df = _numbered(self._t, pl.scan_ipc(self.path).slice(start, n).collect(), start)
        value_cols = [c for c in df.columns if c != "__row"]
        if value_cols and df.height:
            df = _drop_empty_and_total_rows(df, value_cols, self._t.blank_null)
        return df.select(_selected(self._single))

    def frames(self) -> Iterator[pl.DataFrame]:
        """The rows, in order, a slice at a time (slices left without rows are skipped)."""
        kept = 0
        for start in range(0, self._total, self.step):
            df = self._slice(start, self.step)
            if df.height:
                kept += df.height
                yield df
        self._height = kept

    def frame(self) -> pl.DataFrame:
        """All rows in one frame (for a caller that wants the whole sheet after all)."""
        parts = list(self.frames())
        return pl.concat(parts) if parts else pl.DataFrame(schema=self.schema)

    def close(self) -> None:
        self._closed()
