"""Reading delivery files (xlsx, xlsm, ods, csv; Forms and Mailchimp exports) into sheets mapped to the contract."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import logging
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from etl import adapters, guard
from etl.contract import SHEETS, Sheet, columns, fold, sheet_for
from etl.problems import Problem, RawSheet, ReadResult
from etl.validate import NUMBER_ROWS

WORKBOOK_EXT = {".xlsx", ".xlsm", ".ods"}
CSV_EXT = {".csv"}
TOTAL_LABELS = {"totaal", "total", "subtotaal", "subtotal", "eindtotaal", "grandtotal", "totalen"}
NUMERIC_KINDS = {"money", "count", "number", "percent", "score"}  # never filled down over a merge: it would double count
NUMBER_CELL_KINDS = NUMERIC_KINDS | {"year"}  # kinds whose number cells must stay numbers in a mixed column
MAX_CELL_ERRORS = 10  # error cells reported one by one per sheet; more are summarised
# fastexcel logs every mixed-type column ("falling back to string") as a warning; that is normal here
for _name in ("fastexcel", "calamine"):
    logging.getLogger(_name).setLevel(logging.ERROR)

KNOWN_SHEETS = ", ".join(m.sheet for m in SHEETS)
NOT_A_SPREADSHEET = "is geen Excel-, ODS- of CSV-bestand; sla het op als .xlsx en lever het opnieuw aan"


# --- public API ---------------------------------------------------------------------------------------------


def read_file(path: Path | str, isolate: bool = True) -> ReadResult:
    """Every sheet of a delivery file mapped to its contract model, with problems in Dutch; never raises.

    isolate=True parses workbooks in a forked child with memory and time limits (guard.run_isolated);
    isolate=False parses in-process, for callers that already isolate.
    """
    return PendingRead(Path(path), isolate).result()


class PendingRead:
    """A delivery file being read: a workbook's native parse runs in its child until .result() is asked for.

    The parent is free meanwhile (the loader prepares the database then); .result() never raises.
    """

    def __init__(self, path: Path, isolate: bool = True) -> None:
        self.path = path
        self._child: tuple[guard.Isolated, str] | None = None
        self._result: ReadResult | None = None
        try:
            started = _read(path, isolate)
        except Exception:  # noqa: BLE001 - a delivery must never crash the loader
            started = self._unreadable()
        if isinstance(started, ReadResult):
            self._result = started
        else:
            self._child = started

    def _unreadable(self) -> ReadResult:
        return ReadResult([], [_p(self.path.name, f"{self.path.name} {guard.UNREADABLE}")])

    def result(self) -> ReadResult:
        if self._result is None and self._child is not None:
            child, self._child = self._child, None
            try:
                try:
                    tables, problems = child[0].result()
                except guard.ChildFailed:
                    self._result = self._unreadable()
                else:
                    self._result = _workbook_result(self.path, tables, problems, child[1])
            except Exception:  # noqa: BLE001 - a delivery must never crash the loader
                self._result = self._unreadable()
        return self._result if self._result is not None else self._unreadable()


def start_read(path: Path | str) -> PendingRead:
    """Start reading a delivery file (the workbook parse runs in an isolated child); .result() gives the ReadResult."""
    return PendingRead(Path(path))


def parse_in_child(path: Path | str) -> ReadResult:
    """read_file with the native parse in a child process (memory ~1.5 GB above the parent, 30 s)."""
    return read_file(path, isolate=True)


def clean_sheet_name(name: str) -> type[Sheet] | None:
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


def header_keys(model: type[Sheet]) -> dict[str, str]:
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


def _p(file: str, message: str, sheet: str | None = None, row: int | None = None, column: str | None = None,
       severity: str = "error") -> Problem:
    return Problem(file=file, sheet=sheet, row=row, column=column, message=message, severity=severity)


@dataclass
class RawTable:
    """One sheet after the (possibly isolated) native parse; picklable, no polars objects."""

    name: str
    model: str | None  # Dutch contract sheet name
    adapter: str | None
    header_row: int | None  # Excel row of the header
    headers: dict[int, str] = field(default_factory=dict)  # absolute 0-based column -> header text
    abs_cols: list[int] = field(default_factory=list)  # absolute column of each column of `data`
    data: Any = None  # Arrow IPC stream bytes (workbooks) or polars DataFrame (csv), rows after the header
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    errors: list[tuple[int, int, str]] = field(default_factory=list)  # (Excel row, abs column, detail)
    numbers: dict[int, list[int]] = field(default_factory=dict)  # abs column read as text -> Excel rows of number cells
    matched: dict[int, str] = field(default_factory=dict)  # absolute column -> field name
    blank_null: bool = False  # whitespace-only cells already read as null (fastexcel's whitespace_as_null)
    problems: list[Problem] = field(default_factory=list)


def _read(path: Path, isolate: bool) -> ReadResult | tuple[guard.Isolated, str]:
    file = path.name
    if not path.is_file():
        return ReadResult([], [_p(file, f"{file} bestaat niet of is geen bestand.")])
    size = path.stat().st_size
    if size > guard.MAX_FILE_BYTES:
        return ReadResult([], [_p(file, f"{file} is te groot ({size // 1024**2} MB, maximaal "
                                        f"{guard.MAX_FILE_BYTES // 1024**2} MB); lever de gegevens in kleinere bestanden aan.")])
    ext = path.suffix.lower()
    kind = guard.sniff(path)
    if kind == "empty":
        return ReadResult([], [_p(file, f"{file} is leeg; lever een ingevuld bestand aan.")])
    if kind == "ole2":
        if ext == ".xls":
            return ReadResult([], [_p(file, f"{file} is in het oude Excel 97-2003-formaat (.xls); open het in Excel en "
                                            "sla het op als .xlsx.")])
        return ReadResult([], [_p(file, f"{file} is beveiligd met een wachtwoord (of versleuteld); sla het op zonder "
                                        "wachtwoord en lever het opnieuw aan.")])
    if ext in CSV_EXT and kind == "text":
        return _read_csv(path)
    if ext in WORKBOOK_EXT and kind == "zip":
        return _read_workbook(path, isolate)
    if kind == "pdf":
        return ReadResult([], [_p(file, f"{file} is een PDF en {NOT_A_SPREADSHEET}.")])
    return ReadResult([], [_p(file, f"{file} {NOT_A_SPREADSHEET}.")])


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


def _read_workbook(path: Path, isolate: bool) -> ReadResult | tuple[guard.Isolated, str]:
    file = path.name
    try:
        with zipfile.ZipFile(path) as zf:
            problems = guard.check_archive(zf, file)
            if problems:
                return ReadResult([], problems)
            names = set(zf.namelist())
            is_ods = "content.xml" in names or path.suffix.lower() == ".ods"
            if is_ods:
                problems = guard.check_ods(zf, file)
            elif not any(n.replace("\\", "/").lower().endswith("workbook.xml") for n in names):
                problems = [_p(file, f"{file} {NOT_A_SPREADSHEET}.")]
            if problems:
                return ReadResult([], problems)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return ReadResult([], [_p(file, f"{file} is beschadigd of niet volledig (bijvoorbeeld afgebroken bij het "
                                        "opslaan of uploaden); sla het opnieuw op als .xlsx en lever het opnieuw aan.")])
    if isolate:
        import fastexcel  # noqa: F401 - imported once here rather than in every child

        child = guard.Isolated(parse_workbook, str(path), preload=("pyarrow",))
        return child, _sha256(path)  # hashed while the child parses
    sha = _sha256(path)
    try:
        tables, problems = parse_workbook(str(path))
    except guard.ChildFailed:
        return ReadResult([], [_p(file, f"{file} {guard.UNREADABLE}")])
    return _workbook_result(path, tables, problems, sha)


def _workbook_result(path: Path, tables: list[RawTable], problems: list[Problem], sha: str) -> ReadResult:
    """The parsed tables of a workbook -> its RawSheets (polars work, in the parent)."""
    file = path.name
    sheets: list[RawSheet] = []
    for t in tables:
        problems.extend(t.problems)
        if t.data is None or t.model is None:
            continue
        df = t.data if isinstance(t.data, pl.DataFrame) else pl.read_ipc_stream(io.BytesIO(t.data))
        raw, probs = _finish(t, df, file, t.name, sha)
        problems.extend(probs)
        if raw is not None:
            sheets.append(raw)
    return ReadResult(sheets, problems)


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


def detect_header(head: dict[int, dict[int, Any]], model: type[Sheet]) -> tuple[int | None, dict[int, str], bool]:
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


def _classify(name: str, head: dict[int, dict[int, Any]]) -> tuple[type[Sheet] | None, str | None, int | None]:
    """(model, adapter, adapter header row) of a sheet from its name and first rows."""
    model = clean_sheet_name(name)
    if model is None or model.sheet in ("Enquete", "Contacten"):
        for row in sorted(head):
            adapter = adapters.detect(list(head[row].values()))
            if adapter:
                return adapters.MODEL[adapter], adapter, row
            if len(head[row]) >= 2:
                break  # adapters have their header on the first filled row
    return model, None, None


def parse_workbook(path: str, probe: bool = False) -> tuple[list[RawTable], list[Problem]]:
    """The native part of reading a workbook: guard scans, header detection, one typed parse per sheet.

    Runs in the isolated child: no polars here (see guard.run_isolated). probe=True also parses sheets that
    match no contract sheet (from their first filled row), to test robustness on foreign files.
    """
    import fastexcel

    p = Path(path)
    file = p.name
    problems: list[Problem] = []
    scans: dict[str, guard.SheetScan] = {}
    with zipfile.ZipFile(p) as zf:
        names = set(zf.namelist())
        if "xl/workbook.xml" in names:
            try:
                sheet_members, sst = guard.workbook_sheets(zf)
            except Exception:  # noqa: BLE001 - odd packaging: calamine may still read it
                sheet_members, sst = [], None
            mapped = {m for _, m in sheet_members}
            # every worksheet part is checked, also those the workbook does not name
            for member in sorted(n for n in names if re.match(r"xl/worksheets/[^/]+\.xml$", n) and n not in mapped):
                sheet_members.append(("", member))
            for name, member in sheet_members:
                scan = guard.scan_sheet(zf, name, member, want_head=bool(name))
                if guard.sheet_too_big(scan):
                    return [], [_p(file, f"Tabblad '{name or member}' beslaat {guard.col_letters(scan.max_col)}"
                                         f"{scan.max_row} en is daarmee te groot of beschadigd (meer dan "
                                         f"{guard.MAX_CELLS // 1_000_000} miljoen cellen). Verwijder lege opgemaakte "
                                         "rijen en kolommen, of kopieer de gegevens naar een nieuw werkblad.",
                                   sheet=name or None)]
                if name:
                    scans[name] = scan
        elif "content.xml" not in names:  # non-standard packaging (no xl/ folder, backslashes): guard every XML part, heads via calamine
            for member in sorted(n for n in names if n.lower().endswith(".xml")):
                scan = guard.scan_sheet(zf, "", member, want_head=False)
                if guard.sheet_too_big(scan):
                    return [], [_p(file, f"Een tabblad in {file} beslaat {guard.col_letters(scan.max_col)}"
                                         f"{scan.max_row} en is daarmee te groot of beschadigd.")]
        if scans:
            wanted = [v[1] for s in scans.values() for row in (s.head or {}).values() for v in row.values()
                      if isinstance(v, tuple)]
            strings = guard.shared_strings(zf, sst, max(wanted)) if wanted and sst else []
            for sc in scans.values():
                for row in (sc.head or {}).values():
                    for c, v in list(row.items()):
                        if isinstance(v, tuple):
                            row[c] = strings[v[1]] if v[1] < len(strings) else None
    try:
        reader = fastexcel.read_excel(p)
        sheet_names = reader.sheet_names
    except Exception:  # noqa: BLE001 - calamine's errors are many; the message to the user is one
        return [], [_p(file, f"{file} is beschadigd of niet volledig; sla het opnieuw op als .xlsx en lever het opnieuw aan.")]
    tables: list[RawTable] = []
    unknown: list[str] = []
    for name in sheet_names:
        try:
            scan = scans.get(name)
            head = scan.head if scan is not None and scan.head is not None else _head_from_calamine(reader, name)
            model, adapter, adapter_row = _classify(name, head)
            if model is None:
                unknown.append(name)
                if probe:
                    first = min(head) if head else None
                    sheet = reader.load_sheet(name, header_row=None if first is None else first - 1)
                    t = RawTable(name=name, model=None, adapter=None, header_row=first)
                    t.data = _ipc(sheet.to_arrow_with_errors()[0])
                    tables.append(t)
                continue
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
                tables.append(t)
                continue
            t.headers = {c: str(v) for c, v in head.get(t.header_row, {}).items()}
            # whitespace-only cells as null: the empty-row filter then needs no text scan of every cell
            sheet = reader.load_sheet(name, header_row=t.header_row - 1, whitespace_as_null=True)
            t.blank_null = True
            batch, errs = sheet.to_arrow_with_errors()
            t.abs_cols = [c.absolute_index for c in sheet.selected_columns]  # cached; available_columns() re-infers
            t.data = _ipc(batch)
            if errs is not None:
                t.errors = [(e.position[0] + 1, e.position[1], e.detail) for e in errs.errors]
            t.merges = scan.merges if scan is not None else []
            if scan is not None:
                t.numbers = _number_cells(p, scan.member, sheet.selected_columns, t.matched, model, t.header_row)
            tables.append(t)
        except Exception:  # noqa: BLE001 - one broken sheet must not hide the others
            t = RawTable(name=name, model=None, adapter=None, header_row=None)
            t.problems.append(_p(file, f"Tabblad '{name}' {guard.UNREADABLE}", sheet=name))
            tables.append(t)
    problems.extend(_unknown_problems(file, unknown, any(t.model for t in tables)))
    return tables, problems


def _number_cells(path: Path, member: str, selected: Any, matched: dict[int, str], model: type[Sheet],
                  header_row: int) -> dict[int, list[int]]:
    """For numeric contract columns that calamine read as text (numbers mixed with text): where the numbers are."""
    kinds = {c.name: c.kind for c in columns(model)}
    cols = {c.absolute_index for c in selected
            if c.dtype == "string" and kinds.get(matched.get(c.absolute_index, "")) in NUMBER_CELL_KINDS}
    if not cols:
        return {}
    with zipfile.ZipFile(path) as zf:
        found = guard.number_cells(zf, member, cols, header_row)
    return {c: rows for c, rows in (found or {}).items() if rows}


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


def _no_header(file: str, model: type[Sheet], name: str) -> Problem:
    req = ", ".join(c.header for c in columns(model) if c.required)
    return _p(file, f"Tabblad '{name}': geen kopregel gevonden in de eerste {guard.HEAD_ROWS} rijen. Zet boven de "
                    f"gegevens een rij met de kolomnamen uit het sjabloon, in elk geval: {req}.", sheet=model.sheet)


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
    return df.filter(keep)


def _finish(t: RawTable, df: pl.DataFrame, file: str, source_sheet: str | None, sha: str) -> tuple[RawSheet | None, list[Problem]]:
    """Positional frame after the header -> RawSheet: row numbers, merges, empty/total rows, header mapping."""
    from etl.contract import by_sheet

    model = by_sheet(t.model or "")
    sheet = model.sheet
    problems: list[Problem] = []
    header_row = t.header_row or 0
    df = df.rename({old: f"c{a}" for old, a in zip(df.columns, t.abs_cols, strict=True)})
    df = df.with_columns(pl.int_range(header_row + 1, header_row + 1 + df.height, dtype=pl.Int64).alias("__row"))
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

    if t.adapter:
        headers = [t.headers.get(int(c[1:])) for c in value_cols]
        out, extra, probs = adapters.apply(t.adapter, df.select(value_cols + ["__row"]), headers, file=file, sheet=sheet)
        problems.extend(probs)
        return RawSheet(file=file, source_sheet=source_sheet, model=model, frame=out, sha256=sha,
                        header_row=header_row, extra=extra), problems

    by_field: dict[str, list[int]] = {}
    for col, f in t.matched.items():
        by_field.setdefault(f, []).append(col)
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
    single = {c.name: by_field[c.name][0] for c in cols if len(by_field.get(c.name, [])) == 1
              and f"c{by_field[c.name][0]}" in df.columns}
    frame = df.select([*(pl.col(f"c{a}").alias(name) for name, a in single.items()), pl.col("__row")])
    numbers = {name: t.numbers[a] for name, a in single.items() if t.numbers.get(a)}
    return RawSheet(file=file, source_sheet=source_sheet, model=model, frame=frame, sha256=sha,
                    header_row=header_row, extra={NUMBER_ROWS: numbers} if numbers else {}), problems
