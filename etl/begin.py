"""Beginning to read a delivery file, without polars or the contract: the checks that need no parse, then the
workbook's parse forked into an isolated child (etl/parse.py runs there).

`stuurhut load` calls begin_early first thing (etl/cli.py): the child then imports what it needs and parses while
the parent imports polars, duckdb and the contract and prepares the database, instead of after all that.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from etl import guard
from etl.problems import Problem, ReadResult

if TYPE_CHECKING:
    from etl.parse import RawTable

WORKBOOK_EXT = {".xlsx", ".xlsm", ".ods"}
CSV_EXT = {".csv"}
NOT_A_SPREADSHEET = "is geen Excel-, ODS- of CSV-bestand; sla het op als .xlsx en lever het opnieuw aan"
# imported by the child before its address-space limit is set, so their mappings do not count against the parse
CHILD_PRELOAD = ("fastexcel",)
# the child imports the contract's view and pyarrow (without numpy) while calamine parses (see _parse_in_child), so
# after the limit: the limit grants the ~180 MB of address space they map (pydantic included, which the view needs
# only without a current snapshot, etl/contract_view.py)
AFTER_LIMIT_SPACE = 256 * 1024**2


def _p(file: str, message: str, sheet: str | None = None, row: int | None = None, column: str | None = None,
       severity: str = "error") -> Problem:
    return Problem(file=file, sheet=sheet, row=row, column=column, message=message, severity=severity)


class UsageError(Exception):
    """A usage error (missing or unreadable input path): exit code 2."""


def check_paths(paths: Sequence[Path | str]) -> list[Path]:
    """The paths as Paths; raises UsageError for one that is missing, not a file or not readable."""
    out = []
    for p in map(Path, paths):
        if not p.exists():
            raise UsageError(f"Bestand niet gevonden: {p}")
        if not p.is_file():
            raise UsageError(f"Geen bestand: {p}")
        if not os.access(p, os.R_OK):
            raise UsageError(f"Bestand niet leesbaar: {p}")
        out.append(p)
    return out


@dataclass
class Parsing:
    """A workbook whose native parse is under way in an isolated child (or was done in-process)."""

    path: Path
    sha256: str
    child: guard.Isolated | None = None
    done: tuple[list[RawTable], list[Problem]] | None = None

    def tables(self) -> tuple[list[RawTable], list[Problem]]:
        """The parsed tables and problems; raises guard.ChildFailed when the child died or ran out of memory or time."""
        if self.child is not None:
            return self.child.result()
        assert self.done is not None
        return self.done

    def cancel(self) -> None:
        """Stop a child whose result is no longer wanted (a no-op once its result was collected)."""
        if self.child is not None:
            self.child.cancel()


def begin(path: Path, isolate: bool = True) -> ReadResult | Parsing | None:
    """Start reading a delivery file: the checks that need no parse, then a workbook's parse.

    Returns a ReadResult when the file is rejected before parsing, a Parsing for a workbook (its parse runs in a
    forked child with memory and time limits; isolate=False parses in-process), None for a CSV file (read in
    the parent with polars, etl/read.py).
    """
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
        return None
    if ext in WORKBOOK_EXT and kind == "zip":
        return _begin_workbook(path, isolate)
    if kind == "pdf":
        return ReadResult([], [_p(file, f"{file} is een PDF en {NOT_A_SPREADSHEET}.")])
    return ReadResult([], [_p(file, f"{file} {NOT_A_SPREADSHEET}.")])


def begin_early(paths: Sequence[Path | str]) -> dict[Path, ReadResult | Parsing]:
    """The first file's read begun before the loader imports polars and duckdb (`stuurhut load` calls this first).

    Nothing is begun when a path is bad (the loader reports it as a usage error) or for a CSV file. The caller
    hands the result to etl.load.load_files(begun=...) and cancels what it did not use.
    """
    try:
        first = check_paths(paths)[0]
        begun = begin(first)
    except Exception:  # noqa: BLE001 - the loader reads the file again and reports what is wrong
        return {}
    return {} if begun is None else {first: begun}


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


def _begin_workbook(path: Path, isolate: bool) -> ReadResult | Parsing:
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
        child = guard.Isolated(_parse_in_child, str(path), preload=CHILD_PRELOAD,
                               memory=guard.CHILD_MEMORY + AFTER_LIMIT_SPACE)
        return Parsing(path, _sha256(path), child=child)  # hashed while the child parses
    from etl.parse import parse_workbook

    sha = _sha256(path)
    try:
        done = parse_workbook(str(path))
    except guard.ChildFailed:
        return ReadResult([], [_p(file, f"{file} {guard.UNREADABLE}")])
    return Parsing(path, sha, done=done)


def _parse_in_child(path: str) -> tuple[list[RawTable], list[Problem]]:
    """etl.parse.parse_workbook in the reader child, with the contract's view and pyarrow imported beside calamine.

    The parent need not import the contract to fork this. The biggest sheet's parse begins first, from a guessed
    header row (the first row with two filled cells), on a thread: calamine parses without the GIL while this
    thread imports etl.parse and the contract's view (etl/contract_view.py: a snapshot, or pydantic's models
    without one), which tell the real header row; a wrong guess is dropped and parsed again.
    """
    import importlib
    import sys
    import threading

    scanned = guard.scan_workbook(Path(path))
    if scanned[2]:
        return [], scanned[2]
    # pyarrow imports numpy when it can (0.12 s of its 0.16 s) but needs none of it to take calamine's batches and
    # write Arrow IPC; a parent that has numpy already (the dashboard) keeps it, and so does a workbook with a sheet
    # big enough for the streaming reader (etl/xlsx_stream uses numpy)
    if max(scanned[1].values(), default=0) < guard.STREAM_BYTES:
        sys.modules.setdefault("numpy", None)  # type: ignore[arg-type]
    early = EarlyParse.begin(path, scanned)
    if early is not None:
        threading.Thread(target=importlib.import_module, args=("pyarrow",), daemon=True).start()
    from etl import parse

    parse.PYARROW_BESIDE = early is None
    return parse.parse_workbook(path, scanned=scanned, early=early)


class EarlyParse:
    """One sheet's calamine parse begun on a thread before its header row is known for sure."""

    MIN_BYTES = 1024**2  # smaller sheets parse in a few milliseconds: not worth a guess

    def __init__(self, path: str, name: str, header_row: int) -> None:
        import threading

        self.name, self.header_row = name, header_row
        self._sheet: object = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(path,), daemon=True)
        self._thread.start()

    @classmethod
    def begin(cls, path: str, scanned: guard.WorkbookScan) -> EarlyParse | None:
        """The biggest sheet's parse, begun from its first row with two filled cells (None: nothing worth it)."""
        scans, sizes, _ = scanned
        if not sizes:
            return None
        name = max(sizes, key=lambda n: sizes[n])
        head = scans[name].head or {}
        guess = next((r for r in sorted(head) if sum(str(v).strip() != "" for v in head[r].values()) >= 2), None)
        if not cls.MIN_BYTES <= sizes[name] < guard.STREAM_BYTES or guess is None:  # big sheets are streamed
            return None
        return cls(path, name, guess)

    def _run(self, path: str) -> None:
        import fastexcel

        try:  # a reader of its own: fastexcel's reader is not for two threads at once
            self._sheet = fastexcel.read_excel(path).load_sheet(self.name, header_row=self.header_row - 1,
                                                                whitespace_as_null=True)
        except BaseException as e:  # noqa: BLE001 - raised to the caller that takes the sheet
            self._error = e

    def take(self, name: str, header_row: int) -> object | None:
        """Wait for the begun parse: the parsed sheet if the guess was this sheet from this header row, else None.

        Either way the begun parse is over and let go afterwards, so a workbook never has two sheets in calamine
        at once (memory); call it before every other parse.
        """
        self._thread.join()
        hit = (name, header_row) == (self.name, self.header_row)
        sheet, error = self._sheet, self._error
        self.name, self._sheet, self._error = "", None, None
        if not hit:
            return None
        if error is not None:
            raise error
        return sheet

    def drop(self) -> None:
        """Wait for the parse and let its result go (a wrong guess); harmless after take()."""
        self._thread.join()
        self._sheet = self._error = None
