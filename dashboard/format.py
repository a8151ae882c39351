"""Dutch (and English) formatting of counts, shares, amounts, dates and targets; pure, shared by pages and slides."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

import polars as pl

DASH = "–"  # shown for a missing value

MONTHS = {
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
}
_SEP = {"nl": (".", ","), "en": (",", ".")}  # (thousands, decimal)


def _missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def fmt_number(x: float | int | None, decimals: int = 0, lang: str = "nl") -> str:
    """1234567.891 -> "1.234.567,89" (nl) or "1,234,567.89" (en); hyphen-minus for negatives."""
    if _missing(x):
        return DASH
    thousands, decimal = _SEP.get(lang, _SEP["nl"])
    value = round(float(x), decimals)
    text = f"{abs(value):,.{decimals}f}"
    text = text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)
    return ("-" if value < 0 else "") + text  # round first so -0.001 never shows as "-0"


def fmt_count(x: float | int | None, lang: str = "nl") -> str:
    """6 -> "6", 12500 -> "12.500"."""
    return fmt_number(x, 0, lang)


def fmt_ratio(x: float | None, lang: str = "nl", decimals: int = 0) -> str:
    """A fraction as a percentage: 0.78 -> "78%"."""
    if _missing(x):
        return DASH
    return fmt_number(float(x) * 100, decimals, lang) + "%"


def fmt_money(x: float | int | None, lang: str = "nl", decimals: int | None = None) -> str:
    """12500 -> "€ 12.500"; cents only when there are any (12500.5 -> "€ 12.500,50"); -300 -> "-€ 300"."""
    if _missing(x):
        return DASH
    value = float(x)
    if decimals is None:
        decimals = 0 if round(value, 2) == round(value) else 2
    sign = "-" if round(value, decimals) < 0 else ""
    return f"{sign}€ {fmt_number(abs(value), decimals, lang)}"


def fmt_value(x: float | int | None, unit: str, lang: str = "nl") -> str:
    """Format by indicator unit: count, ratio or euro."""
    if unit == "ratio":
        return fmt_ratio(x, lang)
    if unit == "euro":
        return fmt_money(x, lang)
    return fmt_count(x, lang)


def fmt_change(change: float | int | None, unit: str, lang: str = "nl") -> str:
    """A signed change: "+2", "-5 procentpunt", "+€ 1.000"; "" when there is nothing to compare with."""
    if _missing(change):
        return ""
    value = float(change)
    if unit == "ratio":
        value = round(value * 100)
        body = f"{fmt_number(abs(value), 0, lang)} {'procentpunt' if lang == 'nl' else 'percentage points'}"
    elif unit == "euro":
        value = round(value, 2)
        body = fmt_money(abs(value), lang)
    else:
        value = round(value)
        body = fmt_count(abs(value), lang)
    return ("+" if value > 0 else "-" if value < 0 else "") + body


def is_change(change: float | int | None, unit: str) -> bool:
    """Whether a change shows as something other than zero in its unit (0.1 percentage point does not)."""
    if _missing(change):
        return False
    return fmt_change(change, unit) not in ("0", "0 procentpunt", "€ 0")


def fmt_date(d: dt.date | dt.datetime | str | None, lang: str = "nl") -> str:
    """date(2021, 12, 17) -> "17 december 2021" ("17 December 2021" in English)."""
    if d is None or d == "":
        return DASH
    if isinstance(d, str):
        d = dt.date.fromisoformat(d[:10])
    return f"{d.day} {MONTHS.get(lang, MONTHS['nl'])[d.month - 1]} {d.year}"


def fmt_datetime(d: dt.datetime | None, lang: str = "nl") -> str:
    """datetime(2021, 12, 17, 9, 5) -> "17 december 2021 09:05"."""
    if d is None:
        return DASH
    return f"{fmt_date(d, lang)} {d:%H:%M}"


def fmt_target(target_min: float | None, target_max: float | None, unit: str, lang: str = "nl") -> str:
    """A target in words: "6", "6 tot 9", "minstens 80%", "hoogstens 3", "geen doel"."""
    lo = None if _missing(target_min) else target_min
    hi = None if _missing(target_max) else target_max
    nl = lang == "nl"
    if lo is None and hi is None:
        return "geen doel" if nl else "no target"
    if lo is not None and hi is not None:
        if lo == hi:
            return fmt_value(lo, unit, lang)
        return f"{fmt_value(lo, unit, lang)} {'tot' if nl else 'to'} {fmt_value(hi, unit, lang)}"
    if lo is not None:
        return f"{'minstens' if nl else 'at least'} {fmt_value(lo, unit, lang)}"
    return f"{'hoogstens' if nl else 'at most'} {fmt_value(hi, unit, lang)}"


def formatted(values: pl.Series, fn: Callable[..., str | None], *args: object, skip_nulls: bool = True) -> pl.Series:
    """`fn(value, *args)` for each value of a small Series (chart or table rows), as a String Series of the same name.

    Runs in Python on the calling thread, never as a Polars callback (map_elements and the like): a native Polars
    call that holds the GIL while it waits for Polars' thread pool hangs the server for good when another session
    has a callback on that pool waiting for the GIL. skip_nulls: None stays None (as map_elements did); False
    hands None to fn too, so fmt_* show "–". NaN is a value, not a null: fmt_* show it as "–".
    """
    return pl.Series(values.name, [None if v is None and skip_nulls else fn(v, *args) for v in values.to_list()],
                     dtype=pl.String)


def formatted_rows(frame: pl.DataFrame, fn: Callable[[dict[str, Any]], str | None], name: str = "label") -> pl.Series:
    """`fn(row)` for each row of a small frame (a dict per row), as a String Series: text from several columns."""
    return pl.Series(name, [fn(row) for row in frame.iter_rows(named=True)], dtype=pl.String)
