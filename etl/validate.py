"""Vectorised validation of a read sheet against its contract model: typed frame plus Dutch problems."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from etl.contract_view import Column, SheetView, by_sheet, columns
from etl.normalise import expected, likert_score, normalise
from etl.problems import Problem, RawSheet

MAX_MESSAGES = 50  # per column and check; the rest is summarised in one line
# RawSheet.extra key set by the reader: {field: Excel rows whose cell is a number} for a column that mixes
# numbers and text (calamine reads it as text); those cells are read as numbers, never as Dutch text
NUMBER_ROWS = "number_rows"

POLARS_TYPES: dict[str, pl.DataType] = {
    "text": pl.String(), "code": pl.String(), "enum": pl.String(), "month": pl.String(),
    "year": pl.Int32(), "count": pl.Int32(), "score": pl.Int32(),
    "money": pl.Decimal(18, 2), "number": pl.Float64(), "percent": pl.Float64(),
    "date": pl.Date(), "date_or_quarter": pl.Date(), "bool": pl.Boolean(),
}

# "'twaalf' is geen bedrag" and "vul een bedrag in", per kind.
NOUN = {
    "text": "tekst", "code": "code", "year": "jaartal", "count": "aantal", "money": "bedrag", "number": "getal",
    "percent": "percentage", "date": "datum", "date_or_quarter": "datum of kwartaal", "month": "meting",
    "score": "score", "bool": "ja/nee-waarde", "enum": "waarde",
}
FILL = {
    "text": "een tekst", "code": "een code", "year": "een jaartal", "count": "een aantal", "money": "een bedrag",
    "number": "een getal", "percent": "een percentage", "date": "een datum", "date_or_quarter": "een datum of kwartaal",
    "month": "een meting zoals 2021-11", "score": "een score van 1 tot en met 5", "bool": "ja of nee",
}
COUNT_WORDS = {2: "twee", 3: "drie", 4: "vier", 5: "vijf"}


@dataclass
class Context:
    """What validation needs beyond the sheet itself.

    refs maps a reference ("Onderdelen.code") to the known values: those of the same batch when the
    batch delivers that sheet (it replaces the current one), else the deal's current data in the
    database; a reference missing from refs cannot be checked and gives one warning.
    """

    deal: str | None = None
    peildatum: dt.date | None = None
    refs: dict[str, pl.Series] = field(default_factory=dict)
    today: dt.date = field(default_factory=dt.date.today)


# --- helpers -------------------------------------------------------------------------------------------


def show(value: object) -> str:
    """A cell value as the user typed it (12.0 from Excel shows as 12)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d-%m-%Y") if value.time() == dt.time() else value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    return str(value)


def rows_text(rows: list[int]) -> str:
    """'5 en 9', '5, 9 en 12'."""
    parts = [str(r) for r in rows]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " en " + parts[-1]


class _Collector:
    """Builds capped problem lists from already-filtered failing rows."""

    def __init__(self, raw: RawSheet) -> None:
        self.raw = raw
        self.problems: list[Problem] = []

    def add(self, row: int | None, column: str | None, message: str, severity: str = "error", slot: tuple = ()) -> None:
        """slot: which check of which column this is (see _Merged); the whole-sheet collector needs no slots."""
        self.problems.append(self._problem(row, column, message, severity))

    def _problem(self, row: int | None, column: str | None, message: str, severity: str) -> Problem:
        return Problem(self.raw.file, self.raw.model.sheet, row, column, message, severity)

    def rows(self, failing: pl.DataFrame, column: str, message: Callable[[dict], str], severity: str = "error",
             slot: tuple = ()) -> None:
        """failing: the rows that fail one check (with "__row"); at most MAX_MESSAGES messages, then a summary."""
        for rec in failing.head(MAX_MESSAGES).iter_rows(named=True):
            self.add(rec["__row"], column, message(rec), severity)
        rest = failing.height - MAX_MESSAGES
        if rest > 0:
            self.add(None, column, _more(rest), severity)


def _more(rest: int) -> str:
    return f"... en nog {rest} {'rij' if rest == 1 else 'rijen'} met hetzelfde probleem"


class _Merged(_Collector):
    """The problems of a sheet validated batch by batch, as validate() gives them for the whole sheet at once.

    Every check reports under a slot, (stage, column index, check) in the order validate() runs them; per slot the
    first MAX_MESSAGES failing rows over all batches (batches come in row order) and one summary of the rest, a
    whole-sheet problem (a missing column, an unchecked reference) once. done() lists them in slot order.
    """

    def __init__(self, raw: RawSheet) -> None:
        super().__init__(raw)
        self.slots: dict[tuple, tuple[list[Problem], list[int], str | None, str]] = {}

    def _slot(self, slot: tuple, column: str | None, severity: str) -> tuple[list[Problem], list[int], str | None, str]:
        return self.slots.setdefault(slot, ([], [0], column, severity))

    def add(self, row: int | None, column: str | None, message: str, severity: str = "error", slot: tuple = ()) -> None:
        found, _, _, _ = self._slot(slot, column, severity)
        if not found:  # the same whole-sheet problem comes from every batch
            found.append(self._problem(row, column, message, severity))

    def rows(self, failing: pl.DataFrame, column: str, message: Callable[[dict], str], severity: str = "error",
             slot: tuple = ()) -> None:
        found, count, _, _ = self._slot(slot, column, severity)
        room = MAX_MESSAGES - len(found)
        if room > 0:
            found += [self._problem(rec["__row"], column, message(rec), severity)
                      for rec in failing.head(room).iter_rows(named=True)]
        count[0] += failing.height

    def done(self) -> list[Problem]:
        out: list[Problem] = []
        for slot in sorted(self.slots):
            found, count, column, severity = self.slots[slot]
            out += found
            if count[0] > MAX_MESSAGES:
                out.append(self._problem(None, column, _more(count[0] - MAX_MESSAGES), severity))
        return out


# --- validation ----------------------------------------------------------------------------------------


def validate(raw: RawSheet, ctx: Context) -> tuple[pl.DataFrame, list[Problem]]:
    """Check one sheet against its contract; returns the typed frame (source_row + fields) and the problems.

    A sheet read in slices (raw.chunks) is validated whole here; validate_batches keeps it in slices.
    """
    model = raw.model
    out = _Collector(raw)
    result = _typed(raw, raw.chunks.frame() if raw.chunks is not None else raw.frame, ctx, out)
    cols = columns(model)
    _check_key(model, cols, result, out)
    _check_sheet_rules(model, result, ctx, out)
    return _scored(model, result), out.problems


def validate_batches(raw: RawSheet, ctx: Context, sink: Callable[[pl.DataFrame], object]) -> tuple[int, list[Problem]]:
    """validate() for a sheet read in slices (raw.chunks), one slice at a time: each typed slice goes to sink() and
    is let go. Returns the rows and the problems, the same as validate() gives for the whole sheet: the checks
    across rows (duplicate keys) run on the key columns of all slices, kept until the end."""
    model = raw.model
    cols = columns(model)
    out = _Merged(raw)
    keys: list[pl.DataFrame] = []
    rows = 0
    for frame in raw.chunks.frames():
        result = _typed(raw, frame, ctx, out)
        del frame
        if model.key:
            keys.append(result.select("source_row", *model.key))
        _check_sheet_rules(model, result, ctx, out)
        rows += result.height
        sink(_scored(model, result))
        del result
    if keys:
        _check_key(model, cols, pl.concat(keys), out)
    return rows, out.done()


def _scored(model: SheetView, result: pl.DataFrame) -> pl.DataFrame:
    if model.table == "survey":
        result = result.with_columns(likert_score(result["answer"]).cast(pl.Float64).alias("score"))
    return result


def _typed(raw: RawSheet, frame: pl.DataFrame, ctx: Context, out: _Collector) -> pl.DataFrame:
    """The typed frame of (a slice of) a sheet, its values and references checked; problems go to out."""
    model = raw.model
    if "__row" not in frame.columns:  # a reader that gives no row numbers: header on row 1
        frame = frame.with_row_index("__row", offset=2)
    frame = frame.with_columns(pl.col("__row").cast(pl.Int64))
    n = frame.height
    typed: dict[str, pl.Series] = {"source_row": frame["__row"].cast(pl.Int32).alias("source_row")}
    cols = columns(model)

    for i, c in enumerate(cols):
        if c.name in frame.columns:
            source = frame[c.name]
        elif c.name in raw.extra:
            source = pl.Series(c.name, [raw.extra[c.name]] * n)
        else:
            if c.required and n:
                out.add(None, c.header, f"Kolom {c.header} ontbreekt op dit tabblad: voeg een kolom {c.header} toe",
                        slot=(0, i, 0))
            typed[c.name] = pl.Series(c.name, [None] * n, dtype=POLARS_TYPES[c.kind])
            continue
        values, invalid = _normalise(source, frame["__row"], c, raw.extra.get(NUMBER_ROWS, {}).get(c.name))
        check = pl.DataFrame({"__row": frame["__row"], "orig": source, "v": values, "bad": invalid})

        if c.required:
            missing = check.filter(pl.col("v").is_null() & ~pl.col("bad"))
            what = ("een van: " + ", ".join(c.allowed)) if c.kind == "enum" else FILL.get(c.kind, "een waarde")
            out.rows(missing, c.header, lambda r, c=c, what=what: f"Kolom {c.header} is verplicht: vul {what} in",
                     slot=(0, i, 1))

        unreadable = check.filter(pl.col("bad"))
        if c.kind == "enum":
            choice = ", ".join(c.allowed)
            out.rows(unreadable, c.header,
                     lambda r, c=c, choice=choice: f"'{show(r['orig'])}' is geen geldige {c.header}; kies uit: {choice}",
                     slot=(0, i, 2))
        else:
            exp = expected(c.kind, c.allowed)
            out.rows(unreadable, c.header,
                     lambda r, c=c, exp=exp: f"'{show(r['orig'])}' is geen {NOUN[c.kind]}; verwacht {exp}",
                     slot=(0, i, 2))

        _check_range(c, check, out, (0, i, 3))
        typed[c.name] = values
        del check, source, values, invalid

    del frame
    result = pl.DataFrame(list(typed.values()))
    del typed
    return _check_refs(model, cols, result, ctx, out)


def _normalise(source: pl.Series, rows: pl.Series, c: Column, number_rows: list[int] | None) -> tuple[pl.Series, pl.Series]:
    """(typed values, invalid mask) of one column; number cells of a mixed text column are read as numbers."""
    dtype = POLARS_TYPES[c.kind]
    if not number_rows or source.dtype != pl.String:
        values, invalid = normalise(source, c.kind, c.allowed)
        return values.alias(c.name).cast(dtype), invalid.fill_null(False)
    # calamine wrote the number as its shortest round-trip text ("1.234", "2500"): read it back as a float
    is_number = rows.is_in(pl.Series(number_rows, dtype=rows.dtype))
    number = pl.select(pl.when(is_number).then(source.str.strip_chars().cast(pl.Float64, strict=False))).to_series()
    text = pl.select(pl.when(number.is_null()).then(source)).to_series()
    v_num, bad_num = normalise(number.alias(c.name), c.kind, c.allowed)
    v_text, bad_text = normalise(text.alias(c.name), c.kind, c.allowed)
    values = v_num.cast(dtype).fill_null(v_text.cast(dtype)).alias(c.name)
    return values, (bad_num.fill_null(False) | bad_text.fill_null(False)).alias(c.name)


def _check_range(c: Column, check: pl.DataFrame, out: _Collector, slot: tuple) -> None:
    v = pl.col("v")
    rules = {
        "year": (~v.is_between(2000, 2100), "ligt niet tussen 2000 en 2100; vul een jaartal zoals 2022 in"),
        "money": (v < 0, "is negatief; vul een bedrag van 0 of meer in"),
        "count": (v < 0, "is negatief; vul een aantal van 0 of meer in"),
        "percent": (~v.is_between(0.0, 1.0), "ligt niet tussen 0% en 100%; vul een percentage zoals 40% in"),
        "score": (~v.is_between(1, 5), "ligt niet tussen 1 en 5; vul een score van 1 tot en met 5 in"),
    }
    if c.kind not in rules:
        return
    cond, text = rules[c.kind]
    failing = check.filter(v.is_not_null() & cond)
    out.rows(failing, c.header, lambda r: f"{c.header} {show(r['orig'])} {text}", slot=slot)


def _check_refs(model: SheetView, cols: tuple[Column, ...], result: pl.DataFrame, ctx: Context,
                out: _Collector) -> pl.DataFrame:
    """Unknown references are errors; a case-only difference is accepted and spelled as the referenced sheet does."""
    for i, c in enumerate(cols):
        if not c.ref:
            continue
        ref_sheet, ref_field = c.ref.split(".")
        known = ctx.refs.get(c.ref)
        values = result[c.name]
        if values.null_count() == values.len():
            continue
        ref_header = next(x.header for x in columns(by_sheet(ref_sheet)) if x.name == ref_field)
        if known is None:
            out.add(None, c.header, f"{c.header} kon niet worden gecontroleerd: het tabblad {ref_sheet} is nog niet "
                                    f"aangeleverd voor deze deal", "warning", slot=(1, i, 0))
            continue
        canon = (pl.DataFrame({"__canon": known.cast(pl.String)}).drop_nulls()
                 .with_columns(__k=pl.col("__canon").str.to_lowercase()).unique("__k", keep="first", maintain_order=True))
        joined = (pl.DataFrame({"__row": result["source_row"], "v": values})
                  .with_columns(__k=pl.col("v").str.to_lowercase())
                  .join(canon, on="__k", how="left", maintain_order="left"))
        failing = joined.filter(pl.col("v").is_not_null() & pl.col("__canon").is_null())
        out.rows(failing, c.header,
                 lambda r, c=c, s=ref_sheet, h=ref_header: (
                     f"{c.header} '{r['v']}' staat niet op het tabblad {s} (kolom {h}); "
                     f"gebruik een bestaande {h} of voeg de rij daar toe"), slot=(1, i, 1))
        result = result.with_columns(joined["__canon"].fill_null(joined["v"]).alias(c.name))
    return result


def _check_key(model: SheetView, cols: tuple[Column, ...], result: pl.DataFrame, out: _Collector) -> None:
    if not model.key or result.is_empty():
        return
    by_name = {c.name: c for c in cols}
    keys = list(model.key)
    required = [k for k in keys if by_name[k].required]
    frame = result.select("source_row", *keys)
    if required:  # rows with an empty required key part are already reported as missing
        frame = frame.filter(pl.all_horizontal(pl.col(required).is_not_null()))
    dup = frame.filter(pl.struct(keys).is_duplicated())
    if dup.is_empty():
        return
    groups = dup.group_by(keys, maintain_order=True).agg(pl.col("source_row").sort().alias("rows"))
    column = by_name[keys[0]].header

    def value(k: str, v: object) -> str:
        # a personal key part (respondent, e-mail) never goes into a message: messages reach logs and screens
        return "(leeg)" if v is None else "(persoonsgegeven, niet getoond)" if by_name[k].pii else show(v)

    def message(rec: dict) -> str:
        rows = rec["rows"]
        times = COUNT_WORDS.get(len(rows), str(len(rows)))
        if len(keys) == 1:
            what = f"{column} {value(keys[0], rec[keys[0]])}"
        else:
            parts = [f"{by_name[k].header} {value(k, rec[k])}" for k in keys]
            what = "De combinatie " + ", ".join(parts)
        return f"{what} komt {times} keer voor (rij {rows_text(rows)}); elke {column} mag maar één keer voorkomen" \
            if len(keys) == 1 else f"{what} komt {times} keer voor (rij {rows_text(rows)}); maak de rijen uniek of voeg ze samen"

    failing = groups.with_columns(__row=pl.col("rows").list.get(1))
    out.rows(failing, column, message, slot=(2,))


def _check_sheet_rules(model: SheetView, result: pl.DataFrame, ctx: Context, out: _Collector) -> None:
    if model.table == "deal":
        if result.height == 0:
            out.add(None, None, "Tabblad Deal is leeg: vul één rij in met Code en Naam van de deal", slot=(3, 0))
        elif result.height > 1:
            rows = result["source_row"].to_list()
            out.add(rows[1], None, f"Tabblad Deal heeft {result.height} rijen (rij {rows_text(rows[:MAX_MESSAGES])}); "
                                   "laat er één over: één deal per levering", slot=(3, 0))
    if model.table == "milestones":
        peil = ctx.peildatum or ctx.today
        late = result.filter(pl.col("done") > pl.lit(peil)).select(__row="source_row", done="done")
        out.rows(late, "Gereed",
                 lambda r: f"Gereed {show(r['done'])} ligt na de Peildatum {show(peil)}; klopt de datum?", "warning",
                 slot=(3, 1))
