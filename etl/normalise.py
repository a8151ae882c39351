"""Dutch spreadsheet values -> typed Polars columns: one pure, vectorised normaliser per contract kind.

``normalise(series, kind, allowed)`` returns ``(values, invalid)``. ``invalid`` is True exactly where
the input was non-empty and the output is null. Empty means null, or a string that is empty after
NFKC and stripping whitespace (Python's ``str.isspace`` set) and zero-width characters; empty input
gives null and is not invalid. Range checks (year 2000-2100, amounts >= 0, percent 0-1, score 1-5)
belong to validation: out-of-range values are returned as values.

| kind | typed as | accepted input |
| --- | --- | --- |
| text | String | NFKC, stripped; numbers as text (12.0 -> "12"), dates ISO, booleans ja/nee |
| code | String | as text, inner whitespace collapsed to one space |
| enum | String | NFKC, lower case, stripped, whitespace collapsed, then equal to an allowed value, or equal |
|      |        | once spaces, "-", "_", "." and "/" are removed, or a synonym (ENUM_SYNONYMS) whose target |
|      |        | is allowed. Accents and non-ASCII letters are kept: a Cyrillic "о" never matches "o" |
| money | Decimal(18, 2) | numbers (floats rounded half-up to cents on their shortest decimal form, so 2.675 -> |
|       |                | 2.68); text "€ 1.234,56", "1.234" (= 1234), "12,5", "1.234.567,89", "-€ 12,50", |
|       |                | "(12,50)" (negative), "1,234.56", "1,234,567", "EUR 12", "12,-", "€ 12.500,-", "1.5" |
|       |                | (= 1.50). Text is never read via float and never rounded: more than two decimals |
|       |                | ("1,234" or "0.125") is ambiguous and invalid |
| number | Float64 | as money with any number of decimals; a comma is a decimal comma ("1,234" = 1.234); |
|        |         | a "%" sign is dropped ("80%" -> 80) |
| percent | Float64 | fraction 0..1: a number <= 1 is a fraction (0.4), > 1 a percentage (40 -> 0.4); text |
|         |         | "40%", "40 %", "40,5%" (-> 0.405), "0,4", "40"; the /100 is a decimal shift, not a float |
|         |         | division, so "40,1" gives exactly float("0.401") |
| year, count, score | Int32 | whole numbers: 2021, 2021.0, " 2021 ", "2021,0"; count and score also take thousands |
|                    |       | ("1.234" -> 1234); a fraction (2021.5, "1,5") is invalid |
| date | Date | Excel dates/datetimes; Excel serials (1900 system, 1..2958465) only from numeric columns; |
|      |      | day-first text "17-12-2021", "17/12/2021", "17.12.2021", "17-12-21" (20yy), optionally |
|      |      | with a time; ISO "2021-12-17", "2021-12-17 14:30", "2021-12-17T14:30:00Z"; "17 december |
|      |      | 2021", "17 dec 2021", "17 dec. 2021", "17-dec-2021", English "17 December 2021", |
|      |      | "December 17, 2021". Never month-first ("12/17/2021" is invalid); impossible dates invalid |
| date_or_quarter | Date | a date, or a quarter "2022-Q2", "Q2 2022", "2022 Q2", "Q2-2022", "kw2 2022", "2022-K2", |
|                 |      | "K2 2022", "kwartaal 2 2022" -> the quarter's last day (2022-06-30); numbers: Excel serials |
| month | String "YYYY-MM" | "2021-11", "2021/11", "11-2021", "nov 2021", "november 2021", "nov. 2021", any text date |
|       |                  | above, a date or datetime; numbers only as Excel serials of 2000-2100 (so 2021 is invalid) |
| bool | Boolean | ja/nee, j/n, yes/no, y/n, true/false, waar/onwaar, wel/niet, 1/0, x (= ja), any case |
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache

import polars as pl

from etl.contract_view import Kind

# Label synonyms, as data. Keys are normalised input (lower case, single spaces); values are candidate
# canonical values in order of preference: the first one that is in `allowed` is taken, else none.
ENUM_SYNONYMS: dict[str, tuple[str, ...]] = {
    # yes / no / attendance
    "yes": ("ja",), "y": ("ja",), "j": ("ja",), "x": ("ja", "twitter"), "present": ("ja",),
    "aanwezig": ("ja",), "attended": ("ja",),
    "no": ("nee",), "n": ("nee",), "absent": ("nee",), "afwezig": ("nee",), "not present": ("nee",),
    "excused": ("afgemeld",), "apologies": ("afgemeld",), "declined": ("afgemeld",), "met kennisgeving": ("afgemeld",),
    # progress of milestones and end results
    "done": ("gereed", "gehouden", "opgelost"), "klaar": ("gereed",), "afgerond": ("gereed",),
    "completed": ("gereed",), "complete": ("gereed",), "finished": ("gereed",), "ready": ("gereed",),
    "opgeleverd": ("gereed",), "delivered": ("gereed",),
    "in progress": ("loopt", "in behandeling"), "lopend": ("loopt",), "bezig": ("loopt", "in behandeling"),
    "ongoing": ("loopt",), "gestart": ("loopt",), "started": ("loopt",), "in uitvoering": ("loopt",),
    "not started": ("niet gestart",), "nog niet gestart": ("niet gestart",), "nog niet begonnen": ("niet gestart",),
    "to do": ("niet gestart",), "todo": ("niet gestart",),
    "delayed": ("vertraagd",), "late": ("vertraagd",), "te laat": ("vertraagd",), "vertraging": ("vertraagd",),
    "behind schedule": ("vertraagd",),
    "cancelled": ("geannuleerd", "vervallen"), "canceled": ("geannuleerd", "vervallen"),
    "geannuleerd": ("vervallen",), "vervallen": ("geannuleerd",), "afgelast": ("geannuleerd", "vervallen"),
    "geschrapt": ("vervallen",), "dropped": ("vervallen",),
    # meetings
    "held": ("gehouden",), "took place": ("gehouden",), "geweest": ("gehouden",), "plaatsgevonden": ("gehouden",),
    "planned": ("gepland",), "scheduled": ("gepland",), "ingepland": ("gepland",),
    "core team": ("kernteam",), "directors": ("directeurenoverleg",), "directors meeting": ("directeurenoverleg",),
    "directors' meeting": ("directeurenoverleg",), "directieoverleg": ("directeurenoverleg",),
    "atelier day": ("atelierdag",), "work session": ("werksessie",), "workshop": ("werksessie",),
    "development team": ("ontwikkelteam",), "lead meeting": ("kartrekkersoverleg",),
    "kartrekkers": ("kartrekkersoverleg",), "excursion": ("excursie",), "field trip": ("excursie",),
    "site visit": ("excursie",), "conference": ("conferentie", "congres"), "congress": ("congres", "conferentie"),
    "congres": ("conferentie",), "conferentie": ("congres",),
    "in person": ("fysiek",), "physical": ("fysiek",), "op locatie": ("fysiek",), "live": ("fysiek",),
    "hybrid": ("hybride",), "digitaal": ("online",), "virtual": ("online",), "virtueel": ("online",),
    # bottlenecks
    "low": ("laag",), "medium": ("middel",), "middle": ("middel",), "gemiddeld": ("middel",),
    "midden": ("middel",), "high": ("hoog",),
    "in behandeling": ("loopt",), "resolved": ("opgelost",), "solved": ("opgelost",), "closed": ("opgelost",),
    "gesloten": ("opgelost",), "fixed": ("opgelost",),
    # partner and part kinds
    "municipality": ("gemeente",), "city": ("gemeente",), "province": ("provincie",),
    "water board": ("waterschap",), "water authority": ("waterschap",),
    "national government": ("rijk",), "central government": ("rijk",), "ministry": ("rijk",),
    "ministerie": ("rijk",), "rijksoverheid": ("rijk",),
    "knowledge institution": ("kennisinstelling",), "university": ("kennisinstelling",),
    "universiteit": ("kennisinstelling",), "hogeschool": ("kennisinstelling",),
    "trade association": ("brancheorganisatie",), "industry association": ("brancheorganisatie",),
    "grid operator": ("netbeheerder",), "consultancy": ("adviesbureau",), "consultant": ("adviesbureau",),
    "advisory firm": ("adviesbureau",), "ngo": ("maatschappelijke organisatie",),
    "civil society organisation": ("maatschappelijke organisatie",),
    "civil society organization": ("maatschappelijke organisatie",),
    "case": ("casus",), "cases": ("casus",), "casussen": ("casus",), "communication": ("communicatie",),
    "other": ("overig",), "overige": ("overig",), "anders": ("overig",),
    # cost types, scales, channels
    "base": ("basis",), "basic": ("basis",), "development": ("ontwikkeling",),
    "likert": ("likert5",), "likert 5": ("likert5",), "yes/no": ("janee",), "ja/nee": ("janee",),
    "number": ("getal",), "numeric": ("getal",), "text": ("tekst",), "open": ("tekst",),
    "newsletter": ("nieuwsbrief",), "team update": ("teamupdate",), "article": ("artikel",),
    "workbook": ("werkboek",), "site": ("website",),
}

BOOL_WORDS: dict[str, bool] = {
    "ja": True, "j": True, "yes": True, "y": True, "true": True, "waar": True, "wel": True, "1": True,
    "x": True, "1.0": True, "1,0": True,
    "nee": False, "n": False, "no": False, "false": False, "onwaar": False, "niet": False, "0": False,
    "0.0": False, "0,0": False,
}

MONTHS: dict[str, int] = {
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7, "augustus": 8,
    "september": 9, "oktober": 10, "november": 11, "december": 12,
    "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8, "october": 10,
    "jan": 1, "feb": 2, "mrt": 3, "maa": 3, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "okt": 10, "oct": 10, "nov": 11, "dec": 12,
}

LIKERT: dict[str, float] = {
    "helemaal mee oneens": 1, "helemaal oneens": 1, "zeer mee oneens": 1, "volledig mee oneens": 1,
    "strongly disagree": 1,
    "mee oneens": 2, "oneens": 2, "niet mee eens": 2, "disagree": 2,
    "neutraal": 3, "niet mee eens, niet mee oneens": 3, "niet eens, niet oneens": 3,
    "neither agree nor disagree": 3, "neutral": 3,
    "mee eens": 4, "eens": 4, "agree": 4,
    "helemaal mee eens": 5, "helemaal eens": 5, "zeer mee eens": 5, "volledig mee eens": 5, "strongly agree": 5,
    "ja": 1, "yes": 1, "nee": 0, "no": 0,
}

_EXPECTED: dict[str, str] = {
    "text": "tekst",
    "code": "een korte code zoals OT1",
    "year": "een jaartal zoals 2022",
    "count": "een geheel aantal zoals 12",
    "money": "een bedrag zoals 1.234,56 of € 1.234",
    "number": "een getal zoals 12 of 0,8",
    "percent": "een percentage zoals 40% of 0,4",
    "date": "een bestaande datum zoals 17-12-2021 (dag-maand-jaar)",
    "date_or_quarter": "een bestaande datum zoals 17-12-2021 (dag-maand-jaar) of een kwartaal zoals 2022-Q2",
    "month": "een maand zoals 2021-11",
    "score": "een geheel getal van 1 tot en met 5",
    "bool": "ja of nee",
    "enum": "een toegestane waarde",
}

# Python's str.isspace set (a superset of Unicode White_Space: also \x1c-\x1f) plus zero-width
# characters and the BOM that CSV exports leave behind, so "empty" means the same here as in Python.
_STRIP = "".join(c for c in map(chr, range(0x3001)) if c.isspace()) + "\u200b\ufeff"
_WS_RE = r"[\s\x1c-\x1f]+"
_EXCEL_EPOCH_SHIFT = 25569  # Excel serial of 1970-01-01 (1900 system, with its phantom 1900-02-29)
_SERIAL_MAX = 2958465  # 9999-12-31

_CUR = r"(?:euro|eur|€)"
_BODY = r"[0-9.,]+(?:[.,]-{1,2})?"  # "12,-" and "12.500,-" are whole euros
# the whole shape of a number: at most one sign, one currency mark, matching parentheses
_SHAPE = (
    rf"(?i)^(?:(?:[+-]|[+-]{_CUR}|{_CUR}[+-]?)?{_BODY}%?|[+-]?{_BODY}{_CUR}%?"
    rf"|\({_CUR}?{_BODY}\)|\({_BODY}{_CUR}\))$"
)
_NEGATIVE = rf"(?i)^(?:[(-]|{_CUR}-)"
_NUMBER = r"^(?:\d+|\d*[.,]\d+|[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?|[1-9]\d{0,2}(?:(?:,\d{3}){2,}|(?:,\d{3})+\.\d+))$"
_NL_THOUSANDS = r"^[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?$"  # 1.234 / 1.234.567,89
_EN_THOUSANDS = r"^[1-9]\d{0,2}(?:(?:,\d{3}){2,}|(?:,\d{3})+\.\d+)$"  # 1,234,567 / 1,234.56

_TIME = r"(?:[ t]\d{1,2}[:.]\d{2}(?::\d{2}(?:[.,]\d+)?)?(?: ?(?:z|[+-]\d{2}:?\d{2}))?)?"
_DATE_RE = (
    r"^(?:"
    rf"(?P<d1>\d{{1,2}})[-/.](?P<m1>\d{{1,2}})[-/.](?P<y1>\d{{4}}|\d{{2}}){_TIME}"
    rf"|(?P<y2>\d{{4}})[-/.](?P<m2>\d{{1,2}})[-/.](?P<d2>\d{{1,2}}){_TIME}"
    r"|(?P<d3>\d{1,2})[ -](?P<n3>[a-z]+)\.?[ -](?P<y3>\d{4})"
    r"|(?P<n4>[a-z]+)\.? (?P<d4>\d{1,2}),? (?P<y4>\d{4})"
    r")$"
)
_QUARTER_RE = (
    r"^(?:(?P<y1>\d{4}) ?[-/]? ?(?:q|kw|k|kwartaal) ?(?P<q1>[1-4])"
    r"|(?:q|kw|k|kwartaal) ?(?P<q2>[1-4]) ?[-/]? ?(?P<y2>\d{4}))$"
)
_QUARTER_END = {"1": "-03-31", "2": "-06-30", "3": "-09-30", "4": "-12-31"}
_MONTH_RE = (
    r"^(?:(?P<y1>\d{4})[-/.](?P<m1>\d{1,2})|(?P<m2>\d{1,2})[-/.](?P<y2>\d{4})"
    r"|(?P<n3>[a-z]+)\.?[ -](?P<y3>\d{4}))$"
)

_INTS = {pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8, pl.UInt16, pl.UInt32, pl.UInt64}


def expected(kind: Kind, allowed: tuple[str, ...] = ()) -> str:
    """A Dutch phrase saying what a valid value of this kind looks like, for problem messages."""
    if kind == "enum" and allowed:
        return "een van: " + ", ".join(allowed)
    return _EXPECTED[kind]


# Every reader is elementwise, so a long text column with few distinct values (meeting IDs, organisations,
# ja/nee) is normalised once per distinct value and joined back: 100k attendance rows have ~6k distinct values.
DISTINCT_MIN_ROWS = 5_000
DISTINCT_MAX_SHARE = 0.25


def normalise(series: pl.Series, kind: Kind, allowed: tuple[str, ...] = ()) -> tuple[pl.Series, pl.Series]:
    """Read a column as delivered into its typed form: (values, invalid mask), both named as the input."""
    if series.dtype == pl.String and series.len() >= DISTINCT_MIN_ROWS:
        distinct = series.unique()
        if distinct.len() <= DISTINCT_MAX_SHARE * series.len():
            values, invalid = _normalise(distinct, kind, allowed)
            table = pl.DataFrame({"k": distinct, "v": values, "b": invalid})
            out = pl.DataFrame({"k": series}).join(table, on="k", how="left", nulls_equal=True, maintain_order="left")
            return out["v"].alias(series.name), out["b"].alias(series.name)
    return _normalise(series, kind, allowed)


def _normalise(series: pl.Series, kind: Kind, allowed: tuple[str, ...]) -> tuple[pl.Series, pl.Series]:
    s = _prepare(series)
    values = _READERS[kind](s, tuple(allowed))
    invalid = _non_empty(s) & values.is_null()
    return values.alias(series.name), invalid.alias(series.name)


def likert_score(answers: pl.Series) -> pl.Series:
    """Numeric value of survey answers: Likert labels (nl/en) 1-5, ja/yes 1, nee/no 0, numbers as such."""
    s = _prepare(answers)
    if s.dtype == pl.Boolean:
        return s.cast(pl.Float64).alias(answers.name)
    if s.dtype != pl.String:
        return _read_number(s, ()).alias(answers.name)
    label = _key(_clean(s)).replace_strict(LIKERT, default=None, return_dtype=pl.Float64)
    return label.fill_null(_read_number(s, ())).alias(answers.name)


# --- plumbing ---------------------------------------------------------------------------------


def _prepare(series: pl.Series) -> pl.Series:
    s = series.alias("v")
    if isinstance(s.dtype, pl.Categorical | pl.Enum):
        return s.cast(pl.String)
    if s.dtype == pl.Float32:
        return s.cast(pl.Float64)
    if s.dtype in _INTS or s.dtype in (pl.Float64, pl.Boolean, pl.Date, pl.String, pl.Null) or isinstance(
        s.dtype, pl.Datetime | pl.Decimal
    ):
        return s
    return s.cast(pl.String, strict=False)  # Time, Duration, nested: read as text, usually invalid


def _clean(s: pl.Series) -> pl.Series:
    """NFKC, stripped; empty -> null."""
    # NFKC leaves ASCII and "€" alone and costs ~200 ns a value: run it only where it can matter
    non_ascii = s.str.len_bytes() != s.str.len_chars()
    if non_ascii.any():
        idx = non_ascii.arg_true()
        idx = idx.filter(s.gather(idx).str.contains(r"[^\x00-\x7f€]"))
        s = _patch(s, idx, lambda x: x.str.normalize("NFKC"))
    t = s.str.strip_chars(_STRIP)
    return pl.select(pl.when(t.str.len_bytes() > 0).then(t)).to_series().alias("v")


def _non_empty(s: pl.Series) -> pl.Series:
    if s.dtype == pl.String:
        return _clean(s).is_not_null()
    return s.is_not_null()


def _key(t: pl.Series) -> pl.Series:
    """Lower case with single spaces: the form labels are compared in."""
    return t.str.to_lowercase().str.replace_all(_WS_RE, " ")


def _is_float(s: pl.Series) -> bool:
    return s.dtype == pl.Float64


def _is_numeric(s: pl.Series) -> bool:
    return s.dtype in _INTS or s.dtype == pl.Float64 or isinstance(s.dtype, pl.Decimal)


def _nulls(s: pl.Series, dtype: pl.DataType) -> pl.Series:
    return pl.Series("v", [None] * len(s), dtype=dtype)


# --- numbers ----------------------------------------------------------------------------------


def _patch(s: pl.Series, rows: pl.Series, fn: Callable[[pl.Series], pl.Series]) -> pl.Series:
    """Apply fn only to some rows (a mask or indices): the rare non-ASCII rows need work others do not."""
    idx = rows.arg_true() if rows.dtype == pl.Boolean else rows
    if idx.len() == 0:
        return s
    return s.clone().scatter(idx, fn(s.gather(idx)))


def _number_parts(s: pl.Series) -> pl.DataFrame:
    """Number text -> c (unsigned decimal digits "1234.5", null if unreadable), neg, pct, cur, grouped,
    int_len and frac_len. Built from is-match regexes and literal replaces, not capture groups, which
    are several times slower: about a microsecond a value on one core.
    """
    t = _clean(s).str.replace_all(_WS_RE, "")
    t = _patch(t, t.str.len_bytes() != t.str.len_chars(), lambda x: x.str.replace_all("[\u2212\u2013]", "-"))
    g = pl.DataFrame({"t": t}).with_columns(
        shape=pl.col("t").str.contains(_SHAPE),
        neg=pl.col("t").str.contains(_NEGATIVE),
        pct=pl.col("t").str.contains(r"%\)?$"),
        cur=pl.col("t").str.contains(rf"(?i){_CUR}"),
        body=pl.col("t").str.replace_all(r"[.,]-+|[^0-9.,]", ""),
    )
    body = pl.col("body")
    g = g.with_columns(
        ok=pl.col("shape") & body.str.contains(_NUMBER),
        nl=body.str.contains(_NL_THOUSANDS),
        en=body.str.contains(_EN_THOUSANDS),
        comma=body.str.contains(",", literal=True),
    )
    # the last separator is the decimal one: Dutch (1.234,5; 12,5; 1.234) or English (1,234.5; 1.5)
    dutch = pl.col("nl") | (pl.col("comma") & ~pl.col("en"))
    canonical = (
        pl.when(dutch).then(body.str.replace_all(".", "", literal=True)).otherwise(body.str.replace_all(",", "", literal=True))
        .str.replace(",", ".", literal=True)
    )
    g = g.select(
        "neg", "pct", "cur", grouped=pl.col("nl") | pl.col("en"),
        c=pl.when(pl.col("ok")).then(canonical),  # may start with "." (",5"): casts read that fine
    )
    dot = pl.col("c").str.find(".", literal=True)
    n = pl.col("c").str.len_bytes()
    return g.with_columns(
        int_len=dot.fill_null(n).cast(pl.Int64),
        frac_len=pl.when(dot.is_null()).then(pl.lit(0, pl.Int64)).otherwise(n - dot - 1).cast(pl.Int64),
    )


def _float_parts(s: pl.Series) -> pl.DataFrame:
    """_number_parts of numbers from their shortest round-trip decimal form (as Excel shows them)."""
    t = s.cast(pl.String)
    g = pl.DataFrame({"t": t}).select(
        neg=pl.col("t").str.starts_with("-"),
        c=pl.when(pl.col("t").str.contains(r"^-?\d+(?:\.\d+)?$")).then(pl.col("t").str.strip_prefix("-")),
    )
    dot = pl.col("c").str.find(".", literal=True)
    n = pl.col("c").str.len_bytes()
    return g.with_columns(
        pct=pl.lit(False), cur=pl.lit(False), grouped=pl.lit(False),
        int_len=dot.fill_null(n).cast(pl.Int64),
        frac_len=pl.when(dot.is_null()).then(pl.lit(0, pl.Int64)).otherwise(n - dot - 1).cast(pl.Int64),
    )


def _signed(c: pl.Expr) -> pl.Expr:
    return pl.when(pl.col("neg")).then(pl.lit("-") + c).otherwise(c)


def _int_digits() -> pl.Expr:
    return pl.when(pl.col("int_len") > 0).then(pl.col("c").str.slice(0, pl.col("int_len"))).otherwise(pl.lit("0"))


def _frac_digits() -> pl.Expr:
    return pl.col("c").str.slice(pl.col("int_len") + 1)


def _digits_to_float(p: pl.DataFrame) -> pl.Series:
    return p.select(_signed(pl.col("c")).cast(pl.Float64, strict=False)).to_series().alias("v")


def _digits_to_int(p: pl.DataFrame, dtype: pl.DataType) -> pl.Series:
    whole = _frac_digits().str.contains(r"^0*$") & (pl.col("int_len") <= 18)
    val = pl.when(whole).then(_signed(_int_digits()).cast(pl.Int64, strict=False))
    return p.select(val.cast(dtype, strict=False)).to_series().alias("v")


def _digits_to_money(p: pl.DataFrame, *, round_half_up: bool) -> pl.Series:
    """Exact Decimal(18, 2) from digit strings; beyond two decimals: round half up, or null."""
    dec = pl.Decimal(18, 2)
    if not round_half_up:
        # text is never rounded: at most two decimals, read as written (the cast is exact then)
        val = pl.when(pl.col("frac_len") <= 2).then(_signed(pl.col("c")).cast(dec, strict=False))
        return p.select(val).to_series().alias("v")
    frac = _frac_digits()
    units = pl.when(pl.col("int_len") <= 16).then(_int_digits().cast(pl.Int64, strict=False))
    cents = (
        units * 100 + frac.str.pad_end(2, "0").str.slice(0, 2).cast(pl.Int64)
        + (frac.str.slice(2, 1) >= "5").fill_null(False).cast(pl.Int64)
    )
    cents = pl.when(pl.col("neg")).then(-cents).otherwise(cents)
    # Decimal(18, 0) * 0.01 has scale 0 + 2: an exact shift, no rounding
    val = (cents.cast(pl.Decimal(18, 0), strict=False) * Decimal("0.01")).cast(dec, strict=False)
    return p.select(val).to_series().alias("v")


def _finite(s: pl.Series) -> pl.Series:
    return pl.select(pl.when(s.is_finite()).then(s)).to_series().alias("v")


def _read_money(s: pl.Series, allowed: tuple[str, ...]) -> pl.Series:
    dec = pl.Decimal(18, 2)
    if s.dtype in _INTS:
        return s.cast(dec, strict=False)
    if _is_float(s) or isinstance(s.dtype, pl.Decimal):
        x = _finite(s) if _is_float(s) else s
        out = _digits_to_money(_float_parts(x), round_half_up=True)
        if _is_float(s):
            # repr switches to exponent notation for tiny floats: they round to 0.00 anyway
            out = pl.select(pl.when(x.abs() < 1e-3).then(pl.lit(0).cast(dec)).otherwise(out)).to_series()
        return out.alias("v")
    if s.dtype != pl.String:
        return _nulls(s, dec)
    p = _number_parts(s).with_columns(c=pl.when(~pl.col("pct")).then(pl.col("c")))
    return _digits_to_money(p, round_half_up=False)


def _read_number(s: pl.Series, allowed: tuple[str, ...]) -> pl.Series:
    if _is_numeric(s):
        return _finite(s.cast(pl.Float64))
    if s.dtype != pl.String:
        return _nulls(s, pl.Float64)
    return _digits_to_float(_number_parts(s))


def _shift_percent(p: pl.DataFrame) -> pl.DataFrame:
    """Divide digit strings by 100 by moving the decimal point: exact, unlike a float division."""
    padded = _int_digits().str.zfill(3)  # at least one digit stays before the point
    return p.with_columns(
        c=pl.concat_str([padded.str.slice(0, padded.str.len_bytes() - 2), pl.lit("."), padded.str.slice(-2, 2),
                         _frac_digits()])
    )


def _read_percent(s: pl.Series, allowed: tuple[str, ...]) -> pl.Series:
    if s.dtype in _INTS:
        x = s.cast(pl.Float64)
        # int / 100 is correctly rounded, so 40 gives exactly float("0.4")
        return pl.select(pl.when(x > 1).then(x / 100).otherwise(x)).to_series().alias("v")
    if _is_float(s) or isinstance(s.dtype, pl.Decimal):
        x = _finite(s.cast(pl.Float64))
        shifted = _digits_to_float(_shift_percent(_float_parts(s)))
        # repr uses exponents from 1e16 up; there a float division is as good as it gets
        return pl.select(pl.when(x <= 1).then(x).otherwise(shifted.fill_null(x / 100))).to_series().alias("v")
    if s.dtype != pl.String:
        return _nulls(s, pl.Float64)
    p = _number_parts(s).with_columns(c=pl.when(~pl.col("cur")).then(pl.col("c")))
    plain = _digits_to_float(p)
    shifted = _digits_to_float(_shift_percent(p))
    return pl.select(pl.when(p["pct"] | (plain > 1)).then(shifted).otherwise(plain)).to_series().alias("v")


def _whole(s: pl.Series, *, grouping: bool) -> pl.Series:
    if s.dtype in _INTS:
        return s.cast(pl.Int32, strict=False)
    if _is_float(s) or isinstance(s.dtype, pl.Decimal):
        x = _finite(s.cast(pl.Float64))
        w = pl.when(x == x.floor()).then(x)
        return pl.select(w.cast(pl.Int64, strict=False).cast(pl.Int32, strict=False)).to_series().alias("v")
    if s.dtype != pl.String:
        return _nulls(s, pl.Int32)
    p = _number_parts(s)
    keep = ~pl.col("pct") & ~pl.col("cur")
    if not grouping:
        keep = keep & ~pl.col("grouped")
    return _digits_to_int(p.with_columns(c=pl.when(keep).then(pl.col("c"))), pl.Int32)


def _read_year(s: pl.Series, allowed: tuple[str, ...]) -> pl.Series:
    return _whole(s, grouping=False)


def _read_count(s: pl.Series, allowed: tuple[str, ...]) -> pl.Series:
    return _whole(s, grouping=True)


# --- dates ------------------------------------------------------------------------------------


def _excel_serial(s: pl.Series, lo: int = 1, hi: int = _SERIAL_MAX) -> pl.Series:
    x = _finite(s.cast(pl.Float64)).floor()
    # Excel counts a phantom 1900-02-29 (serial 60): serials before it are one day off
    days = pl.when((x >= 61) & (x <= hi) & (x >= lo)).then(x - _EXCEL_EPOCH_SHIFT).when(
        (x >= lo) & (x >= 1) & (x <= 59)
    ).then(x - _EXCEL_EPOCH_SHIFT + 1)
    return pl.select(days.cast(pl.Int32).cast(pl.Date)).to_series().alias("v")


def _month_number(col: str) -> pl.Expr:
    return pl.col(col).replace_strict(MONTHS, default=None, return_dtype=pl.Int32)


def _text_date(t: pl.Series) -> pl.Series:
    """Dates from cleaned, lower-cased text with single spaces."""
    # fast path for the two everyday layouts; the regex guard keeps chrono's leniency ("+2021", "1-2-21") out
    col = pl.col("t")
    out = pl.DataFrame({"t": t}).select(
        pl.when(col.str.contains(r"^\d{1,2}-\d{1,2}-\d{4}$")).then(col.str.to_date("%d-%m-%Y", strict=False))
        .when(col.str.contains(r"^\d{4}-\d{1,2}-\d{1,2}$")).then(col.str.to_date("%Y-%m-%d", strict=False))
    ).to_series().alias("v")
    rest = (out.is_null() & t.is_not_null()).arg_true()
    if rest.len() == 0:
        return out
    return out.clone().scatter(rest, _text_date_general(t.gather(rest)))


def _text_date_general(t: pl.Series) -> pl.Series:
    g = pl.DataFrame({"t": t}).select(pl.col("t").str.extract_groups(_DATE_RE)).unnest("t")
    y1 = pl.col("y1").cast(pl.Int32)
    year = pl.coalesce(
        pl.when(pl.col("y1").str.len_chars() == 2).then(y1 + 2000).otherwise(y1),
        pl.col("y2").cast(pl.Int32), pl.col("y3").cast(pl.Int32), pl.col("y4").cast(pl.Int32),
    )
    month = pl.coalesce(pl.col("m1").cast(pl.Int32), pl.col("m2").cast(pl.Int32), _month_number("n3"),
                        _month_number("n4"))
    day = pl.coalesce(*(pl.col(f"d{i}").cast(pl.Int32) for i in range(1, 5)))
    iso = pl.concat_str([year.cast(pl.String).str.zfill(4), month.cast(pl.String), day.cast(pl.String)],
                        separator="-")
    return g.select(iso.str.to_date("%Y-%m-%d", strict=False)).to_series().alias("v")


def _date_text_key(s: pl.Series) -> pl.Series:
    return _key(_clean(s))


def _read_date(s: pl.Series, allowed: tuple[str, ...]) -> pl.Series:
    if s.dtype == pl.Date:
        return s
    if isinstance(s.dtype, pl.Datetime):
        return s.dt.date()
    if _is_numeric(s):
        return _excel_serial(s)
    if s.dtype != pl.String:
        return _nulls(s, pl.Date)
    return _text_date(_date_text_key(s))


def _read_date_or_quarter(s: pl.Series, allowed: tuple[str, ...]) -> pl.Series:
    if s.dtype != pl.String:
        return _read_date(s, allowed)
    t = _date_text_key(s)
    g = pl.DataFrame({"t": t}).select(pl.col("t").str.extract_groups(_QUARTER_RE)).unnest("t")
    end = pl.concat_str([pl.coalesce("y1", "y2"), pl.coalesce("q1", "q2").replace_strict(_QUARTER_END, default=None)])
    quarter = g.select(end.str.to_date("%Y-%m-%d", strict=False)).to_series()
    return quarter.fill_null(_text_date(t)).alias("v")


def _read_month(s: pl.Series, allowed: tuple[str, ...]) -> pl.Series:
    if s.dtype == pl.Date or isinstance(s.dtype, pl.Datetime):
        return s.dt.strftime("%Y-%m").alias("v")
    if _is_numeric(s):
        # a bare number is a month only as an Excel date serial of 2000-2100, so a year (2021) is invalid
        return _excel_serial(s, lo=36526, hi=73415).dt.strftime("%Y-%m").alias("v")
    if s.dtype != pl.String:
        return _nulls(s, pl.String)
    t = _date_text_key(s)
    g = pl.DataFrame({"t": t}).select(pl.col("t").str.extract_groups(_MONTH_RE)).unnest("t")
    year = pl.coalesce("y1", "y2", "y3")
    month = pl.coalesce(pl.col("m1").cast(pl.Int32), pl.col("m2").cast(pl.Int32), _month_number("n3"))
    ym = pl.when(month.is_between(1, 12)).then(
        pl.concat_str([year, pl.lit("-"), month.cast(pl.String).str.zfill(2)])
    )
    out = g.select(ym).to_series()
    return out.fill_null(_text_date(t).dt.strftime("%Y-%m")).alias("v")


# --- labels -----------------------------------------------------------------------------------


def _read_bool(s: pl.Series, allowed: tuple[str, ...]) -> pl.Series:
    if s.dtype == pl.Boolean:
        return s
    if _is_numeric(s):
        x = s.cast(pl.Float64)
        return pl.select(pl.when(x == 1).then(True).when(x == 0).then(False)).to_series().alias("v")
    if s.dtype != pl.String:
        return _nulls(s, pl.Boolean)
    return _key(_clean(s)).replace_strict(BOOL_WORDS, default=None, return_dtype=pl.Boolean)


def _as_text(s: pl.Series) -> pl.Series:
    """Any input as text: whole floats without ".0", dates ISO, booleans ja/nee."""
    if s.dtype == pl.String:
        return _clean(s)
    if _is_float(s):
        whole = (s == s.floor()) & (s.abs() < 1e15)
        return pl.select(
            pl.when(whole).then(s.cast(pl.Int64, strict=False).cast(pl.String)).otherwise(s.cast(pl.String))
        ).to_series().alias("v")
    if s.dtype == pl.Boolean:
        return s.replace_strict({True: "ja", False: "nee"}, return_dtype=pl.String)
    if isinstance(s.dtype, pl.Datetime):
        midnight = s.dt.time() == pl.lit(0).cast(pl.Time)
        return pl.select(
            pl.when(midnight).then(s.dt.strftime("%Y-%m-%d")).otherwise(s.dt.strftime("%Y-%m-%d %H:%M:%S"))
        ).to_series().alias("v")
    return s.cast(pl.String, strict=False)


def _read_text(s: pl.Series, allowed: tuple[str, ...]) -> pl.Series:
    return _as_text(s)


def _read_code(s: pl.Series, allowed: tuple[str, ...]) -> pl.Series:
    return _as_text(s).str.replace_all(_WS_RE, " ")


def _compact(t: pl.Series) -> pl.Series:
    return t.str.replace_all(r"[\s\x1c-\x1f\-_./]", "")


def _unique_map(keys: pl.Series, values: list[str]) -> dict[str, str]:
    """key -> value, leaving out keys that would stand for two different values."""
    seen: dict[str, str] = {}
    clash: set[str] = set()
    for k, v in zip(keys.to_list(), values, strict=True):
        if k is None:
            continue
        if k in seen and seen[k] != v:
            clash.add(k)
        seen.setdefault(k, v)
    return {k: v for k, v in seen.items() if k not in clash}


@lru_cache(maxsize=64)  # one per enum column of the contract: built once, not for every column of every delivery
def _enum_lookup(allowed: tuple[str, ...]) -> tuple[dict[str, str], dict[str, str]]:
    """(exact, compact) maps from normalised label to allowed value; allowed values beat synonyms (read-only)."""
    syn_keys, syn_values = [], []
    for synonym, targets in ENUM_SYNONYMS.items():
        target = next((t for t in targets if t in allowed), None)
        if target is not None:
            syn_keys.append(synonym)
            syn_values.append(target)
    # keys go through the same Polars normalisation as the data, so both sides match byte for byte
    k_allowed = _key(_clean(pl.Series("v", list(allowed), dtype=pl.String)))
    k_syn = _key(_clean(pl.Series("v", syn_keys, dtype=pl.String)))
    exact = _unique_map(k_allowed, list(allowed))
    compact = _unique_map(_compact(k_allowed), list(allowed))
    for key, value in _unique_map(k_syn, syn_values).items():
        exact.setdefault(key, value)
    for key, value in _unique_map(_compact(k_syn), syn_values).items():
        compact.setdefault(key, value)
    return exact, compact


def _read_enum(s: pl.Series, allowed: tuple[str, ...]) -> pl.Series:
    t = _key(_as_text(s))
    if not allowed:
        return t
    exact, compact = _enum_lookup(allowed)
    hit = t.replace_strict(exact, default=None, return_dtype=pl.String)
    return hit.fill_null(_compact(t).replace_strict(compact, default=None, return_dtype=pl.String))


_READERS = {
    "text": _read_text,
    "code": _read_code,
    "year": _read_year,
    "count": _read_count,
    "score": _read_count,
    "money": _read_money,
    "number": _read_number,
    "percent": _read_percent,
    "date": _read_date,
    "date_or_quarter": _read_date_or_quarter,
    "month": _read_month,
    "bool": _read_bool,
    "enum": _read_enum,
}

assert set(_READERS) == set(Kind.__args__) == set(_EXPECTED)  # every contract kind has a reader
assert all(unicodedata.normalize("NFKC", k) == k for k in ENUM_SYNONYMS)
