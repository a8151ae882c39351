"""`stuurhut indicators` and `stuurhut deals`: the steering indicators and the deals on the command line (no streamlit)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import duckdb

from dashboard.db import MissingDatabase, Warehouse
from dashboard.queries.indicators import UnknownDeal, deals, format_value, indicators, parse_date

JSON_KEYS = ("indicator", "year", "value", "target_min", "target_max", "status")
EXTRA_KEYS = ("label_nl", "label_en", "unit", "expected_to_date", "previous_value", "change", "note_nl",
              "source_sheet", "source_file", "delivered_at")


def _fail(message: str, code: int = 1) -> int:
    print(f"stuurhut: {message}", file=sys.stderr)
    return code


def _open(db: Path) -> Warehouse:
    if not Path(db).is_file():
        raise MissingDatabase(str(db))
    return Warehouse(db)


def _missing_db(db: Path) -> int:
    return _fail(f"de database {db} bestaat niet. Bouw de demodatabase met `stuurhut demo` "
                 f"of laad een levering met `stuurhut load BESTAND`.")


def _jsonable(v: Any) -> Any:
    if isinstance(v, dt.datetime | dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return int(v)  # counts read as 6, not 6.0
    return v


def _nl_date(d: dt.date | None) -> str:
    return d.strftime("%d-%m-%Y") if d else "onbekend"


def cli_indicators(args: argparse.Namespace) -> int:
    as_of = None
    if args.as_of:
        try:
            as_of = parse_date(args.as_of)
        except ValueError:
            return _fail(f"ongeldige datum bij --as-of: '{args.as_of}' (gebruik bijv. 2022-06-30 of 30-06-2022)", 2)
    try:
        wh = _open(args.db)
        known = deals(wh)
        frame = indicators(wh, args.deal, year=args.year, as_of=as_of)
    except MissingDatabase:
        return _missing_db(args.db)
    except UnknownDeal:
        codes = ", ".join(known["code"].to_list()) or "geen"
        return _fail(f"deal '{args.deal}' staat niet in de database (bekende deals: {codes}).")
    except duckdb.Error as e:
        return _fail(f"de database {args.db} kon niet worden gelezen ({e.__class__.__name__}); "
                     "bouw hem opnieuw met `stuurhut demo` of laad opnieuw met `stuurhut load`.")
    if args.year is not None and frame.is_empty():
        return _fail(f"deal '{args.deal}' heeft geen gegevens voor {args.year}"
                     + (f" op {_nl_date(as_of)}." if as_of else "."))
    rows = frame.to_dicts()
    if args.json:
        out = [{k: _jsonable(r[k]) for k in (*JSON_KEYS, *EXTRA_KEYS)} for r in rows]
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    deal = known.filter(known["code"] == args.deal).to_dicts()[0]
    print(_table_text(deal, rows, as_of))
    return 0


def _table_text(deal: dict, rows: list[dict], as_of: dt.date | None) -> str:
    peil = rows[0]["peildatum"] if rows else deal["peildatum"]
    head = f"{deal['code']} — {deal['name']}, peildatum {_nl_date(peil)}"
    if as_of:
        head += f" (stand op {_nl_date(as_of)})"
    table = [("Indicator", "Jaar", "Waarde", "Doel", "Status", "Sinds vorige levering")]
    for r in rows:
        value = format_value(r["value"], r["unit"])
        in_progress = r["cutoff"] is not None and (r["cutoff"].month, r["cutoff"].day) != (12, 31)
        if r["accrual"] == "sum" and r["expected_to_date"] is not None and r["value"] is not None and in_progress:
            value += f" (verwacht tot nu: {format_value(r['expected_to_date'], r['unit'])})"
        change = "" if r["change"] is None else _signed(r["change"], r["unit"])
        status = r["status_nl"] + (f": {r['note_nl']}" if r["note_nl"] else "")  # as shown: "ter informatie"
        table.append((r["label_nl"], str(r["year"]), value, r["target_text_nl"], status, change))
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]) - 1)]
    lines = [head, ""]
    for i, row in enumerate(table):
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)) + "  " + row[-1])
        if i == 0:
            lines.append("-" * (sum(widths) + 2 * len(widths) + len(row[-1])))
    return "\n".join(line.rstrip() for line in lines)


def _signed(change: float, unit: str) -> str:
    if abs(change) < 1e-9:
        return "gelijk"
    if unit == "ratio":
        pp = change * 100
        return (f"{pp:+.1f}" if abs(pp) < 1 else f"{pp:+.0f}").replace(".", ",") + " procentpunt"
    text = format_value(abs(change), unit)
    return ("+" if change > 0 else "-") + text


def cli_deals(args: argparse.Namespace) -> int:
    try:
        frame = deals(_open(args.db))
    except MissingDatabase:
        return _missing_db(args.db)
    except duckdb.Error as e:
        return _fail(f"de database {args.db} kon niet worden gelezen ({e.__class__.__name__}).")
    rows = frame.select("code", "name", "start", "end", "peildatum").to_dicts()
    if args.json:
        print(json.dumps([{k: _jsonable(v) for k, v in r.items()} for r in rows], ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("Er staan nog geen deals in de database. Laad een levering met `stuurhut load BESTAND`.")
        return 0
    table = [("Code", "Naam", "Start", "Einde", "Peildatum")]
    table += [(r["code"], r["name"], _nl_date(r["start"]), _nl_date(r["end"]), _nl_date(r["peildatum"])) for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(5)]
    print("\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in table))
    return 0
