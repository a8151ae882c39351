"""`stuurhut slides`: build the directors' deck of a deal from the database and write it as PowerPoint or PDF."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

FORMATS = {".pptx": "pptx", ".pdf": "pdf"}


def _error(message: str) -> None:
    print(f"stuurhut slides: {message}", file=sys.stderr)


def output_format(path: Path, given: str | None) -> str | None:
    """--format wins; otherwise the suffix of -o decides (None: neither says)."""
    return given or FORMATS.get(path.suffix.lower())


def cli_slides(args: argparse.Namespace) -> int:
    out = Path(args.output)
    fmt = output_format(out, getattr(args, "format", None))
    if fmt is None:
        _error(f"kies --format pptx of pdf, of geef het uitvoerbestand de extensie .pptx of .pdf ({out.name})")
        return 2
    db = Path(args.db)
    if not db.is_file():
        _error(f"de database {db} bestaat niet. Maak hem met `stuurhut demo` of `stuurhut load`.")
        return 1
    if not out.parent.is_dir():
        _error(f"de map {out.parent} bestaat niet.")
        return 1

    from dashboard.db import Warehouse
    from dashboard.queries.indicators import UnknownDeal, deals, parse_date
    from dashboard.slides.build import build_deck

    as_of = None
    if args.as_of:
        try:
            as_of = parse_date(args.as_of)
        except ValueError:
            _error(f"ongeldige datum bij --as-of: {args.as_of!r} (gebruik bijvoorbeeld 2022-10-31 of 31-10-2022)")
            return 2
    started = time.perf_counter()
    wh = Warehouse(db)
    try:
        try:
            deck = build_deck(wh, args.deal, as_of)
        except UnknownDeal:
            known = ", ".join(deals(wh)["code"].to_list()) or "geen"
            _error(f"onbekende deal {args.deal!r}. Deals in de database: {known}.")
            return 1
    finally:
        wh.close()
    # write next to the target and swap in, so a failed render never leaves half a file behind
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        if fmt == "pptx":
            from dashboard.slides.pptx_render import render_pptx

            render_pptx(deck, tmp)
        else:
            from dashboard.slides.pdf_render import render_pdf

            render_pdf(deck, tmp)
        os.replace(tmp, out)
    except OSError as exc:
        _error(f"kan {out} niet schrijven: {exc.strerror or exc}")
        return 1
    finally:
        tmp.unlink(missing_ok=True)
    seconds = time.perf_counter() - started
    print(f"{out}: {len(deck.slides)} dia's ({fmt}), peildatum {deck.peildatum_text}, in {seconds:.1f} s")
    return 0
