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

import polars as pl

from etl.contract import Kind

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
    "date": "een datum zoals 17-12-2021",
    "date_or_quarter": "een datum zoals 17-12-2021 of een kwartaal zoals 2022-Q2",
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

_SIGN_RE = (
    r"^(?P<open>\()?(?P<s1>[+-])?(?P<c1>euro|eur|€)?(?P<s2>[+-])?(?P<body>[0-9.,]+?)"
    r"(?P<dash>[.,]-{1,2})?(?P<c2>euro|eur|€)?(?P<pct>%)?(?P<close>\))?$"
)
_PLAIN = r"^\d+$"
_NL_THOUSANDS = r"^[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?$"  # 1.234 / 1.234.567,89
_EN_THOUSANDS = r"^[1-9]\d{0,2}(?:(?:,\d{3}){2,}|(?:,\d{3})+\.\d+)$"  # 1,234,567 / 1,234.56
_COMMA_DECIMAL = r"^\d*,\d+$"
_DOT_DECIMAL = r"^\d*\.\d+$"

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


def normalise(series: pl.Series, kind: Kind, allowed: tuple[str, ...] = ()) -> tuple[pl.Series, pl.Series]:
    """Read a column as delivered into its typed form: (values, invalid mask), both named as the input."""
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
    t = s.str.normalize("NFKC").str.strip_chars(_STRIP)
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


def _number_parts(s: pl.Series) -> pl.DataFrame:
    """Split number text into neg (bool), int and frac (digit strings), pct and cur flags.

    int/frac are null when the text is not a number in one of the accepted layouts.
    """
    t = (
        _clean(s).str.to_lowercase().str.replace_all(r"[\s\x1c-\x1f]", "")
        .str.replace_all("[\u2212\u2013]", "-")
    )
    g = pl.DataFrame({"t": t}).select(pl.col("t").str.extract_groups(_SIGN_RE)).unnest("t")
    body = pl.col("body")
    is_plain = body.str.contains(_PLAIN)
    nl_th = body.str.contains(_NL_THOUSANDS)
    en_th = body.str.contains(_EN_THOUSANDS)
    comma = body.str.contains(_COMMA_DECIMAL)
    dot = body.str.contains(_DOT_DECIMAL)
    canonical = (
        pl.when(is_plain).then(body)
        .when(nl_th | comma).then(body.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True))
        .when(en_th | dot).then(body.str.replace_all(",", "", literal=True))
    )
    paren = pl.col("open").is_not_null()
    well_formed = (
        (paren == pl.col("close").is_not_null())
        & ~(pl.col("s1").is_not_null() & pl.col("s2").is_not_null())
        & ~(paren & (pl.col("s1").is_not_null() | pl.col("s2").is_not_null()))
        & ~(pl.col("c1").is_not_null() & pl.col("c2").is_not_null())
    )
    g = g.with_columns(
        c=pl.when(well_formed).then(canonical),
        neg=(pl.col("s1") == "-").fill_null(False) | (pl.col("s2") == "-").fill_null(False) | paren,
        pct=pl.col("pct").is_not_null(),
        cur=pl.col("c1").is_not_null() | pl.col("c2").is_not_null(),
        dash=pl.col("dash").is_not_null(),
        grouped=nl_th | en_th,
    )
    return g.select(
        "neg", "pct", "cur", "grouped",
        int=pl.col("c").str.extract(r"^(\d*)", 1).str.strip_chars_start("0"),
        # "12,-" means whole euros: a dash after decimals ("12,50,-") is not a number
        frac=pl.when(pl.col("dash") & pl.col("c").str.contains(".", literal=True)).then(None)
        .otherwise(pl.col("c").str.extract(r"^\d*(?:\.(\d*))?$", 1).fill_null("")),
    ).with_columns(frac=pl.when(pl.col("int").is_not_null()).then(pl.col("frac")))


def _float_parts(s: pl.Series) -> pl.DataFrame:
    """neg/int/frac of numbers from their shortest round-trip decimal form (as Excel shows them)."""
    text = s.cast(pl.String)
    m = pl.DataFrame({"t": text}).select(
        pl.col("t").str.extract_groups(r"^(?P<sign>-)?(?P<int>\d+)(?:\.(?P<frac>\d+))?$")
    ).unnest("t")
    return m.select(
        neg=pl.col("sign").is_not_null(),
        int=pl.col("int").str.strip_chars_start("0"),
        frac=pl.when(pl.col("int").is_not_null()).then(pl.col("frac").fill_null("")),
    )


def _digits_to_float(p: pl.DataFrame) -> pl.Series:
    # a "0" before the digits and after the fraction keeps ".5" and "12." readable; leading zeros are harmless
    txt = pl.concat_str(
        [pl.when(pl.col("neg")).then(pl.lit("-")).otherwise(pl.lit("")), pl.lit("0"), pl.col("int"), pl.lit("."),
         pl.col("frac"), pl.lit("0")]
    )
    return p.select(txt.cast(pl.Float64, strict=False)).to_series().alias("v")


def _digits_to_int(p: pl.DataFrame, dtype: pl.DataType) -> pl.Series:
    whole = pl.col("frac").str.contains(r"^0*$")
    mag = pl.when(pl.col("int") == "").then(pl.lit("0")).otherwise(pl.col("int"))
    val = pl.when(whole & (pl.col("int").str.len_chars() <= 18)).then(mag.cast(pl.Int64, strict=False))
    val = pl.when(pl.col("neg")).then(-val).otherwise(val)
    return p.select(val.cast(dtype, strict=False)).to_series().alias("v")


def _digits_to_money(p: pl.DataFrame, *, round_half_up: bool) -> pl.Series:
    """Exact Decimal(18, 2) from digit strings; beyond two decimals: round half up, or null."""
    frac = pl.col("frac")
    mag = pl.when(pl.col("int") == "").then(pl.lit("0")).otherwise(pl.col("int"))
    cents = mag.cast(pl.Int64, strict=False) * 100 + frac.str.pad_end(2, "0").str.slice(0, 2).cast(pl.Int64)
    if round_half_up:
        cents = cents + (frac.str.slice(2, 1) >= "5").fill_null(False).cast(pl.Int64)
        ok = pl.lit(True)
    else:
        ok = frac.str.len_chars() <= 2
    ok = ok & (pl.col("int").str.len_chars() <= 16)
    txt = pl.concat_str(
        [pl.when(pl.col("neg")).then(pl.lit("-")).otherwise(pl.lit("")), (cents // 100).cast(pl.String), pl.lit("."),
         (cents % 100).cast(pl.String).str.zfill(2)]
    )
    return p.select(pl.when(ok).then(txt).cast(pl.Decimal(18, 2), strict=False)).to_series().alias("v")


def _finite(s: pl.Series) -> pl.Series:
    return pl.select(pl.when(s.is_finite()).then(s)).to_series().alias("v")


def _read_money(s: pl.Series, allowed: tuple[str, ...]) -> pl.Series:
    dec = pl.Decimal(18, 2)
    if s.dtype in _INTS:
        return s.cast(dec, strict=False)
    if _is_float(s) or isinstance(s.dtype, pl.Decimal):
        x = _finite(s) if _is_float(s) else s
        p = _float_parts(x)
        # repr switches to exponent notation below 1e-4: those round to 0.00 anyway
        tiny = x.abs() < 1e-3 if _is_float(s) else pl.Series([False] * len(s))
        out = _digits_to_money(p, round_half_up=True)
        return pl.select(pl.when(tiny).then(pl.lit(0).cast(dec)).otherwise(out)).to_series().alias("v")
    if s.dtype != pl.String:
        return _nulls(s, dec)
    p = _number_parts(s)
    p = p.with_columns(int=pl.when(~pl.col("pct")).then(pl.col("int")))
    return _digits_to_money(p, round_half_up=False)


def _read_number(s: pl.Series, allowed: tuple[str, ...]) -> pl.Series:
    if _is_numeric(s):
        return _finite(s.cast(pl.Float64))
    if s.dtype != pl.String:
        return _nulls(s, pl.Float64)
    return _digits_to_float(_number_parts(s))


def _shift_percent(p: pl.DataFrame) -> pl.DataFrame:
    """Divide digit strings by 100 by moving the decimal point: exact, unlike a float division."""
    padded = pl.col("int").str.zfill(2)
    return p.with_columns(
        int=padded.str.slice(0, padded.str.len_chars() - 2),
        frac=pl.concat_str([padded.str.slice(-2, 2), pl.col("frac")]),
    )


def _read_percent(s: pl.Series, allowed: tuple[str, ...]) -> pl.Series:
    if s.dtype in _INTS:
        x = s.cast(pl.Float64)
        # int / 100 is correctly rounded, so it equals float("0.40") for 40 exactly
        return pl.select(pl.when(x > 1).then(x / 100).otherwise(x)).to_series().alias("v")
    if _is_float(s) or isinstance(s.dtype, pl.Decimal):
        x = _finite(s.cast(pl.Float64))
        p = _float_parts(s)
        shifted = _digits_to_float(_shift_percent(p))
        # repr uses exponents from 1e16 up; there a float division is as good as it gets
        return pl.select(
            pl.when(x <= 1).then(x).otherwise(shifted.fill_null(x / 100))
        ).to_series().alias("v")
    if s.dtype != pl.String:
        return _nulls(s, pl.Float64)
    p = _number_parts(s).with_columns(int=pl.when(~pl.col("cur")).then(pl.col("int")))
    plain = _digits_to_float(p)
    shifted = _digits_to_float(_shift_percent(p))
    return pl.select(
        pl.when(p["pct"] | (plain > 1)).then(shifted).otherwise(plain)
    ).to_series().alias("v")


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
    p = p.with_columns(int=pl.when(keep).then(pl.col("int")))
    return _digits_to_int(p, pl.Int32)


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


def _enum_lookup(allowed: tuple[str, ...]) -> tuple[dict[str, str], dict[str, str]]:
    """(exact, compact) maps from normalised label to allowed value; allowed values beat synonyms."""
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
