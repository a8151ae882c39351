"""Uploads in the browser: private temp files, the dry-run report, what would change, the load and rollback."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import polars as pl

from dashboard import auth
from dashboard.auth import Principal
from dashboard.format import formatted
from dashboard.i18n import t
from etl.load import LoadResult, RollbackResult, load_files, rollback
from etl.problems import Problem

log = logging.getLogger(__name__)

ALLOWED_TYPES: tuple[str, ...] = ("xlsx", "xlsm", "ods", "csv")
DEFAULT_MAX_MB = 25  # .streamlit/config.toml server.maxUploadSize; the browser enforces it, we check again
UPLOAD_FILE = "(upload)"  # the "file" of a problem that is about the upload itself


@dataclass(frozen=True)
class Upload:
    """One uploaded file as the browser sent it: the name is the client's and not trusted."""

    name: str
    data: bytes

    @classmethod
    def of(cls, uploaded) -> Upload:
        """From a Streamlit UploadedFile."""
        return cls(str(uploaded.name), bytes(uploaded.getvalue()))


def max_upload_mb() -> int:
    """server.maxUploadSize from the Streamlit config (MB)."""
    try:
        from streamlit import config

        return int(config.get_option("server.maxUploadSize"))
    except Exception:  # noqa: BLE001 - outside Streamlit (CLI, tests): the shipped default
        return DEFAULT_MAX_MB


def safe_name(name: str) -> str:
    """A file name safe to create in our temp dir: no directories, no control characters, at most 120 chars.

    The name is kept otherwise, because problems and the delivery history show it to the user.
    """
    base = PurePosixPath(str(name).replace("\\", "/")).name
    base = re.sub(r"[\x00-\x1f\x7f:]", "_", base).strip(" .")
    if len(base) > 120:
        stem, dot, ext = base.rpartition(".")
        base = f"{stem[: 119 - len(ext)]}{dot}{ext}" if dot and len(ext) <= 5 else base[:120]
    return base or "bestand"


def extension(name: str) -> str:
    return safe_name(name).rpartition(".")[2].lower() if "." in safe_name(name) else ""


def check_uploads(files: Sequence[Upload], max_mb: int | None = None) -> list[Problem]:
    """The server-side checks before anything is parsed: file type and size (the browser can be bypassed)."""
    limit = (max_mb or max_upload_mb()) * 1024 * 1024
    problems = []
    for f in files:
        name, ext = safe_name(f.name), extension(f.name)
        if ext not in ALLOWED_TYPES:
            problems.append(Problem(name, None, None, None, t("upload.bad_type", "nl", file=name, ext=ext or "?")))
        elif len(f.data) > limit:
            problems.append(Problem(name, None, None, None, t("upload.too_big", "nl", file=name,
                                                              mb=f"{len(f.data) / 1024 / 1024:.1f}".replace(".", ","),
                                                              max=limit // (1024 * 1024))))
        elif not f.data:
            problems.append(Problem(name, None, None, None, t("upload.empty_file", "nl", file=name)))
    return problems


@contextmanager
def saved(files: Sequence[Upload]) -> Iterator[list[Path]]:
    """Write the uploads to a private temp dir (0700, files 0600), one sub-dir each; always deleted afterwards."""
    root = Path(tempfile.mkdtemp(prefix="stuurhut-upload-"))
    try:
        paths = []
        for i, f in enumerate(files):
            folder = root / str(i)  # two uploads may carry the same name
            folder.mkdir(mode=0o700)
            path = folder / safe_name(f.name)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(f.data)
            paths.append(path)
        yield paths
    finally:
        shutil.rmtree(root, ignore_errors=True)


def fingerprint(files: Sequence[Upload], deal: str | None) -> str:
    """Identifies a batch and the deal choice, so a rerun of the page does not parse the files again."""
    h = hashlib.sha256((deal or "").encode())
    for f in files:
        h.update(b"\0" + f.name.encode("utf-8", "replace") + b"\0" + hashlib.sha256(f.data).digest())
    return h.hexdigest()


def ui_message(message: str) -> str:
    """The loader's message as the page says it: the page has a deal choice where the CLI has --deal."""
    return (message.replace("geen --deal opgegeven", "geen deal gekozen")
            .replace("geef de deal op met --deal CODE", "kies hierboven de deal")
            .replace("--deal", "de gekozen deal"))


def _crash(exc: BaseException, what: str) -> Problem:
    log.exception("stuurhut upload: %s failed", what)
    return Problem(UPLOAD_FILE, None, None, None, t("upload.crash", "nl", what=what, kind=type(exc).__name__))


# --- what would change ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetChange:
    sheet: str
    state: str  # "nieuw", "vervangen" or "ongewijzigd"
    new_rows: int
    old_rows: int | None = None
    old_file: str | None = None

    @property
    def delta(self) -> int:
        return self.new_rows - (self.old_rows or 0)


def changes(current: pl.DataFrame, result: LoadResult) -> list[SheetChange]:
    """Per sheet of the batch: new, replaced (old rows -> new rows) or unchanged (the same file is current)."""
    cur = {r["sheet"]: r for r in current.iter_rows(named=True)}
    out = []
    for sheet, rows in result.rows.items():
        old = cur.get(sheet)
        if old is None:
            out.append(SheetChange(sheet, "nieuw", rows))
        else:
            same = old["sha256"] is not None and old["sha256"] == result.sha256.get(sheet)
            out.append(SheetChange(sheet, "ongewijzigd" if same else "vervangen", rows, old["rows"], old["file"]))
    return out


def change_summary(items: Sequence[SheetChange], lang: str = "nl") -> str:
    """One line: "+12 bijeenkomsten, begroting vervangen, knelpunten ongewijzigd, partners nieuw (30 rijen)"."""
    parts = []
    for c in items:
        name = c.sheet.lower()
        if c.state == "nieuw":
            parts.append(t("upload.sum.new", lang, sheet=name, n=c.new_rows))
        elif c.state == "ongewijzigd":
            parts.append(t("upload.sum.same", lang, sheet=name))
        elif c.delta:
            parts.append(f"{c.delta:+d} {name}")
        else:
            parts.append(t("upload.sum.replaced", lang, sheet=name))
    return ", ".join(parts)


def change_table(items: Sequence[SheetChange], lang: str = "nl") -> pl.DataFrame:
    en = lang == "en"
    words = {s: t(f"upload.state.{s}", lang) for s in ("nieuw", "vervangen", "ongewijzigd")}
    return pl.DataFrame({
        "Sheet" if en else "Tabblad": [c.sheet for c in items],
        "Change" if en else "Wat verandert": [words[c.state] for c in items],
        "Rows now" if en else "Rijen nu": [c.old_rows for c in items],
        "Rows after loading" if en else "Rijen na laden": [c.new_rows for c in items],
        "Current file" if en else "Huidig bestand": [c.old_file for c in items],
    }, schema_overrides={"Rows now" if en else "Rijen nu": pl.Int64})


# --- the validation report ------------------------------------------------------------------------------


def problem_groups(problems: Sequence[Problem], lang: str = "nl") -> list[tuple[str, str, pl.DataFrame]]:
    """(file, sheet, table of row/column/message) per sheet, in the loader's order (file, then sheet order)."""
    en = lang == "en"
    groups: dict[tuple[str, str], list[Problem]] = {}
    for p in problems:
        groups.setdefault((p.file, p.sheet or t("upload.whole_file", lang)), []).append(p)
    out = []
    for (file, sheet), ps in groups.items():
        frame = pl.DataFrame({
            "Row" if en else "Rij": [p.row for p in ps],
            "Column" if en else "Kolom": [p.column or "" for p in ps],
            "Message" if en else "Melding": [ui_message(p.message) for p in ps],
        }, schema={"Row" if en else "Rij": pl.Int64, "Column" if en else "Kolom": pl.String,
                   "Message" if en else "Melding": pl.String})
        out.append((file, sheet, frame))
    return out


MAX_STATIC_ROWS = 50  # problems per sheet shown as a static table (longer: a scrolling one)


def text_table(table: pl.DataFrame, escape: Callable[[str], str] = str) -> pl.DataFrame:
    """A problem table as text for a static table: no row is "–", text passed through `escape`."""
    row, column, message = table.columns
    return table.select(
        pl.col(row).cast(pl.String).fill_null("–"),
        formatted(table[column], escape),
        formatted(table[message], escape),
    )


# --- checking (dry run) and loading ---------------------------------------------------------------------


@dataclass
class Check:
    """The dry run of one batch for one principal: the report, the deal it is for and what would change."""

    result: LoadResult
    deal: str | None = None
    deal_from_file: bool = False
    new_deal: bool = False
    refusal: str | None = None  # Dutch: why this principal may not load it
    changes: list[SheetChange] = field(default_factory=list)

    @property
    def can_load(self) -> bool:
        return (self.result.status == "loaded" and self.refusal is None and self.deal is not None
                and any(c.state != "ongewijzigd" for c in self.changes))

    @property
    def nothing_new(self) -> bool:
        return bool(self.changes) and all(c.state == "ongewijzigd" for c in self.changes)


def uploadable_deals(principal: Principal, deals: Sequence[str]) -> list[str]:
    """Existing deals the principal may deliver to (the choice for files without a Deal sheet)."""
    return [d for d in deals if auth.can_upload(principal, d)]


def known_deals(wh) -> list[str]:
    if wh is None:
        return []
    return wh.sql("deals")["code"].to_list()


def current_deliveries(wh, deal: str | None) -> pl.DataFrame:
    """The deal's current delivery per sheet (sheet, delivery_id, file, sha256, rows, peildatum, loaded_at)."""
    empty = pl.DataFrame(schema={"sheet": pl.String, "delivery_id": pl.Int64, "file": pl.String, "sha256": pl.String,
                                 "rows": pl.Int64, "peildatum": pl.Date, "loaded_at": pl.Datetime})
    if wh is None or deal is None:
        return empty
    return wh.sql("upload_current", deal=deal)


def _refusal(principal: Principal, deal: str | None, chosen: str | None) -> str | None:
    for d in (deal, chosen):
        if d is not None and not auth.can_upload(principal, d):
            own = principal.deal if principal.role in auth.DEAL_ROLES else None
            return (t("upload.refused_own", "nl", deal=d, own=own, who=principal.label) if own
                    else t("upload.refused", "nl", who=principal.label))
    return None


def check(files: Sequence[Upload], db: Path | str, principal: Principal, chosen_deal: str | None = None,
          wh=None) -> Check:
    """Validate the batch without loading (the CLI's `load --dry-run`), for this principal; never raises.

    The deal comes from the batch's Deal sheet; without one, from `chosen_deal` (the page's deal choice).
    """
    problems = check_uploads(files)
    if not files or problems:
        return Check(LoadResult("rejected", problems, dry_run=True))
    try:
        _fresh(wh)
        with saved(files) as paths:
            result = load_files(paths, db, dry_run=True)
            from_file = "Deal" in result.rows
            if not from_file and chosen_deal is not None:
                result = load_files(paths, db, deal=chosen_deal, dry_run=True)
        deal = result.deal if from_file else chosen_deal
        known = known_deals(wh)
        out = Check(result, deal, from_file, deal is not None and deal not in known,
                    _refusal(principal, deal, None if from_file else chosen_deal))
        if result.status == "loaded" and deal is not None:
            out.changes = changes(current_deliveries(wh, deal if deal in known else None), result)
        return out
    except Exception as exc:  # noqa: BLE001 - a page must show a Dutch message, never a traceback
        return Check(LoadResult("rejected", [_crash(exc, "controleren")], dry_run=True))


def _fresh(wh) -> None:
    """Let the warehouse reopen a replaced file first: DuckDB shares one open instance per path within a
    process, so the loader's own read-only look at the live file would otherwise see the old one."""
    if wh is not None:
        wh.version  # noqa: B018 - reconnects when the file changed


def load(files: Sequence[Upload], db: Path | str, principal: Principal, deal: str,
         progress: Callable[[str], None] | None = None, wh=None) -> LoadResult:
    """Load a checked batch into `deal`. Refuses (auth.Forbidden) unless the principal may upload to that deal.

    The deal is passed to the loader even when the batch has a Deal sheet, so a batch can only ever land in
    the deal that was checked and permitted (a different Code in the Deal sheet is rejected by the loader).
    Never raises otherwise: a failure is a rejected result with a Dutch message.
    """
    auth.require_that(auth.can_upload(principal, deal), "aanleveren", deal, t("upload.refused", "nl", who=principal.label))
    problems = check_uploads(files)
    if problems:
        return LoadResult("rejected", problems)
    try:
        _fresh(wh)
        with saved(files) as paths:
            return load_files(paths, db, deal=deal, progress=progress)
    except Exception as exc:  # noqa: BLE001 - see check()
        return LoadResult("rejected", [_crash(exc, "laden")])


def rows_text(n: int, lang: str = "nl") -> str:
    """"1 rij", "5 rijen"."""
    return t("upload.rows.one", lang) if n == 1 else t("upload.rows.many", lang, n=n)


def rows_summary(rows: dict[str, int], lang: str = "nl") -> str:
    """"6 rijen Bijeenkomsten, 1 rij Deal"."""
    return ", ".join(t("upload.rows_sheet", lang, rows=rows_text(n, lang), sheet=s) for s, n in rows.items())


def loaded_summary(result: LoadResult, lang: str = "nl") -> str:
    """"Geladen: 5 rijen Bijeenkomsten, 3 rijen Knelpunten" (and what was already there)."""
    written = rows_summary({d["sheet"]: d["rows"] for d in result.deliveries}, lang)
    text = t("upload.loaded", lang, what=written) if written else t("upload.loaded_nothing", lang)
    if result.unchanged:
        text += " " + t("upload.loaded_unchanged", lang, sheets=", ".join(result.unchanged))
    return text


class Progress:
    """Turns the loader's stages ("lezen: x.xlsx", "controleren", "schrijven") into (fraction, Dutch text)."""

    def __init__(self, n_files: int, show: Callable[[float, str], None], lang: str = "nl") -> None:
        self.n = max(1, n_files)
        self.read = 0
        self.show = show
        self.lang = lang

    def __call__(self, stage: str) -> None:
        if stage.startswith("lezen: "):
            self.read += 1
            self.show(0.05 + 0.55 * (self.read - 1) / self.n,
                      t("upload.stage.read", self.lang, i=self.read, n=self.n, file=stage[7:]))
        elif stage == "controleren":
            self.show(0.6, t("upload.stage.check", self.lang))
        elif stage == "schrijven":
            self.show(0.8, t("upload.stage.write", self.lang))

    def done(self) -> None:
        self.show(1.0, t("upload.stage.done", self.lang))


# --- history and rollback -------------------------------------------------------------------------------


def history(wh, deal: str) -> pl.DataFrame:
    """Every delivery of the deal, newest first, with its status: huidig, vervangen or teruggedraaid."""
    return wh.sql("upload_history", deal=deal)


def history_table(hist: pl.DataFrame, lang: str = "nl") -> pl.DataFrame:
    en = lang == "en"
    words = {s: t(f"upload.status.{s}", lang) for s in ("huidig", "vervangen", "teruggedraaid")}
    return hist.select(
        pl.col("delivery_id").alias("Delivery" if en else "Levering"),
        pl.col("file").alias("File" if en else "Bestand"),
        pl.col("sheet").alias("Sheet" if en else "Tabblad"),
        pl.col("rows").alias("Rows" if en else "Rijen"),
        pl.col("peildatum").alias("As-of date" if en else "Peildatum"),
        pl.col("loaded_at").alias("Loaded at" if en else "Geladen op"),
        pl.col("status").replace_strict(words, return_dtype=pl.String).alias("Status"),
        pl.col("rolled_back_at").alias("Rolled back at" if en else "Teruggedraaid op"),
    )


def current_of(hist: pl.DataFrame) -> pl.DataFrame:
    """The current deliveries (the ones that can be rolled back), in sheet order of the history."""
    return hist.filter(pl.col("status") == "huidig")


def after_rollback(hist: pl.DataFrame, delivery_id: int) -> dict | None:
    """The delivery that is current again once `delivery_id` is rolled back (None: that sheet has none left)."""
    row = hist.filter(pl.col("delivery_id") == delivery_id)
    if row.is_empty():
        return None
    earlier = hist.filter((pl.col("sheet") == row["sheet"][0]) & (pl.col("delivery_id") != delivery_id)
                          & pl.col("rolled_back_at").is_null()).sort(["loaded_at", "delivery_id"], descending=True)
    return earlier.row(0, named=True) if earlier.height else None


class RollbackRefused(ValueError):
    """The delivery cannot be rolled back (unknown, not current); the message is Dutch."""


def rollback_delivery(db: Path | str, wh, principal: Principal, delivery_id: int) -> RollbackResult:
    """Withdraw a current delivery (auth.Forbidden unless kernteam of its deal or beheer); history stays."""
    row = wh.sql("upload_delivery", delivery_id=int(delivery_id))
    if row.is_empty():
        raise RollbackRefused(t("upload.rb.unknown", "nl", id=delivery_id))
    deal, sheet, status = row["deal"][0], row["sheet"][0], row["status"][0]
    auth.require_that(auth.can_rollback(principal, deal), "aanleveren", deal,
                      t("upload.rb.forbidden", "nl", deal=deal, who=principal.label))
    if status != "huidig":
        raise RollbackRefused(t("upload.rb.not_current", "nl", id=delivery_id, sheet=sheet))
    try:
        return rollback(db, int(delivery_id))
    except ValueError as exc:  # raced with another rollback
        raise RollbackRefused(str(exc)) from exc
    except Exception as exc:  # noqa: BLE001 - disk full, no write permission ...: a Dutch message, data unchanged
        raise RollbackRefused(_crash(exc, "terugdraaien").message) from exc


def describe_delivery(row: dict, lang: str = "nl") -> str:
    """"CDTS_2022-06-30.xlsx (3 rijen, peildatum 30 juni 2022)" for the confirm step."""
    from dashboard.format import fmt_date

    when = row.get("peildatum") or (row["loaded_at"].date() if isinstance(row.get("loaded_at"), dt.datetime) else None)
    return t("upload.rb.delivery", lang, file=row["file"], rows=rows_text(row["rows"], lang), date=fmt_date(when, lang))
