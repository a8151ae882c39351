"""format.formatted / formatted_rows: the fmt_* strings for a whole column, made in Python, never inside Polars."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import polars as pl
import pytest

from dashboard.format import (
    fmt_count,
    fmt_date,
    fmt_money,
    fmt_number,
    fmt_ratio,
    fmt_value,
    formatted,
    formatted_rows,
)

VALUES = [0, 0.5, 1.5, 2.5, -1234.5, 1e9, None, math.nan]

# what the pages show, written out: nulls stay null (as map_elements did), NaN shows as "–"
EXPECTED = {
    ("nl", "money"): ["€ 0", "€ 0,50", "€ 1,50", "€ 2,50", "-€ 1.234,50", "€ 1.000.000.000", None, "–"],
    ("en", "money"): ["€ 0", "€ 0.50", "€ 1.50", "€ 2.50", "-€ 1,234.50", "€ 1,000,000,000", None, "–"],
    ("nl", "count"): ["0", "0", "2", "2", "-1.234", "1.000.000.000", None, "–"],
    ("en", "count"): ["0", "0", "2", "2", "-1,234", "1,000,000,000", None, "–"],
    ("nl", "ratio"): ["0%", "50%", "150%", "250%", "-123.450%", "100.000.000.000%", None, "–"],
    ("en", "ratio"): ["0%", "50%", "150%", "250%", "-123,450%", "100,000,000,000%", None, "–"],
    ("nl", "one"): ["0,0", "0,5", "1,5", "2,5", "-1.234,5", "1.000.000.000,0", None, "–"],
    ("en", "one"): ["0.0", "0.5", "1.5", "2.5", "-1,234.5", "1,000,000,000.0", None, "–"],
}
CALLS = {
    "money": (fmt_money, ()),
    "count": (fmt_count, ()),
    "ratio": (fmt_ratio, ()),
    "one": (lambda v, decimals, lang: fmt_number(v, decimals, lang), (1,)),
}


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("kind", list(CALLS))
def test_formatted_gives_the_fmt_strings(lang: str, kind: str) -> None:
    fn, extra = CALLS[kind]
    got = formatted(pl.Series("bedrag", VALUES, dtype=pl.Float64), fn, *extra, lang)
    assert got.to_list() == EXPECTED[(lang, kind)]
    assert got.to_list() == [None if v is None else fn(v, *extra, lang) for v in VALUES]
    assert (got.name, got.dtype) == ("bedrag", pl.String)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_without_skipping_nulls_a_missing_value_shows_a_dash(lang: str) -> None:
    got = formatted(pl.Series(VALUES, dtype=pl.Float64), fmt_money, lang, skip_nulls=False)
    assert got.to_list() == [*EXPECTED[(lang, "money")][:6], "–", "–"]
    assert got.to_list() == [fmt_money(v, lang) for v in VALUES]


def test_formatted_over_decimal_integer_and_date_columns() -> None:
    money = pl.Series("m", [Decimal("12500.00"), Decimal("-300.50"), None], dtype=pl.Decimal(18, 2))
    assert formatted(money, fmt_money, "nl").to_list() == ["€ 12.500", "-€ 300,50", None]
    assert formatted(pl.Series([6, 12500, None]), fmt_value, "count", "en").to_list() == ["6", "12,500", None]
    dates = pl.Series([dt.date(2021, 12, 17), None])
    assert formatted(dates, fmt_date, "nl").to_list() == ["17 december 2021", None]
    assert formatted(dates, fmt_date, "en", skip_nulls=False).to_list() == ["17 December 2021", "–"]


def test_formatted_of_an_empty_column_is_an_empty_text_column() -> None:
    got = formatted(pl.Series("x", [], dtype=pl.Float64), fmt_money, "nl")
    assert (got.len(), got.dtype, got.name) == (0, pl.String, "x")


def test_formatted_rows_reads_several_columns_per_row() -> None:
    df = pl.DataFrame({"mean_score": [4.25, 3.0], "respondents": [11, 7]})
    got = formatted_rows(df, lambda r: f"{fmt_number(r['mean_score'], 1, 'nl')} (n={r['respondents']})")
    assert (got.name, got.to_list()) == ("label", ["4,2 (n=11)", "3,0 (n=7)"])
    assert formatted_rows(df.clear(), str, name="tekst").to_list() == []
