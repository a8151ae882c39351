"""The contract's sheets and columns without pydantic: what the reader child needs to classify sheets and find headers.

etl/contract.py (pydantic) stays the single source. This module holds what the ETL derives from it (sheet names,
aliases, tables, keys and `Column`s) as plain dataclasses, read from a snapshot that `python -m etl.contract_view`
(run by `make bytecode`) writes to etl/__pycache__/contract_view-<digest>.json. The digest covers contract.py,
catalogue.py and this file, so an edited contract never meets an old snapshot: without a current one the same
views are derived from etl.contract here and now, as before, at the cost of importing pydantic (~0.1 s of CPU,
which the reader child spent beside calamine's parse of the biggest sheet on every `stuurhut load`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from etl.contract import Sheet

Kind = Literal[
    "text",  # free text, trimmed
    "code",  # short identifier, trimmed, case kept
    "year",  # integer 2000-2100
    "count",  # integer >= 0
    "money",  # Dutch or plain amount, >= 0, two decimals ("€ 1.234,56")
    "number",  # any Dutch or plain number (targets)
    "percent",  # 0.4, 40 or "40%" -> fraction 0..1
    "date",  # Excel date or "17-12-2021", "17 december 2021", "2021-12-17"
    "date_or_quarter",  # a date or "2022-Q2" / "Q2 2022" (-> last day of the quarter)
    "month",  # a measurement period "2021-11" (also a date -> its month)
    "score",  # integer 1-5
    "bool",  # ja/nee, yes/no, true/false, 1/0
    "enum",  # one of `allowed`, any case
]


@dataclass(frozen=True)
class Column:
    """A contract column as the ETL uses it (derived from a model field)."""

    sheet: str
    name: str  # field name = raw column name
    header: str  # Dutch header
    aliases: tuple[str, ...]
    kind: Kind
    required: bool
    allowed: tuple[str, ...]
    ref: str | None
    pii: bool
    help_nl: str
    help_en: str


DUCKDB_TYPES: dict[str, str] = {
    "text": "VARCHAR", "code": "VARCHAR", "year": "INTEGER", "count": "INTEGER", "money": "DECIMAL(18,2)",
    "number": "DOUBLE", "percent": "DOUBLE", "date": "DATE", "date_or_quarter": "DATE", "month": "VARCHAR",
    "score": "INTEGER", "bool": "BOOLEAN", "enum": "VARCHAR",
}

# Columns the loader adds to a sheet's raw table besides the contract fields.
DERIVED: dict[str, dict[str, str]] = {
    # numeric value of an answer: a number, or a Likert/ja-nee label mapped to 1-5 / 1-0
    "survey": {"score": "DOUBLE"},
}


@dataclass(frozen=True)
class SheetView:
    """A sheet model's class attributes and columns, as plain data (`columns(view)` gives its columns)."""

    sheet: str
    table: str
    sheet_aliases: tuple[str, ...]
    key: tuple[str, ...]
    cols: tuple[Column, ...]


def fold(text: str) -> str:
    """Match key for sheet and column names: lower case, no accents, spaces or punctuation."""
    t = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", t.lower())


_HERE = Path(__file__).resolve().parent
SOURCES = ("contract.py", "catalogue.py", "contract_view.py")


def digest() -> str:
    """What the snapshot was made from: the sources that shape it, and the Python that read them."""
    h = hashlib.sha256(sys.version.encode())
    for name in SOURCES:
        h.update((_HERE / name).read_bytes())
    return h.hexdigest()[:16]


def snapshot_path() -> Path:
    return _HERE / "__pycache__" / f"contract_view-{digest()}.json"


def derive() -> tuple[SheetView, ...]:
    """The views from the pydantic models themselves."""
    from etl import contract

    return tuple(SheetView(sheet=m.sheet, table=m.table, sheet_aliases=tuple(m.sheet_aliases), key=tuple(m.key),
                           cols=contract.columns(m)) for m in contract.SHEETS)


def _from_json(data: list[dict]) -> tuple[SheetView, ...]:
    tuples = ("aliases", "allowed")
    return tuple(SheetView(sheet=d["sheet"], table=d["table"], sheet_aliases=tuple(d["sheet_aliases"]), key=tuple(d["key"]),
                           cols=tuple(Column(**{k: tuple(v) if k in tuples else v for k, v in c.items()}) for c in d["cols"]))
                 for d in data)


def _load() -> tuple[SheetView, ...]:
    try:
        return _from_json(json.loads(snapshot_path().read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):  # no snapshot, an old one, or a damaged one
        return derive()


def write_snapshot() -> Path:
    """Write the current snapshot (atomically) and drop older ones; returns its path."""
    path = snapshot_path()
    path.parent.mkdir(exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps([dataclasses.asdict(v) for v in derive()], ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)
    for old in path.parent.glob("contract_view-*.json"):
        if old != path:
            old.unlink(missing_ok=True)
    return path


_VIEWS: tuple[SheetView, ...] | None = None
_BY_KEY: dict[str, SheetView] = {}
_BY_SHEET: dict[str, SheetView] = {}


def sheets() -> tuple[SheetView, ...]:
    """Every sheet's view in the contract's order; loaded on first use (etl.contract imports this module for
    Column and fold, so nothing may be derived from it while this module is imported)."""
    global _VIEWS
    if _VIEWS is None:
        views = _load()
        for v in views:
            for n in (v.sheet, v.table, *v.sheet_aliases):
                _BY_KEY.setdefault(fold(n), v)
            _BY_SHEET[v.sheet] = v
        _VIEWS = views
    return _VIEWS


def sheet_for(name: str) -> SheetView | None:
    """The contract sheet a workbook sheet or CSV file name stands for (its name, table or an alias, folded)."""
    sheets()
    return _BY_KEY.get(fold(name))


def by_sheet(name: str) -> SheetView:
    """The view of a contract sheet by its Dutch name; KeyError for another name."""
    sheets()
    return _BY_SHEET[name]


def columns(model: SheetView | type[Sheet]) -> tuple[Column, ...]:
    """The columns of a view, or of a pydantic sheet model (etl.contract.columns)."""
    if isinstance(model, SheetView):
        return model.cols
    from etl import contract

    return contract.columns(model)


if __name__ == "__main__":
    print(write_snapshot())
