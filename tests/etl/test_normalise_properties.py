"""Property tests for etl.normalise: round trips of Dutch formats and the invalid-mask contract."""

from __future__ import annotations

import calendar
import datetime as dt
import unicodedata
from decimal import Decimal

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.contract import PROGRESS_STATUSES
from etl.normalise import likert_score, normalise

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
KINDS = ("text", "code", "year", "count", "money", "number", "percent", "date", "date_or_quarter", "month",
         "score", "bool", "enum")
MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december")
MONTHS_EN = tuple(calendar.month_name)[1:]
KORT = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def dutch(d: Decimal, *, thousands: bool) -> str:
    """A Decimal the way a Dutch spreadsheet shows it: 1.234.567,89 (or 1234567,89)."""
    sign = "-" if d < 0 else ""
    whole, _, frac = format(abs(d), "f").partition(".")
    if thousands:
        whole = f"{int(whole):,}".replace(",", ".")
    return sign + whole + ("," + frac if frac else "")


def is_empty(value: str | None) -> bool:
    """Independent of the implementation: None, or only whitespace / zero-width characters after NFKC."""
    if value is None:
        return True
    return all(c.isspace() or c in "\u200b\ufeff" for c in unicodedata.normalize("NFKC", value))


amounts = st.decimals(min_value=Decimal("-1e14"), max_value=Decimal("1e14"), places=2, allow_nan=False,
                      allow_infinity=False)


@FAST
@given(st.lists(st.tuples(amounts, st.integers(0, 7)), min_size=1, max_size=20))
def test_money_round_trips_dutch_text(items):
    def render(d: Decimal, style: int) -> str:
        text = dutch(abs(d), thousands=style % 2 == 0)
        if style in (2, 3):
            text = "€ " + text
        elif style in (4, 5):
            text = "€" + text
        elif style == 6 and d == d.to_integral_value():
            text = "€ " + dutch(abs(d).quantize(Decimal(1)), thousands=True) + ",-"
        if d < 0:
            return f"({text})" if style == 7 else "-" + text
        return text

    texts = [render(d, style) for d, style in items]
    values, invalid = normalise(pl.Series(texts), "money")
    assert values.to_list() == [d for d, _ in items], texts
    assert not invalid.any()


@FAST
@given(st.lists(st.decimals(min_value=Decimal("-1e13"), max_value=Decimal("1e13"), places=2, allow_nan=False,
                            allow_infinity=False), min_size=1, max_size=20))
def test_money_from_floats_is_the_decimal_excel_shows(amounts_):
    values, invalid = normalise(pl.Series([float(d) for d in amounts_], dtype=pl.Float64), "money")
    assert values.to_list() == amounts_
    assert not invalid.any()


@FAST
@given(st.lists(st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=6, allow_nan=False,
                            allow_infinity=False), min_size=1, max_size=20))
def test_number_round_trips_with_decimal_comma(numbers):
    texts = [dutch(d, thousands=False) for d in numbers]
    values, invalid = normalise(pl.Series(texts), "number")
    assert values.to_list() == [float(d) for d in numbers]
    assert not invalid.any()


@FAST
@given(st.lists(st.integers(-(2**31) + 1, 2**31 - 1), min_size=1, max_size=20))
def test_count_round_trips_with_thousands_dots(counts):
    texts = [dutch(Decimal(n), thousands=True) for n in counts]
    values, invalid = normalise(pl.Series(texts), "count")
    assert values.to_list() == counts
    assert not invalid.any()


percentages = st.integers(0, 4).flatmap(
    lambda places: st.decimals(min_value=0, max_value=1000, places=places, allow_nan=False, allow_infinity=False)
)


@FAST
@given(st.lists(st.tuples(percentages, st.sampled_from(["%", " %", ""])), min_size=1, max_size=20))
def test_percentages_round_trip_exactly(items):
    texts = [dutch(d, thousands=False) + sign for d, sign in items]
    values, invalid = normalise(pl.Series(texts), "percent")
    # the exact decimal, divided by 100 by shifting, converted to float once
    want = [float(d.scaleb(-2)) if sign or d > 1 else float(d) for d, sign in items]
    assert values.to_list() == want, texts
    assert not invalid.any()
    floats, _ = normalise(pl.Series([float(d) for d, _ in items], dtype=pl.Float64), "percent")
    assert floats.to_list() == [float(d.scaleb(-2)) if d > 1 else float(d) for d, _ in items]


dates = st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31))
DATE_FORMATS = (
    lambda d: f"{d.day:02d}-{d.month:02d}-{d.year}",
    lambda d: f"{d.day}-{d.month}-{d.year}",
    lambda d: f"{d.day}/{d.month}/{d.year}",
    lambda d: f"{d.day:02d}.{d.month:02d}.{d.year}",
    lambda d: f"{d.day} {MAANDEN[d.month - 1]} {d.year}",
    lambda d: f"{d.day} {KORT[d.month - 1]}. {d.year}",
    lambda d: f"{d.day} {MAANDEN[d.month - 1].capitalize()} {d.year}",
    lambda d: f"{MONTHS_EN[d.month - 1]} {d.day}, {d.year}",
    lambda d: f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}",
    lambda d: d.isoformat(),
    lambda d: d.isoformat() + " 14:30",
)


@FAST
@given(st.lists(st.tuples(dates, st.integers(0, len(DATE_FORMATS) - 1)), min_size=1, max_size=20))
def test_dates_round_trip(items):
    texts = [DATE_FORMATS[i](d) for d, i in items]
    values, invalid = normalise(pl.Series(texts), "date")
    assert values.to_list() == [d for d, _ in items], texts
    assert not invalid.any()


@FAST
@given(st.lists(st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)), min_size=1, max_size=20))
def test_excel_serials_round_trip(days):
    serials = [(d - dt.date(1899, 12, 30)).days for d in days]
    values, _ = normalise(pl.Series(serials), "date")
    assert values.to_list() == days


QUARTER_FORMATS = ("{y}-Q{q}", "Q{q} {y}", "{y} Q{q}", "Q{q}-{y}", "kw{q} {y}", "{y}-K{q}", "K{q} {y}", "q{q} {y}")


@FAST
@given(st.lists(st.tuples(st.integers(1000, 9999), st.integers(1, 4), st.sampled_from(QUARTER_FORMATS)),
                min_size=1, max_size=20))
def test_quarters_round_trip_to_their_last_day(items):
    texts = [fmt.format(y=y, q=q) for y, q, fmt in items]
    values, invalid = normalise(pl.Series(texts), "date_or_quarter")
    want = [dt.date(y, 3 * q, calendar.monthrange(y, 3 * q)[1]) for y, q, _ in items]
    assert values.to_list() == want, texts
    assert not invalid.any()


MONTH_FORMATS = (
    lambda d: f"{d.year}-{d.month:02d}",
    lambda d: f"{d.month}-{d.year}",
    lambda d: f"{d.year}/{d.month}",
    lambda d: f"{KORT[d.month - 1]} {d.year}",
    lambda d: f"{MAANDEN[d.month - 1]} {d.year}",
    lambda d: f"{MONTHS_EN[d.month - 1]} {d.year}",
    lambda d: f"{d.day}-{d.month}-{d.year}",
)


@FAST
@given(st.lists(st.tuples(dates, st.integers(0, len(MONTH_FORMATS) - 1)), min_size=1, max_size=20))
def test_months_round_trip(items):
    texts = [MONTH_FORMATS[i](d) for d, i in items]
    values, invalid = normalise(pl.Series(texts), "month")
    assert values.to_list() == [f"{d.year}-{d.month:02d}" for d, _ in items], texts
    assert not invalid.any()


any_text = st.one_of(st.none(), st.text(), st.text(alphabet="0123456789.,-€ %()eurEURQKkwq/:"))


@FAST
@given(st.lists(any_text, min_size=1, max_size=12))
def test_never_raises_and_invalid_is_exactly_non_empty_and_unread(texts):
    empty = [is_empty(t) for t in texts]
    for kind in KINDS:
        values, invalid = normalise(pl.Series("kolom", texts, dtype=pl.String), kind, PROGRESS_STATUSES)
        got = values.to_list()
        assert len(got) == len(texts)
        assert invalid.to_list() == [not e and v is None for e, v in zip(empty, got, strict=True)], kind
        assert all(v is None for e, v in zip(empty, got, strict=True) if e), kind
        if kind == "enum":
            assert set(values.drop_nulls().to_list()) <= set(PROGRESS_STATUSES)


@FAST
@given(st.lists(st.one_of(st.none(), st.floats(), st.integers(-(2**62), 2**62).map(float)), min_size=1,
                max_size=12), st.sampled_from(KINDS))
def test_numeric_columns_never_raise(numbers, kind):
    values, invalid = normalise(pl.Series("kolom", numbers, dtype=pl.Float64), kind, PROGRESS_STATUSES)
    assert invalid.to_list() == [x is not None and v is None for x, v in zip(numbers, values.to_list(), strict=True)]


@FAST
@given(st.lists(st.text(), min_size=1, max_size=12))
def test_likert_never_raises_and_labels_are_in_range(texts):
    scores = likert_score(pl.Series(texts, dtype=pl.String))
    assert len(scores) == len(texts)
    assert scores.dtype == pl.Float64
