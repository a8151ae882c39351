"""Load deliveries: read, validate, pseudonymise and write one batch all-or-nothing via a copy-and-swap of the DB file."""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from etl import guard
from etl.begin import Parsing, UsageError, check_paths
from etl.contract_view import DERIVED, SheetView, by_sheet, columns, sheets
from etl.problems import Problem, RawSheet, ReadResult

# polars (and etl.validate/etl.read, which import it) is imported inside the functions that use it: load_files
# first starts the database copy on a thread, whose DuckDB work then overlaps polars' import (~0.2 s)

# Sheets others refer to are validated first so their keys can resolve references in the same batch.
REFERENCED = ("Deal", "Onderdelen", "Partners", "Eindresultaten", "Bijeenkomsten", "Vragen")
ORDER = {name: i for i, name in enumerate(REFERENCED + tuple(m.sheet for m in sheets() if m.sheet not in REFERENCED))}

Progress = Callable[[str], None]

if TYPE_CHECKING:
    import duckdb
    import polars as pl

    from etl.validate import Context


@dataclass
class LoadResult:
    status: str  # "loaded" or "rejected"
    problems: list[Problem]  # errors only: any error means nothing was loaded
    warnings: list[Problem] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)  # data rows taken per sheet (Dutch name)
    batch_id: int | None = None
    deliveries: list[dict] = field(default_factory=list)  # {"delivery_id", "sheet", "file", "rows"} as written
    unchanged: list[str] = field(default_factory=list)  # sheets whose identical delivery was already current
    sha256: dict[str, str] = field(default_factory=dict)  # sheet -> sha256 of the file it came from (for diffs)
    deal: str | None = None
    dry_run: bool = False

    def as_json(self) -> dict:
        return {
            "status": self.status,
            "problems": [p.as_json() for p in self.problems],
            "rows": self.rows,
            "warnings": [p.as_json() for p in self.warnings],
            "unchanged": self.unchanged,
            "deal": self.deal,
            "batch_id": self.batch_id,
            "dry_run": self.dry_run,
        }


@dataclass
class _Item:
    raw: RawSheet
    typed: pl.DataFrame | None = None
    problems: list[Problem] = field(default_factory=list)
    # a sheet read in slices (raw.chunks): its typed slices wait in Parquet files until they are written
    spilled: list[Path] = field(default_factory=list)
    rows: int = 0  # the typed rows (also of a spilled sheet)


# --- reading ------------------------------------------------------------------------------------------


def _read_all(files: list[Path], say: Progress, begun: Mapping[Path, ReadResult | Parsing] | None = None,
              meanwhile: Callable[[], object] | None = None) -> list[ReadResult]:
    """Every file read; begun: reads already started (etl.begin.begin_early), by path.

    meanwhile() runs once the first file's reader child is forked (before polars is imported when the CLI forked
    it early): what it starts on a thread then overlaps the parse, and no child is forked from under that thread.
    """
    out = []
    for i, p in enumerate(files):
        say(f"lezen: {p.name}")
        early = (begun or {}).get(p)
        if i == 0 and early is not None and meanwhile is not None:
            meanwhile()
        from etl.read import start_read

        pending = start_read(p, early)
        if i == 0 and early is None and meanwhile is not None:
            meanwhile()
        out.append(pending.result())
    return out


# --- database state -----------------------------------------------------------------------------------


class _DbState:
    """The deal's current deliveries in the live database (read-only), for references and idempotency."""

    def __init__(self, db: Path) -> None:
        import duckdb

        self.con = duckdb.connect(str(db), read_only=True) if db.exists() else None
        self.current: dict[str, tuple[int, str]] = {}  # sheet -> (delivery_id, sha256)
        self.deal: str | None = None

    def use_deal(self, deal: str) -> None:
        import duckdb

        self.deal = deal
        self.current = {}
        if self.con is None:
            return
        try:
            rows = self.con.execute(
                "SELECT sheet, delivery_id, sha256 FROM meta.deliveries WHERE deal = $deal AND rolled_back_at IS NULL "
                "ORDER BY delivery_id", {"deal": deal}).fetchall()
        except duckdb.CatalogException:
            return
        for sheet, did, sha in rows:
            self.current[sheet] = (did, sha)  # ordered by id: the newest wins

    def values(self, sheet: str, field_name: str) -> pl.Series | None:
        import duckdb

        if self.con is None or sheet not in self.current:
            return None
        model = by_sheet(sheet)
        try:
            rel = self.con.table(f"raw.{model.table}").filter(
                duckdb.ColumnExpression("delivery_id") == duckdb.ConstantExpression(self.current[sheet][0]))
            return rel.select(duckdb.ColumnExpression(field_name)).pl()[field_name]
        except duckdb.CatalogException:  # a database from before this column or table existed
            return None

    def peildatum(self) -> dt.date | None:
        s = self.values("Deal", "as_of")
        return s[0] if s is not None and s.len() else None

    def close(self) -> None:
        if self.con is not None:
            self.con.close()
            self.con = None


# --- locking and copy-swap ----------------------------------------------------------------------------


def lock_path(db: Path) -> Path:
    return db.with_name(db.name + ".lock")


@contextmanager
def db_lock(db: Path) -> Iterator[None]:
    """Exclusive writer lock: DuckDB allows one writing process, and we swap whole files."""
    db.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path(db), "a+") as f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


def _clean_tmp(db: Path) -> None:
    """Temp copies left by a killed load (we hold the lock, so no live writer owns one)."""
    for p in db.parent.glob(db.name + ".tmp-*"):
        p.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


MODELS_DDL = "CREATE TABLE IF NOT EXISTS meta.models (sha256 VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"


def models_sha() -> str:
    """Fingerprint of the warehouse models as this code would create them (SQL files, DuckDB version)."""
    import hashlib

    import duckdb

    from etl.warehouse import model_files

    h = hashlib.sha256(duckdb.__version__.encode())
    for path in model_files():
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


class _Swap:
    """A writable copy of the live DB with schema and current models, committed and swapped in by .commit().

    Opened before the delivery is validated, while the reader child parses, so the copy, the DuckDB start-up
    and the model DDL overlap the parse. Errors while opening are kept and raised by .commit() (a rejected
    delivery reports its own problems, not a full disk). Must be used under db_lock.
    """

    def __init__(self, db: Path) -> None:
        self.db = db
        self.tmp = db.with_name(f"{db.name}.tmp-{os.getpid()}")
        self.con: duckdb.DuckDBPyConnection | None = None
        self.error: BaseException | None = None
        self.notes: list[str] = []
        self.models_changed = False  # then every materialised row is recomputed, not only the loaded deal's
        self._models_sha: str | None = None  # the models still to create (they differ from the copy's)
        try:
            self._open()
            self._apply_models()
        except Exception as e:  # noqa: BLE001 - raised again by commit(), after validation
            self.error = e
            self.discard()

    def _open(self) -> None:
        import duckdb

        from etl.schema import create_schema

        _clean_tmp(self.db)
        if self.db.exists():
            shutil.copyfile(self.db, self.tmp)
        self.con = con = duckdb.connect(str(self.tmp))
        # every commit checkpoints at once: the copy is private until it is swapped in, so a WAL would only be
        # written to be copied into the file by the CHECKPOINT (for 100k rows that was twice 0.04 s)
        con.execute("SET checkpoint_threshold = '0b'")
        con.execute("BEGIN")  # one commit for all DDL: each autocommitted statement is a WAL write of its own
        create_schema(con)
        con.execute(MODELS_DDL)
        sha = models_sha()
        if con.execute("SELECT max(sha256) FROM meta.models").fetchone()[0] != sha:
            self.models_changed = True
            self._models_sha = sha

    def _apply_models(self) -> None:
        """(Re)create the warehouse models if the copy's differ, and commit the DDL; once, before the delivery."""
        import duckdb

        from etl.schema import create_schema
        from etl.warehouse import apply_models

        con, sha = self.con, self._models_sha
        if sha is not None:
            try:
                apply_models(con)
                con.execute("DELETE FROM meta.models")
                con.execute("INSERT INTO meta.models VALUES ($sha, current_localtimestamp())", {"sha": sha})
            except duckdb.Error as e:  # keep the data; the previous models stay as they were
                con.execute("ROLLBACK")
                self.notes.append(f"Het datamodel kon niet worden bijgewerkt ({type(e).__name__}: {str(e).splitlines()[0]})")
                con.execute("BEGIN")
                create_schema(con)
                con.execute(MODELS_DDL)
        con.execute("COMMIT")
        con.execute("BEGIN")  # the delivery's own transaction, written by commit(work)

    def commit(self, work: Callable[[duckdb.DuckDBPyConnection], object], deal: str | None = None) -> object:
        """work(con) inside the open transaction, then commit, checkpoint and atomically replace the live file.

        deal: the one deal work changed (its materialised rows are recomputed); None: every deal.
        """
        if self.error is not None:
            raise self.error
        try:
            con = self.con
            result = work(con)
            con.execute("COMMIT")
            from etl.warehouse import refresh_materialised

            # the newest state's marts as tables (etl/warehouse.py MATERIALISED), outside the delivery's transaction
            self.notes += refresh_materialised(con, None if self.models_changed else deal)
            con.execute("CHECKPOINT")
            con.close()
            self.con = None
            _fsync(self.tmp)
            os.replace(self.tmp, self.db)
            _fsync(self.db.parent)
        except BaseException:
            self.discard()
            raise
        return result

    def discard(self) -> None:
        """Drop the copy (a rejected, unchanged or dry delivery); the live file was never touched."""
        if self.con is not None:
            try:
                self.con.close()
            except Exception:  # noqa: BLE001, S110 - the file goes anyway
                pass
            self.con = None
        for p in (self.tmp, self.tmp.with_name(self.tmp.name + ".wal")):
            try:
                p.unlink(missing_ok=True)
            except OSError:
                pass


class _Opening(threading.Thread):
    """A _Swap opened on a thread: the copy, DuckDB's start-up, the schema and the model DDL (0.1 s on a new or
    outdated database) overlap the reader child's parse.

    The parent's main thread only waits for the child by then (its imports are done), so the DDL takes a core that
    is otherwise idle; run beside the validation instead, it slowed that and the load ended ~15 ms later.
    """

    def __init__(self, db: Path) -> None:
        super().__init__(name="stuurhut-open-db", daemon=True)
        self.db = db
        self.swap: _Swap | None = None
        self.start()

    def run(self) -> None:
        self.swap = _Swap(self.db)  # keeps its own errors for .commit()

    def result(self) -> _Swap:
        self.join()
        return self.swap if self.swap is not None else _Swap(self.db)

    def discard(self) -> None:
        self.result().discard()


def copy_swap(db: Path, work: Callable[[duckdb.DuckDBPyConnection], object]) -> tuple[object, list[str]]:
    """Run work(con) on a copy of the live DB with current models, then atomically replace the live file.

    Must be called under db_lock. Returns work's result and model warnings. The live file is never
    opened for writing, so a crash at any point leaves it as it was.
    """
    swap = _Swap(db)
    return swap.commit(work), swap.notes


def storage_message(db: Path, exc: BaseException) -> str | None:
    """A Dutch message for an environment failure while writing, or None when it is not one."""
    text = str(exc).lower()
    code = getattr(exc, "errno", None)
    if code == errno.ENOSPC or "no space left" in text:
        return (f"De schijf is vol: de database {db} kon niet worden bijgewerkt. Er is niets geladen; "
                "de vorige gegevens zijn ongewijzigd. Maak ruimte vrij en laad opnieuw.")
    if code in (errno.EACCES, errno.EPERM, errno.EROFS) or "permission denied" in text or "read-only" in text:
        return (f"Geen schrijfrechten in de map {db.parent}: de database kon niet worden bijgewerkt. "
                "Er is niets geladen; de vorige gegevens zijn ongewijzigd. Kies met --db een map waarin je mag schrijven.")
    return None


# --- the load -----------------------------------------------------------------------------------------


def _not_said(new: list[Problem], said: list[Problem]) -> list[Problem]:
    """new without the problems the reader already gave for the same cell (a required column missing from the
    header row: the reader names the header row and what to add; the validator would say it once more)."""
    seen = {(p.file, p.sheet, p.column) for p in said if p.severity == "error" and p.row is not None}
    return [p for p in new if not (p.row is None and p.column and (p.file, p.sheet, p.column) in seen)]


def load_files(paths: Sequence[Path | str], db: Path | str, deal: str | None = None, dry_run: bool = False,
               progress: Progress | None = None, begun: Mapping[Path, ReadResult | Parsing] | None = None) -> LoadResult:
    """Validate and load the files of one delivery batch: all or nothing. Raises UsageError for bad paths.

    begun: reads of some of these files already started by etl.begin.begin_early (the CLI does, before importing
    this module); the caller cancels those this call did not use.
    """
    say = progress or (lambda stage: None)
    files = check_paths(paths)
    db = Path(db).absolute()
    reads: list[ReadResult] = []
    if dry_run:  # reads the live file read-only; no lock needed as writers only ever swap whole files
        try:
            reads = _read_all(files, say, begun=begun)
            items, problems = _collect(files, reads)
            return _run(items, problems, files, db, deal, dry_run, say, None)
        finally:
            _close(reads)
    try:
        with db_lock(db):
            # the copy of the DB is prepared on a thread (DuckDB works without the GIL) while this one imports
            # polars and waits for the reader child
            openings: list[_Opening] = []
            try:
                reads = _read_all(files, say, begun, lambda: openings.append(_Opening(db)))
                if not openings:  # no file to read
                    openings.append(_Opening(db))
                opening = openings[0]
                items, problems = _collect(files, reads)
                return _run(items, problems, files, db, deal, dry_run, say, opening)
            finally:
                _close(reads)
                for o in openings:
                    o.discard()
    except OSError as e:
        msg = storage_message(db, e)
        if msg is None:
            raise
        return LoadResult("rejected", [Problem(db.name, None, None, None, msg)], dry_run=dry_run)


def _close(reads: list[ReadResult]) -> None:
    """The reader's files of sheets read in slices go (the CLI ends with os._exit: no finaliser would run)."""
    for rr in reads:
        for sheet in rr.sheets:
            sheet.close()


def _collect(files: list[Path], reads: list[ReadResult]) -> tuple[list[_Item], list[Problem]]:
    """The sheets to load, in reference order, and the problems found while reading them."""
    items: list[_Item] = []
    problems: list[Problem] = []
    for rr in reads:
        items += [_Item(s) for s in rr.sheets]
        problems += rr.problems
    items.sort(key=lambda it: ORDER[it.raw.model.sheet])
    items, empty_problems = _skip_empty(items)
    problems += empty_problems
    items, dup_problems = _dedupe(items)
    problems += dup_problems
    if not items and not any(p.severity == "error" for p in problems):
        problems.append(Problem(files[0].name, None, None, None,
                                "Geen bekende tabbladen gevonden: gebruik de tabbladnamen uit het sjabloon (bijv. Begroting)"))
    return items, problems


def _skip_empty(items: list[_Item]) -> tuple[list[_Item], list[Problem]]:
    """Sheets without data rows (an untouched template sheet) are skipped so the previous delivery stays current.

    When nothing else is delivered, loading would do nothing at all: that is an error, not a silent no-op.
    """
    empty = [it for it in items if it.raw.is_empty()]
    if not empty:
        return items, []
    full = [it for it in items if not it.raw.is_empty()]
    if full:
        return full, [Problem(it.raw.file, it.raw.model.sheet, None, None,
                              f"Tabblad {it.raw.model.sheet} bevat geen gegevensrijen en is overgeslagen; "
                              "de vorige levering blijft gelden", "warning") for it in empty]
    return [], [Problem(it.raw.file, it.raw.model.sheet, None, None,
                        f"Tabblad {it.raw.model.sheet} bevat alleen een kopregel: geen gegevens gevonden. Vul de rijen "
                        "onder de kopregel in en lever het bestand opnieuw aan") for it in empty]


def _dedupe(items: list[_Item]) -> tuple[list[_Item], list[Problem]]:
    """One delivery per sheet per batch; identical Deal sheets in several files are fine."""
    seen: dict[str, _Item] = {}
    out, problems = [], []
    for it in items:
        first = seen.get(it.raw.model.sheet)
        if first is None:
            seen[it.raw.model.sheet] = it
            out.append(it)
            continue
        if it.raw.model.sheet == "Deal" and it.raw.frame.drop("__row", strict=False).equals(
                first.raw.frame.drop("__row", strict=False)):
            continue
        where = first.raw.file + (f" (tabblad {first.raw.source_sheet})" if first.raw.source_sheet else "")
        problems.append(Problem(it.raw.file, it.raw.model.sheet, None, None,
                                f"Tabblad {it.raw.model.sheet} is ook al aangeleverd in {where}; "
                                "lever elk tabblad maar één keer per keer laden"))
    return out, problems


def _row_counts(items: list[_Item]) -> dict[str, int]:
    return {it.raw.model.sheet: it.raw.height for it in items}


SPILL_PREFIX = "stuurhut-typed-"


class _Spill:
    """A private temporary folder for the typed slices of sheets read in slices, made on first use.

    The rows in it are not yet pseudonymised: the folder is mode 0700, removed at the end of the load, and a folder
    left by a killed load (its process id is in the name) is removed by the next load that needs one.
    """

    def __init__(self) -> None:
        self.path: Path | None = None
        self._n = 0

    def file(self) -> Path:
        if self.path is None:
            guard.remove_leftovers(SPILL_PREFIX)
            self.path = Path(tempfile.mkdtemp(prefix=f"{SPILL_PREFIX}{os.getpid()}-"))
        self._n += 1
        return self.path / f"{self._n}.parquet"

    def remove(self) -> None:
        if self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)
            self.path = None


def _validate_in_slices(it: _Item, ctx: Context, spill: _Spill | None) -> tuple[int, list[Problem]]:
    """validate_batches for a sheet read in slices; each typed slice goes to a Parquet file (spill None: a dry run,
    nothing is kept), so the whole sheet never sits in memory."""
    from etl.validate import validate_batches

    def keep(typed: pl.DataFrame) -> None:
        if spill is not None and typed.height:
            path = spill.file()
            typed.write_parquet(path, compression="uncompressed", statistics=False)
            it.spilled.append(path)

    return validate_batches(it.raw, ctx, keep)


def _run(items: list[_Item], problems: list[Problem], files: list[Path], db: Path, deal_arg: str | None,
         dry_run: bool, say: Progress, opening: _Opening | None) -> LoadResult:
    spill = _Spill()
    try:
        return _run_in(items, problems, files, db, deal_arg, dry_run, say, opening, None if dry_run else spill)
    finally:
        spill.remove()


def _run_in(items: list[_Item], problems: list[Problem], files: list[Path], db: Path, deal_arg: str | None,
            dry_run: bool, say: Progress, opening: _Opening | None, spill: _Spill | None) -> LoadResult:
    import duckdb

    from etl.validate import Context, validate

    try:
        state = _DbState(db)
    except duckdb.Error as e:
        msg = (f"De database {db} kan niet worden geopend ({str(e).splitlines()[0]}); er is niets geladen. "
               "Controleer of het pad naar een Stuurhut-database wijst.")
        return LoadResult("rejected", problems + [Problem(db.name, None, None, None, msg)], rows=_row_counts(items),
                          dry_run=dry_run)
    try:
        say("controleren")
        deal, peil = _resolve_deal(items, problems, files, deal_arg, state)
        ctx = Context(deal=deal, peildatum=peil)
        batch_sheets = {it.raw.model.sheet for it in items}
        for it in items:
            _fill_refs(ctx, it.raw.model, items, batch_sheets, state)
            if it.raw.chunks is not None:
                it.rows, it.problems = _validate_in_slices(it, ctx, spill)
            elif it.typed is None:
                it.typed, it.problems = validate(it.raw, ctx)
            if it.typed is not None:
                it.rows = it.typed.height
            problems += _not_said(it.problems, problems)
        rank = {f.name: i for i, f in enumerate(files)}
        problems.sort(key=lambda p: (rank.get(p.file, len(rank)), ORDER.get(p.sheet or "", -1)))
        errors = [p for p in problems if p.severity == "error"]
        warnings = [p for p in problems if p.severity != "error"]
        result = LoadResult("rejected" if errors else "loaded", errors, warnings, _row_counts(items), deal=deal,
                            dry_run=dry_run)
        result.sha256 = {it.raw.model.sheet: it.raw.sha256 for it in items}
        if errors or dry_run:
            return result
        todo = []
        for it in items:
            cur = state.current.get(it.raw.model.sheet)
            if cur is not None and cur[1] == it.raw.sha256:
                result.unchanged.append(it.raw.model.sheet)
            else:
                todo.append(it)
    finally:
        state.close()
    if not todo:
        return result
    say("schrijven")
    from etl.pseudo import load_key

    key = load_key(db) if any(c.pii for it in todo for c in columns(it.raw.model)) else b""
    loaded_at = dt.datetime.now().replace(microsecond=0)
    peildatum = peil or loaded_at.date()
    swap = opening.result()

    def work(con: duckdb.DuckDBPyConnection) -> int:
        return _write(con, todo, warnings, deal, peildatum, loaded_at, key, result, swap.tmp)

    try:
        result.batch_id = swap.commit(work, deal)
        notes = swap.notes
    except (OSError, duckdb.Error) as e:
        msg = storage_message(db, e)
        if msg is None:
            raise
        return LoadResult("rejected", [Problem(db.name, None, None, None, msg)], warnings, result.rows, deal=deal)
    result.warnings += [Problem(db.name, None, None, None, n, "warning") for n in notes]
    return result


def _resolve_deal(items: list[_Item], problems: list[Problem], files: list[Path], deal_arg: str | None,
                  state: _DbState) -> tuple[str | None, dt.date | None]:
    from etl.validate import Context, validate

    deal_item = next((it for it in items if it.raw.model.sheet == "Deal"), None)
    batch_deal = peil = None
    if deal_item is not None:
        deal_item.typed, deal_item.problems = validate(deal_item.raw, Context())
        if deal_item.typed.height == 1:
            batch_deal = deal_item.typed["code"][0]
            peil = deal_item.typed["as_of"][0]
    if batch_deal is not None:
        if deal_arg is not None and deal_arg != batch_deal:
            row = deal_item.typed["source_row"][0]
            problems.append(Problem(deal_item.raw.file, "Deal", row, "Code",
                                    f"Het tabblad Deal noemt deal '{batch_deal}', maar --deal is '{deal_arg}'; "
                                    "laat --deal weg of corrigeer de Code"))
        state.use_deal(batch_deal)
        return batch_deal, peil or state.peildatum()
    if deal_item is not None:  # a Deal sheet with problems of its own: those are reported already
        return None, None
    if deal_arg is None:
        problems.append(Problem(files[0].name, None, None, None,
                                "Geen tabblad Deal en geen --deal opgegeven: lever een tabblad Deal mee "
                                "(Code, Naam, Peildatum) of geef de deal op met --deal CODE"))
        return None, None
    state.use_deal(deal_arg)
    if "Deal" not in state.current:
        problems.append(Problem(files[0].name, None, None, None,
                                f"Deal '{deal_arg}' staat nog niet in de database: lever de eerste keer een "
                                "tabblad Deal mee (Code, Naam, Peildatum)"))
        return None, None
    return deal_arg, state.peildatum()


def _fill_refs(ctx: Context, model: SheetView, items: list[_Item], batch_sheets: set[str], state: _DbState) -> None:
    for c in columns(model):
        if not c.ref or c.ref in ctx.refs:
            continue
        sheet, field_name = c.ref.split(".")
        if sheet in batch_sheets:
            ref_item = next(it for it in items if it.raw.model.sheet == sheet)
            if ref_item.typed is not None:
                ctx.refs[c.ref] = ref_item.typed[field_name]
        elif state.deal is not None:
            values = state.values(sheet, field_name)
            if values is not None:
                ctx.refs[c.ref] = values


def table_frame(model: SheetView, typed: pl.DataFrame, delivery_id: int, key: bytes,
                memo: dict[str, dict[str, str | None]] | None = None) -> pl.DataFrame:
    """The raw table's rows in its column order (schema.raw_table_ddl), personal fields hashed.

    memo: per personal field, the pseudonyms made for earlier slices of the same sheet (etl.pseudo.pseudonymise).
    """
    import polars as pl

    from etl.pseudo import pseudonymise

    cols = columns(model)
    frame = typed.with_columns(
        [pseudonymise(typed[c.name], key, None if memo is None else memo.setdefault(c.name, {})) for c in cols if c.pii]
        + [pl.lit(delivery_id, dtype=pl.Int32).alias("delivery_id"), pl.col("source_row").cast(pl.Int32)])
    derived = list(DERIVED.get(model.table, {}))
    for d in derived:
        if d not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.Float64).alias(d))
    return frame.select("delivery_id", "source_row", *[c.name for c in cols], *derived)


def _insert(con: duckdb.DuckDBPyConnection, frames: pl.DataFrame | Iterable[pl.DataFrame], table: str,
            spill: Path) -> None:
    """Append a frame, or the slices of a big sheet, to a table (same column order) through Parquet files beside
    the DB copy, in one INSERT.

    DuckDB's Arrow scan imports pyarrow (with numpy, a quarter of a second) just to read a polars frame;
    polars writes Parquet natively and DuckDB reads it natively, so the load needs no pyarrow at all. One INSERT
    for all slices: DuckDB then writes the rows to the file as it goes; an INSERT per slice kept them in the
    transaction until the commit (1M rows: ~0.4 s more and ~50 MiB more at the peak).
    """
    import polars as pl

    paths: list[Path] = []
    try:
        for frame in [frames] if isinstance(frames, pl.DataFrame) else frames:
            paths.append(spill.with_name(f"{spill.name}-{table}-{len(paths)}.parquet"))
            # row groups of 25k rows: DuckDB inserts them on both threads (in order); one group of 100k rows is one thread
            frame.write_parquet(paths[-1], compression="uncompressed", statistics=False, row_group_size=25_000)
            del frame
        if len(paths) > 1:
            # a sheet in slices: DuckDB buffers row groups per thread while it keeps their order; on one thread the
            # INSERT of 1M rows peaked ~25 MiB lower, in the same time (Parquet reading is not what takes the time)
            con.execute("SET threads = 1")
            # and DuckDB keeps the blocks it already wrote cached up to its memory limit (80% of RAM): a limit sized
            # to what the INSERT must hold makes it let them go (1M rows: ~15 MiB lower at the load's peak)
            con.execute(f"SET memory_limit = '{_insert_memory(con, paths) // 2**20}MiB'")
        try:
            if paths:
                con.execute(f"INSERT INTO {table} SELECT * FROM read_parquet($paths)",  # noqa: S608 - contract names
                            {"paths": [str(p) for p in paths]})
        finally:
            if len(paths) > 1:
                con.execute("RESET threads")
                con.execute("RESET memory_limit")
    finally:
        for path in paths:
            path.unlink(missing_ok=True)


INSERT_MEMORY_FLOOR = 96 * 2**20
_TABLE_ROW_GROUP = 122_880  # DuckDB's rows per row group of a table: the one being filled is held in memory


def _insert_memory(con: duckdb.DuckDBPyConnection, paths: list[Path]) -> int:
    """A memory limit for the INSERT of Parquet files on one thread that it cannot run out of: the Parquet reader
    holds a whole row group's columns and the table's row group being filled is held too (both twice over, for
    DuckDB's own copies), plus room; at least INSERT_MEMORY_FLOOR. Wide rows of long texts get a limit to match."""
    biggest, total, rows = con.execute(
        "SELECT max(rg), sum(rg), sum(n) FROM (SELECT sum(total_uncompressed_size) AS rg, any_value(row_group_num_rows) "
        "AS n FROM parquet_metadata($paths) GROUP BY file_name, row_group_id)", {"paths": [str(p) for p in paths]}).fetchone()
    if not rows:
        return INSERT_MEMORY_FLOOR
    per_row = total / rows
    return max(INSERT_MEMORY_FLOOR, int(2 * biggest + 2 * _TABLE_ROW_GROUP * per_row) + 64 * 2**20)


def _slices(model: SheetView, spilled: list[Path], delivery_id: int, key: bytes) -> Iterator[pl.DataFrame]:
    """The table rows of a sheet validated in slices, slice by slice (each typed slice's file goes once read)."""
    import polars as pl

    memo: dict[str, dict[str, str | None]] = {}
    for path in spilled:
        typed = pl.read_parquet(path)
        path.unlink()
        yield table_frame(model, typed, delivery_id, key, memo)


def _write(con: duckdb.DuckDBPyConnection, todo: list[_Item], warnings: list[Problem], deal: str,
           peildatum: dt.date, loaded_at: dt.datetime, key: bytes, result: LoadResult, spill: Path) -> int:
    """The batch's deliveries, rows and warnings, inside the transaction _Swap opened (it commits).

    spill: a path prefix beside the DB copy for the Parquet files the rows travel through.
    """
    import polars as pl

    batch_id = con.execute("SELECT nextval('meta.batch_seq')").fetchone()[0]
    for it in todo:
        model = it.raw.model
        did = con.execute("SELECT nextval('meta.delivery_seq')").fetchone()[0]
        con.execute(
            "INSERT INTO meta.deliveries (delivery_id, batch_id, deal, sheet, table_name, file, source_sheet, sha256, "
            "loaded_at, peildatum, rows) VALUES ($id, $batch, $deal, $sheet, $table, $file, $src, $sha, $at, $peil, $rows)",
            {"id": did, "batch": batch_id, "deal": deal, "sheet": model.sheet, "table": model.table,
             "file": Path(it.raw.file).name, "src": it.raw.source_sheet, "sha": it.raw.sha256, "at": loaded_at,
             "peil": peildatum, "rows": it.rows})
        if it.typed is not None and it.typed.height:
            _insert(con, table_frame(model, it.typed, did, key), f"raw.{model.table}", spill)
        it.typed = None  # written: the next sheet need not share the memory with it
        if it.spilled:  # a sheet read in slices: one slice in memory at a time
            _insert(con, _slices(model, it.spilled, did, key), f"raw.{model.table}", spill)
        mine = [w for w in warnings if w.sheet == model.sheet and w.file == it.raw.file]
        if mine:
            wf = pl.DataFrame({"delivery_id": [did] * len(mine), "sheet": [w.sheet for w in mine],
                               "row": [w.row for w in mine], "column": [w.column for w in mine],
                               "message": [w.message for w in mine]},
                              schema={"delivery_id": pl.Int32, "sheet": pl.String, "row": pl.Int32,
                                      "column": pl.String, "message": pl.String})
            _insert(con, wf, "meta.warnings", spill)
        result.deliveries.append({"delivery_id": did, "sheet": model.sheet, "file": it.raw.file, "rows": it.rows})
    return batch_id


# --- rollback -----------------------------------------------------------------------------------------


@dataclass
class RollbackResult:
    delivery_id: int
    deal: str
    sheet: str
    current: int | None  # the delivery of that sheet that is current now (None: no data left for it)


def rollback(db: Path | str, delivery_id: int) -> RollbackResult:
    """Withdraw a delivery (sets rolled_back_at): the previous delivery of that sheet becomes current again."""
    db = Path(db).absolute()
    if not db.exists():
        raise ValueError(f"Database {db} bestaat niet")

    def work(con: duckdb.DuckDBPyConnection) -> RollbackResult:
        row = con.execute("SELECT deal, sheet, rolled_back_at FROM meta.deliveries WHERE delivery_id = $id",
                          {"id": delivery_id}).fetchone()
        if row is None:
            raise ValueError(f"Levering {delivery_id} bestaat niet")
        if row[2] is not None:
            raise ValueError(f"Levering {delivery_id} is al teruggedraaid")
        con.execute("UPDATE meta.deliveries SET rolled_back_at = $at WHERE delivery_id = $id",
                    {"at": dt.datetime.now().replace(microsecond=0), "id": delivery_id})
        cur = con.execute("SELECT max(delivery_id) FROM meta.deliveries WHERE deal = $deal AND sheet = $sheet "
                          "AND rolled_back_at IS NULL", {"deal": row[0], "sheet": row[1]}).fetchone()[0]
        return RollbackResult(delivery_id, row[0], row[1], cur)

    with db_lock(db):
        result, _ = copy_swap(db, work)
    return result


# --- CLI ----------------------------------------------------------------------------------------------


class _StderrProgress:
    """Shows the current stage on stderr once a load has taken more than a second."""

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.stage = "starten"
        self.shown = ""
        self.tty = sys.stderr.isatty()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._tick, daemon=True)
        self.thread.start()

    def __call__(self, stage: str) -> None:
        self.stage = stage

    def _tick(self) -> None:
        while not self.done.wait(0.25):
            elapsed = time.monotonic() - self.start
            if elapsed < 1.0 or (not self.tty and self.stage == self.shown):
                continue
            line = f"bezig ({elapsed:.0f} s): {self.stage}"
            sys.stderr.write(f"\r{line:<70}" if self.tty else line + "\n")
            sys.stderr.flush()
            self.shown = self.stage

    def close(self) -> None:
        self.done.set()
        self.thread.join()
        if self.tty and self.shown:
            sys.stderr.write("\r" + " " * 70 + "\r")
            sys.stderr.flush()


def _rows_text(rows: dict[str, int]) -> str:
    return ", ".join(f"{n} {'rij' if n == 1 else 'rijen'} {s}" for s, n in rows.items())


def format_text(result: LoadResult) -> str:
    lines: list[str] = []
    if result.status == "loaded":
        written = {d["sheet"]: d["rows"] for d in result.deliveries}
        if result.dry_run:
            lines.append(f"in orde (proefrun, niets geladen): {_rows_text(result.rows) or 'geen rijen'}")
        elif written:
            lines.append(f"geladen: {_rows_text(written)}")
        if result.unchanged:
            lines.append(f"al geladen, niets gewijzigd: {', '.join(result.unchanged)}")
    else:
        n = len(result.problems)
        lines.append(f"afgekeurd, niets geladen: {n} {'probleem' if n == 1 else 'problemen'}")
        lines += _grouped(result.problems)
    if result.warnings:
        lines.append("waarschuwingen (de levering is wel " + ("gecontroleerd" if result.status != "loaded" or
                                                               result.dry_run else "geladen") + "):")
        lines += _grouped(result.warnings)
    return "\n".join(lines)


def _grouped(problems: list[Problem]) -> list[str]:
    lines: list[str] = []
    last: tuple = (object(), object())
    for p in problems:
        if p.file != last[0]:
            lines.append(f"{p.file}")
            last = (p.file, object())
        if p.sheet != last[1]:
            lines.append(f"  {p.sheet or '(hele bestand)'}")
            last = (p.file, p.sheet)
        where = ", ".join(x for x in (f"rij {p.row}" if p.row is not None else "", p.column or "") if x)
        lines.append(f"    {where + ': ' if where else ''}{p.message}")
    return lines


def cli_load(args) -> int:
    """`stuurhut load`: exit 0 loaded, 1 problems (nothing loaded), 2 usage error."""
    progress = _StderrProgress()
    begun = getattr(args, "begun", None) or {}  # etl/cli.py began the first file's parse before importing us
    try:
        result = load_files(args.files, args.db, deal=args.deal, dry_run=args.dry_run, progress=progress, begun=begun)
    except UsageError as e:
        print(f"stuurhut: {e}", file=sys.stderr)
        return 2
    finally:
        progress.close()
        for b in begun.values():
            if isinstance(b, Parsing):
                b.cancel()
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False, default=str))
    else:
        print(format_text(result))
    return 0 if result.status == "loaded" else 1
