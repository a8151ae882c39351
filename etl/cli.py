"""The `stuurhut` command: a stable interface (DESIGN.md), each subcommand dispatched lazily to keep start-up fast."""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from pathlib import Path

DEFAULT_DB = Path("data/stuurhut.duckdb")
JEMALLOC_CONF = "dirty_decay_ms:0,muzzy_decay_ms:0"


def default_db() -> Path:
    return Path(os.environ.get("STUURHUT_DB") or DEFAULT_DB)


def _big(files: list[Path]) -> bool:
    """A workbook with a sheet big enough for the reader to stream it (guard.STREAM_BYTES of XML)."""
    import zipfile

    from etl import guard

    for f in files:
        try:
            # a regular workbook file only: opening a named pipe (or a CSV read as a zip) would block or waste time
            if f.suffix.lower() not in (".xlsx", ".xlsm") or not f.is_file():
                continue
            with zipfile.ZipFile(f) as zf:
                if any(i.file_size >= guard.STREAM_BYTES for i in zf.infolist() if i.filename.startswith("xl/worksheets/")):
                    return True
        except (OSError, zipfile.BadZipFile):
            continue
    return False


def _await_parses(begun: dict) -> None:
    """Wait for the reader children begun early (their results, or failures, are kept for the loader)."""
    from etl.begin import Parsing

    for b in begun.values():
        if isinstance(b, Parsing):
            try:
                b.tables()
            except Exception:  # noqa: BLE001, S110 - kept by the child's handle; the loader reports it
                pass


def _handler(target: str):
    """'module:function' resolved only when the subcommand runs (heavy imports stay off the start path)."""

    def run(args: argparse.Namespace) -> int:
        module, func = target.split(":")
        return getattr(importlib.import_module(module), func)(args)

    return run


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit 2, in Dutch
        self.print_usage(sys.stderr)
        self.exit(2, f"stuurhut: fout in de opdracht: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="stuurhut", description="Stuurhut: monitoring van City Deals.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def db_opt(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--db", type=Path, default=None, help="pad naar de database (standaard data/stuurhut.duckdb of $STUURHUT_DB)")

    s = sub.add_parser("load", help="leveringen valideren en laden")
    s.add_argument("files", nargs="+", type=Path, metavar="FILE")
    s.add_argument("--deal", help="code van de deal als een bestand geen tabblad Deal heeft")
    db_opt(s)
    s.add_argument("--dry-run", action="store_true", help="alleen valideren, niets laden")
    s.add_argument("--json", action="store_true", help="uitvoer als JSON")
    s.set_defaults(run=_handler("etl.load:cli_load"))

    s = sub.add_parser("indicators", help="de sturingsindicatoren van een deal")
    s.add_argument("--deal", required=True)
    s.add_argument("--year", type=int)
    s.add_argument("--as-of", dest="as_of", metavar="DATE")
    db_opt(s)
    s.add_argument("--json", action="store_true")
    s.set_defaults(run=_handler("dashboard.queries.cli:cli_indicators"))

    s = sub.add_parser("deals", help="de deals in de database")
    db_opt(s)
    s.add_argument("--json", action="store_true")
    s.set_defaults(run=_handler("dashboard.queries.cli:cli_deals"))

    s = sub.add_parser("template", help="een leeg sjabloon met alle tabbladen")
    s.add_argument("-o", "--output", type=Path, default=Path("stuurhut-sjabloon.xlsx"))
    s.set_defaults(run=_handler("etl.template:cli_template"))

    s = sub.add_parser("slides", help="de presentatie voor het directeurenoverleg")
    s.add_argument("--deal", required=True)
    s.add_argument("--as-of", dest="as_of", metavar="DATE")
    db_opt(s)
    s.add_argument("--format", choices=("pptx", "pdf"), default=None)
    s.add_argument("-o", "--output", type=Path, required=True)
    s.set_defaults(run=_handler("dashboard.slides.cli:cli_slides"))

    s = sub.add_parser("demo", help="de demodatabase (opnieuw) opbouwen uit data/")
    db_opt(s)
    s.set_defaults(run=_handler("etl.demo:cli_demo"))

    s = sub.add_parser("serve", help="het dashboard starten")
    s.add_argument("--port", type=int, default=8501)
    db_opt(s)
    s.set_defaults(run=_handler("etl.serve:cli_serve"))

    s = sub.add_parser("user", help="lokale accounts beheren")
    usub = s.add_subparsers(dest="user_command", required=True, parser_class=_Parser)
    u = usub.add_parser("add", help="account toevoegen of wijzigen")
    u.add_argument("name")
    u.add_argument("--role", required=True, choices=("publiek", "deelnemer", "kernteam", "beheer"))
    u.add_argument("--deal")
    u.add_argument("--password-stdin", action="store_true", help="wachtwoord van standaardinvoer lezen")
    u = usub.add_parser("remove", help="account verwijderen")
    u.add_argument("name")
    u = usub.add_parser("list", help="accounts tonen")
    s.set_defaults(run=_handler("dashboard.accounts:cli_user"))
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "db", "unset") is None:
        args.db = default_db()
    if args.command == "load":
        if argv is None:
            # a short-lived process (it ends with os._exit below) whose imports allocate about a million objects that
            # reference counting frees: the cyclic collector's passes over them cost ~0.07 s and find nothing
            gc.disable()
        # the first workbook's reader child is forked before the loader imports polars, duckdb and the contract:
        # its parse then overlaps those imports and the database preparation instead of following them
        from etl.begin import begin_early

        args.begun = begin_early(args.files)
        if argv is None and _big(args.files):
            # polars' allocator (jemalloc) keeps freed pages for seconds by default: the slices of a big sheet
            # (etl/read.py SheetChunks), each freed before the next, then pile up (1M rows: ~45 MiB more at the
            # peak). Pages go back at once instead; jemalloc reads this when polars is first imported, which is
            # later. Only for a big delivery: for 100k rows it cost ~10% of the load time.
            # appended: later settings win, and a parent process that imported polars passes its defaults down
            conf = os.environ.get("_RJEM_MALLOC_CONF")
            os.environ["_RJEM_MALLOC_CONF"] = f"{conf},{JEMALLOC_CONF}" if conf else JEMALLOC_CONF
            # and the parse ends before the loader imports polars and duckdb: those imports (~100 MiB) then no
            # longer sit beside the reader child's ~140 MiB; for 1M rows the peak drops ~40 MiB for ~0.5 s more
            _await_parses(args.begun)
    try:
        code = int(args.run(args) or 0)
        if argv is None and args.command == "load":
            # the process ends here (the `stuurhut` script, `python -m etl.cli`): flushed output and the exit code
            # are all that is left, so skip the interpreter's teardown of polars, duckdb and pyarrow (~0.08 s)
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
        return code
    except BrokenPipeError:
        # the reader went away (`stuurhut load ... | head`): stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())
