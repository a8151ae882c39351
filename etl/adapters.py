"""Exports people deliver as they are: Microsoft/Google Forms survey exports and Mailchimp audience exports.

Which export a sheet is, is told by etl/exports.py (polars-free, for the reader child); this module reshapes it.
"""

from __future__ import annotations

import polars as pl

from etl.contract_view import fold
from etl.exports import GOOGLE_TIME, MS_DONE, MS_ID, MS_META
from etl.problems import Problem

EMAIL = {"email", "emailadres", "emailaddress", "mail"}
NAME = {"name", "naam", "volledigenaam", "fullname"}
GOOGLE_SCORE = {"score", "totaalscore", "totalscore"}
WAVE = {"meting", "wave", "ronde", "periode"}
ORG_KIND = {"organisatiesoort", "organisationtype", "soortorganisatie"}
PART = {"onderdeel", "team", "part"}
MC_EMAIL = {"emailaddress", "email", "emailadres"}
MC_TAGS = {"tags"}
MC_SINCE = ("optintime", "confirmtime")


def _text(expr: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """A value as the text a person sees: 4.0 -> "4", dates as ISO, text trimmed."""
    if dtype.is_float():
        return pl.when(expr == expr.round(0)).then(expr.cast(pl.Int64, strict=False).cast(pl.String)).otherwise(expr.cast(pl.String))
    return expr.cast(pl.String).str.strip_chars()


def month_of(expr: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """'YYYY-MM' of a completion time or timestamp; text in another form is kept for the normaliser to judge."""
    if dtype in (pl.Date,) or isinstance(dtype, pl.Datetime):
        return expr.dt.strftime("%Y-%m")
    s = expr.cast(pl.String).str.strip_chars()
    iso = s.str.extract_groups(r"^(\d{4})[-/.](\d{1,2})\b")
    dmy = s.str.extract_groups(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b")
    return (
        pl.when(iso.struct.field("1").is_not_null())
        .then(pl.format("{}-{}", iso.struct.field("1"), iso.struct.field("2").str.zfill(2)))
        .when(dmy.struct.field("3").is_not_null())
        .then(pl.format("{}-{}", dmy.struct.field("3"), dmy.struct.field("2").str.zfill(2)))
        .otherwise(s)
    )


def apply(adapter: str, df: pl.DataFrame, headers: list[str | None], *, file: str, sheet: str) -> tuple[pl.DataFrame, dict, list[Problem]]:
    """Positional frame (columns in header order, then "__row") -> the contract frame of the export's model."""
    if adapter == "mailchimp":
        return _mailchimp(df, headers)
    return _forms(adapter, df, headers, file=file, sheet=sheet)


def _forms(adapter: str, df: pl.DataFrame, headers: list[str | None], *, file: str, sheet: str) -> tuple[pl.DataFrame, dict, list[Problem]]:
    cols = [c for c in df.columns if c != "__row"]
    keys = [fold(h) if h is not None else "" for h in headers]
    time_keys = MS_DONE if adapter == "microsoft_forms" else GOOGLE_TIME
    find = {}
    questions: list[tuple[str, str]] = []
    for c, k, h in zip(cols, keys, headers, strict=True):
        if not k:
            continue
        for role, ks in (("id", MS_ID if adapter == "microsoft_forms" else set()), ("time", time_keys),
                         ("email", EMAIL), ("wave", WAVE), ("org_kind", ORG_KIND), ("part", PART)):
            if k in ks and role not in find:
                find[role] = c
                break
        else:
            if k in NAME or k in MS_META or (adapter == "google_forms" and k in GOOGLE_SCORE):
                continue  # names and form bookkeeping never leave this function
            questions.append((c, str(h).strip()))
    schema = df.schema
    if adapter == "microsoft_forms" and "id" in find:
        respondent = _text(pl.col(find["id"]), schema[find["id"]])
    elif "email" in find:
        respondent = pl.coalesce(_text(pl.col(find["email"]), schema[find["email"]]), pl.col("__row").cast(pl.String))
    else:
        respondent = pl.col("__row").cast(pl.String)
    if "wave" in find:
        wave = _text(pl.col(find["wave"]), schema[find["wave"]])
    elif "time" in find:
        wave = month_of(pl.col(find["time"]), schema[find["time"]])
    else:
        wave = pl.lit(None, dtype=pl.String)
    index = [respondent.alias("respondent"), wave.alias("wave")]
    for role in ("org_kind", "part"):
        if role in find:
            index.append(_text(pl.col(find[role]), schema[find[role]]).alias(role))
    names: dict[str, str] = {}
    for c, h in questions:
        label, n = h, 2
        while label in names.values():
            label, n = f"{h} ({n})", n + 1
        names[c] = label
    wide = df.select(["__row", *index, *[_text(pl.col(c), schema[c]).alias(names[c]) for c, _ in questions]])
    id_cols = [c for c in wide.columns if c not in names.values()]
    if not questions:
        long = wide.select(id_cols).with_columns(question=pl.lit(None, pl.String), answer=pl.lit(None, pl.String)).clear()
    else:
        long = wide.unpivot(index=id_cols, on=list(names.values()), variable_name="question", value_name="answer")
    order = {q: i for i, q in enumerate(names.values())}
    long = (
        long.filter(pl.col("answer").is_not_null() & (pl.col("answer") != ""))
        .with_columns(pl.col("question").replace_strict(order, default=-1, return_dtype=pl.Int64).alias("__q"))
        .sort(["__row", "__q"])
        .drop("__q")
    )
    fields = [f for f in ("respondent", "wave", "question", "answer", "org_kind", "part") if f in long.columns]
    long = long.select([*fields, "__row"])
    waves = sorted({w for w in long["wave"].to_list() if w})
    extra = {"adapter": adapter, "questions": [h for _, h in questions], "waves": waves}
    if len(waves) == 1:
        extra["wave"] = waves[0]
    return long, extra, []


TAG = r'"[^"]*"|[^,"]+'  # one tag: quoted (may hold a comma) or up to the next comma; marts/10_contacts_by_tag.sql


def tag_list(expr: pl.Expr) -> pl.Expr:
    """Mailchimp's '"Kernteam", "Nieuwsbrief"' (each tag quoted) as 'Kernteam, Nieuwsbrief'; no tags -> null.

    A tag with a comma in it stays quoted ('"Gemeente, provincie", Nieuwsbrief') so the mart splits it as one tag.
    """
    tags = expr.str.extract_all(TAG).list.eval(pl.element().str.strip_chars(' "\t'))
    kept = tags.list.eval(pl.element().filter(pl.element() != ""))
    quoted = kept.list.eval(pl.when(pl.element().str.contains(",", literal=True))
                            .then(pl.format('"{}"', pl.element())).otherwise(pl.element()))
    joined = quoted.list.join(", ")
    return pl.when(joined != "").then(joined)


def _mailchimp(df: pl.DataFrame, headers: list[str | None]) -> tuple[pl.DataFrame, dict, list[Problem]]:
    cols = [c for c in df.columns if c != "__row"]
    keys = {fold(h): c for c, h in zip(cols, headers, strict=True) if h is not None}
    schema = df.schema
    out = []
    email = next((keys[k] for k in ("emailaddress", "email", "emailadres") if k in keys), None)
    if email:
        out.append(_text(pl.col(email), schema[email]).alias("email"))
    if "tags" in keys:
        out.append(tag_list(_text(pl.col(keys["tags"]), schema[keys["tags"]])).alias("tags"))
    since = [keys[k] for k in MC_SINCE if k in keys]
    if since:
        same = len({schema[c] for c in since}) == 1
        exprs = [pl.col(c) if same else pl.col(c).cast(pl.String) for c in since]
        out.append(pl.coalesce(exprs).alias("since"))
    frame = df.select([*out, pl.col("__row")])  # names and every other column are dropped here
    return frame, {"adapter": "mailchimp"}, []
