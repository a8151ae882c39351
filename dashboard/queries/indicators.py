"""The steering indicators of a deal: values from the warehouse, targets from the catalogue and Doelen, status rules."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import duckdb
import polars as pl

from dashboard.db import Warehouse
from etl.catalogue import BY_CODE, Indicator

STATUSES = ("on_target", "at_risk", "off_target", "no_data")
STATUS_NL = {
    "on_target": "op koers",
    "at_risk": "risico",
    "off_target": "uit koers",
    "no_data": "geen gegevens",
}
STATUS_EN = {"on_target": "on target", "at_risk": "at risk", "off_target": "off target", "no_data": "no data"}
INFO_NL, INFO_EN = "ter informatie", "for information"  # how an indicator without a target is shown


def without_target(accrual: str | None, status: str | None) -> bool:
    """An indicator with a value but no target (accrual "none": the development budget carried over).

    It is shown "ter informatie" (INFO_NL, theme.INFO), never "op koers", and not counted among the indicators
    judged against a target; its status stays on_target in `stuurhut indicators --json`, whose statuses DESIGN.md
    fixes. Overspent it is at_risk: judged, and counted."""
    return accrual == "none" and status == "on_target"

# How far below the (expected) minimum still counts as at_risk rather than off_target.
RATIO_BAND = 0.10  # ten percentage points
COUNT_BAND_SHARE = 0.10  # ten percent of the expected minimum, at least one
PLAN_MARGIN = 0.10  # dev_budget_spent may trail the share of the year elapsed by this much
_EPS = 1e-9

SCHEMA: dict[str, pl.DataType] = {
    "deal": pl.String, "indicator": pl.String, "year": pl.Int32, "value": pl.Float64,
    "target_min": pl.Float64, "target_max": pl.Float64, "status": pl.String,
    "label_nl": pl.String, "label_en": pl.String, "unit": pl.String, "accrual": pl.String,
    "target_text_nl": pl.String, "target_note_nl": pl.String, "target_note_en": pl.String,
    "expected_to_date": pl.Float64, "status_nl": pl.String, "note_nl": pl.String,
    "previous_value": pl.Float64, "change": pl.Float64, "previous_status": pl.String,
    "source_file": pl.String, "source_sheet": pl.String, "delivered_at": pl.Datetime("us"),
    "peildatum": pl.Date, "cutoff": pl.Date,
}


class UnknownDeal(KeyError):
    """The deal code is not in the database."""


def deals(wh: Warehouse, as_of: dt.date | str | None = None) -> pl.DataFrame:
    """The deals in the database: code, name, start, end, peildatum (and ref_date, has_deal_sheet)."""
    return wh.sql("deals", as_of=_date(as_of))


def deal_peildatum(wh: Warehouse, deal: str, as_of: dt.date | str | None = None) -> dt.date | None:
    """The newest peildatum of the deal's current deliveries as of a date (None: the deal has none then)."""
    row = deals(wh, as_of).filter(pl.col("code") == deal)
    if row.is_empty():
        return None
    return row["peildatum"][0] or row["ref_date"][0]


def indicators(wh: Warehouse, deal: str, year: int | None = None, as_of: dt.date | str | None = None) -> pl.DataFrame:
    """Every catalogue indicator of a deal per year (or one year), as of a date, with status and change.

    previous_value/change compare with the indicators as of the day before the newest peildatum
    (docs/ARCHITECTURE.md, "As-of semantics"): what changed since the previous delivery.
    """
    as_of = _date(as_of)
    memo = getattr(wh, "memo", None)  # pages rerun on every click: keep the assessed frame per data version
    if memo is not None:
        return memo(("indicators", deal, year, as_of), lambda: _indicators(wh, deal, year, as_of))
    return _indicators(wh, deal, year, as_of)


def _indicators(wh: Warehouse, deal: str, year: int | None, as_of: dt.date | None) -> pl.DataFrame:
    _require_deal(wh, deal)
    now = evaluate(wh, deal, year, as_of)
    peil = deal_peildatum(wh, deal, as_of)
    if peil is None or now.is_empty():
        return now
    before = evaluate(wh, deal, year, peil - dt.timedelta(days=1)).select(
        "year", "indicator", pl.col("value").alias("prev"), pl.col("status").alias("prev_status"))
    out = now.join(before, on=["year", "indicator"], how="left", maintain_order="left")
    return out.with_columns(
        previous_value=pl.col("prev"),
        change=pl.col("value") - pl.col("prev"),
        previous_status=pl.col("prev_status"),
    ).drop("prev", "prev_status").select(list(SCHEMA))


def indicator_changes(wh: Warehouse, deal: str, year: int | None = None,
                      as_of: dt.date | str | None = None) -> pl.DataFrame:
    """The indicators whose value or status differs from the day before the newest peildatum.

    Columns: indicator, year, label_nl, value, previous_value, change, status, previous_status, since
    (the date compared with), unit. A value that appears (no data -> data) counts as a change.
    """
    as_of = _date(as_of)
    df = indicators(wh, deal, year, as_of)
    peil = deal_peildatum(wh, deal, as_of)
    since = peil - dt.timedelta(days=1) if peil else None
    changed = (
        (pl.col("value").is_null() != pl.col("previous_value").is_null())
        | (pl.col("change").abs() > _EPS).fill_null(False)
        | (pl.col("status") != pl.col("previous_status").fill_null("no_data"))
    )
    return df.filter(changed).select(
        "indicator", "year", "label_nl", "unit", "value", "previous_value", "change", "status", "previous_status",
        pl.lit(since, dtype=pl.Date).alias("since"),
    )


def evaluate(wh: Warehouse, deal: str, year: int | None, as_of: dt.date | None) -> pl.DataFrame:
    """Values as of a date with targets and status applied (no comparison with an earlier delivery)."""
    values = indicator_values(wh, deal, year, as_of)
    rows = [_assess(r) for r in values.iter_rows(named=True)]
    return pl.DataFrame(rows, schema=SCHEMA, orient="row") if rows else pl.DataFrame(schema=SCHEMA)


def indicator_values(wh: Warehouse, deal: str | None, year: int | None, as_of: dt.date | None) -> pl.DataFrame:
    """The indicator_values mart: for the newest deliveries from the table each load refreshes, else the macro."""
    if as_of is None:
        try:
            return wh.sql("indicator_values_now", deal=deal, year=year)
        except duckdb.CatalogException:  # a file loaded before the table existed (or its refresh failed)
            pass
    return wh.sql("indicator_values", deal=deal, year=year, as_of=as_of)


# --- rules (docs/INDICATOREN.md explains them to the kernteam) -----------------------------------------


def targets(ind: Indicator, row: dict[str, Any]) -> tuple[float | None, float | None]:
    """The year's target: the Doelen row if any (a ratio given as 80 means 0.8), else the defaults."""
    if row.get("has_override"):
        lo, hi = row["override_min"], row["override_max"]
        if ind.unit == "ratio":
            lo, hi = (_fraction(lo), _fraction(hi))
        return lo, hi
    if ind.code == "survey_respondents" and row.get("reference_value") is not None:
        return row["reference_value"], None  # at least as many as the previous wave
    if ind.code == "dev_budget_spent":
        # the plan: spending keeps pace with the year (its elapsed share, less a margin), and stays within
        # what is available
        return round(max(0.0, row["year_fraction"] - PLAN_MARGIN), 4), 1.0
    return ind.target_min, ind.target_max


def expected_minimum(ind: Indicator, lo: float | None, row: dict[str, Any]) -> float | None:
    """The minimum the value should have reached by the cutoff (whole counts rounded half up)."""
    if lo is None:
        return None
    if ind.accrual == "sum" and not row["year_complete"]:
        return float(math.floor(lo * row["year_fraction"] + 0.5))
    if ind.code == "end_results_ready":
        # end results are due at the end of the deal: in its final year the target grows with the year;
        # before that there is no expected share (see interim_status)
        if row["year"] < row["last_year"]:
            return None
        return lo if row["year_complete"] else lo * row["year_fraction"]
    return lo


DELAYED_OFF_TARGET = 0.25  # before the final year: this share of end results vertraagd is off target


def target_note(ind: Indicator, row: dict[str, Any]) -> dict[str, str | None]:
    """A word on how the target is applied where the plain target would mislead (Dutch and English)."""
    nl = en = None
    if ind.code == "end_results_ready" and row["year"] < row["last_year"]:
        nl = f"in {row['last_year']}; tot dan telt of er eindresultaten vertraagd zijn"
        en = f"in {row['last_year']}; until then, whether any end results are delayed"
    elif ind.accrual == "none":
        nl, en = "Ter informatie, geen doel; negatief betekent overbesteed", "For information, no target; negative means overspent"
    return {"target_note_nl": nl, "target_note_en": en}


def interim_status(ind: Indicator, row: dict[str, Any], value: float | None) -> str | None:
    """Before the deal's final year the end results are judged on delay, not on the share already gereed."""
    if ind.code != "end_results_ready" or value is None or row["year"] >= row["last_year"]:
        return None
    delayed = row.get("reference_value") or 0.0
    if delayed >= DELAYED_OFF_TARGET - _EPS:
        return "off_target"
    return "at_risk" if delayed > _EPS else "on_target"


def status_of(ind: Indicator, value: float | None, expected: float | None, hi: float | None) -> str:
    if value is None:
        return "no_data"
    if ind.accrual == "none":  # shown without a target; a negative carry-over means overspent money
        return "at_risk" if value < 0 else "on_target"
    if expected is not None and value < expected - _EPS:
        band = RATIO_BAND if ind.unit == "ratio" else max(1.0, math.floor(COUNT_BAND_SHARE * expected))
        return "at_risk" if value >= expected - band - _EPS else "off_target"
    # above the maximum: fine for things done per year (more meetings are no problem), a concern for
    # levels such as the number of partners ("beperkt nieuwe partners") or spending beyond the budget
    if hi is not None and value > hi + _EPS and ind.accrual == "level":
        return "at_risk"
    return "on_target"


def note_of(ind: Indicator, row: dict[str, Any], value: float | None) -> str:
    if value is not None:
        return ""
    if not row["year_started"]:
        return f"{row['year']} is nog niet begonnen"
    if row["source_file"] is None:
        return f"Tabblad {row['source_sheet']} is nog niet aangeleverd"
    if ind.code == "survey_respondents":
        return f"Nog geen meting van de enquête in {row['year']}"
    if ind.code in ("dev_budget_spent", "dev_budget_surplus"):
        return "Gerealiseerd is nog niet (voor alle posten) bekend"
    if ind.code == "contacts":
        return f"Geen export van de mailinglijst met peildatum op of voor {row['cutoff']:%d-%m-%Y}"
    if ind.code == "team_meetings":
        return "Geen ontwikkelteams bekend (tabblad Onderdelen)"
    return "Geen gegevens om dit te berekenen"


def target_words(ind: Indicator, lo: float | None, hi: float | None) -> str:
    """The target in Dutch words: '6 per jaar', '6 tot 9 per jaar', 'minstens 70%', 'geen doel'."""
    if ind.accrual == "none" or (lo is None and hi is None):
        return "geen doel"
    per_year = " per jaar" if ind.accrual == "sum" else ""
    if ind.code == "dev_budget_spent" and lo is not None:
        return f"volgens plan: minstens {format_value(lo, 'ratio')}, hoogstens {format_value(hi, 'ratio')}"
    f = lambda v: format_value(v, ind.unit)  # noqa: E731
    if lo is not None and hi is not None:
        return f"{f(lo)}{per_year}" if abs(lo - hi) < _EPS else f"{f(lo)} tot {f(hi)}{per_year}"
    if lo is not None:
        return f"minstens {f(lo)}{per_year}"
    return f"hoogstens {f(hi)}{per_year}"


def format_value(value: float | None, unit: str) -> str:
    """A value in Dutch notation: 78%, € 12.345, 6 (a dash when unknown)."""
    if value is None:
        return "–"
    if unit == "ratio":
        return f"{value * 100:.0f}%".replace(".", ",")
    if unit == "euro":
        sign = "-" if value < 0 else ""
        return f"{sign}€ {abs(value):,.0f}".replace(",", ".")
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.1f}".replace(",", "_").replace(".", ",").replace("_", ".")


def _assess(row: dict[str, Any]) -> dict[str, Any]:
    ind = BY_CODE[row["indicator"]]
    value = row["value"]
    lo, hi = targets(ind, row)
    expected = expected_minimum(ind, lo, row)
    status = interim_status(ind, row, value) or status_of(ind, value, expected, hi)
    return {
        "deal": row["deal"], "indicator": ind.code, "year": row["year"], "value": value,
        "target_min": lo, "target_max": hi, "status": status,
        "label_nl": ind.label_nl, "label_en": ind.label_en, "unit": ind.unit, "accrual": ind.accrual,
        "target_text_nl": target_words(ind, lo, hi), **target_note(ind, row), "expected_to_date": expected,
        "status_nl": INFO_NL if without_target(ind.accrual, status) else STATUS_NL[status],  # the word as shown
        "note_nl": note_of(ind, row, value),
        "previous_value": None, "change": None, "previous_status": None,
        "source_file": row["source_file"], "source_sheet": row["source_sheet"], "delivered_at": row["delivered_at"],
        "peildatum": row["ref_date"], "cutoff": row["cutoff"],
    }


def _fraction(v: float | None) -> float | None:
    return None if v is None else (v / 100.0 if v > 1.0 else v)


def _date(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return parse_date(value)


def parse_date(text: str) -> dt.date:
    """'2022-06-30' or '30-06-2022' -> date; ValueError otherwise."""
    text = text.strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return dt.datetime.strptime(text, "%d-%m-%Y").date()


def _require_deal(wh: Warehouse, deal: str) -> None:
    if deal not in set(deals(wh)["code"].to_list()):
        raise UnknownDeal(deal)
