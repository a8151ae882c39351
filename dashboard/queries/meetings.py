"""Questions of the Bijeenkomsten page: meetings held against target, the year's timeline, attendance per organisation."""

from __future__ import annotations

import datetime as dt

import polars as pl

from dashboard.layout import Layout, by_code
from dashboard.memo import derived
from dashboard.queries.indicators import indicators

# Organisations (and partner types) with fewer attendance rows are never listed: their rate would describe a person.
MIN_ROWS = 3

# The meeting indicators of the catalogue, in the order the page shows them, with the meeting kind they count.
MEETING_INDICATORS: tuple[tuple[str, str], ...] = (
    ("kernteam_meetings", "kernteam"),
    ("directors_meetings", "directeurenoverleg"),
    ("work_sessions", "werksessie"),
    ("atelier_days", "atelierdag"),
    ("lead_meetings", "kartrekkersoverleg"),
    ("team_meetings", "ontwikkelteam"),
)


def meetings_vs_target(wh, deal: str, as_of: dt.date | None = None, upto_year: int | None = None) -> pl.DataFrame:
    """Held against target per meeting kind and year, straight from the indicators API (never recomputed).

    Columns: indicator, meeting_kind, year, value, target_min, target_max, expected_to_date, status, label_nl,
    label_en, source_file, source_sheet, delivered_at. Years without data (not begun, sheet missing) are left out.
    """
    ind = indicators(wh, deal, None, as_of)
    if ind.is_empty():
        return ind.with_columns(meeting_kind=pl.lit(None, pl.String))
    kinds = pl.DataFrame({"indicator": [c for c, _ in MEETING_INDICATORS],
                          "meeting_kind": [k for _, k in MEETING_INDICATORS],
                          "order": list(range(len(MEETING_INDICATORS)))})
    out = ind.join(kinds, on="indicator", how="inner").filter(pl.col("value").is_not_null())
    if upto_year is not None:
        out = out.filter(pl.col("year") <= upto_year)
    return out.sort("year", "order").select(
        "indicator", "meeting_kind", "year", "value", "target_min", "target_max", "expected_to_date", "status",
        "label_nl", "label_en", "source_file", "source_sheet", "delivered_at")


def attendance_indicator(wh, deal: str, year: int, as_of: dt.date | None = None) -> pl.DataFrame:
    """The attendance_rate indicator of one year (value, target, status, source) as one row."""
    # all years, like meetings_vs_target: the warehouse cache then answers the second call
    ind = indicators(wh, deal, None, as_of)
    return derived(ind, ("attendance_rate", year),  # the same frame on every rerun: its tile texts are kept too
                   lambda: ind.filter((pl.col("indicator") == "attendance_rate") & (pl.col("year") == year)))


def meetings_by_kind(wh, deal: str, as_of: dt.date | None = None) -> pl.DataFrame:
    """year, meeting_kind, held, planned, cancelled, meetings."""
    return wh.sql("meetings_by_kind", deal=deal, as_of=as_of)


def meetings_timeline(wh, deal: str, year: int, as_of: dt.date | None = None) -> pl.DataFrame:
    """Every meeting of one year: meeting_date, meeting_kind, title, part, form, status."""
    return wh.sql("meetings_timeline", deal=deal, year=year, as_of=as_of)


def attendance_by_organisation(wh, deal: str, year: int, as_of: dt.date | None = None,
                               min_rows: int = MIN_ROWS) -> pl.DataFrame:
    """Per organisation with at least `min_rows` rows, over held meetings: organisation, partner_kind,
    invitations, present, excused, absent, rate; lowest rate first. Never per person."""
    return wh.sql("attendance_by_organisation", deal=deal, year=year, as_of=as_of, min_rows=min_rows)


def attendance_by_partner_kind(wh, deal: str, year: int, as_of: dt.date | None = None,
                               min_rows: int = MIN_ROWS) -> pl.DataFrame:
    """Per partner type: partner_kind (NULL: not on the Partners sheet), organisations, invitations, present,
    excused, absent, rate."""
    return wh.sql("attendance_by_partner_kind", deal=deal, year=year, as_of=as_of, min_rows=min_rows)


def absentees(by_org: pl.DataFrame, target: float | None, limit: int = 10) -> pl.DataFrame:
    """"Wie blijft weg": the organisations below the attendance target (all, when there is none), lowest first."""
    def compute() -> pl.DataFrame:
        df = by_org if target is None else by_org.filter(pl.col("rate") < target)
        return df.sort("rate", "invitations", descending=[False, True]).head(limit)

    # the same frame on every rerun, so its display table and wrapped widths are worked out once too
    return derived(by_org, ("absentees", target, limit), compute)


HEADERS: dict[str, tuple[str, str]] = {
    "organisation": ("Organisatie", "Organisation"), "partner_kind": ("Soort", "Type"),
    "invitations": ("Uitnodigingen", "Invitations"), "present": ("Aanwezig", "Present"),
    "excused": ("Afgemeld", "Excused"), "absent": ("Afwezig zonder afmelding", "Absent without notice"),
    "rate": ("Opkomst", "Attendance"), "year": ("Jaar", "Year"), "meeting_kind": ("Soort bijeenkomst", "Meeting kind"),
    "held": ("Gehouden", "Held"), "planned": ("Gepland", "Planned"), "cancelled": ("Geannuleerd", "Cancelled"),
    "meetings": ("Totaal", "Total"), "meeting_date": ("Datum", "Date"), "title": ("Titel", "Title"),
    "part": ("Onderdeel", "Part"), "form": ("Vorm", "Form"), "status": ("Status", "Status"),
    "organisations": ("Organisaties", "Organisations"),
}


# "Wie blijft weg" beside the menu on a 1280 px screen: fixed widths, the organisation and its kind wrapped
ABSENTEE_WIDTHS = {"organisation": 195, "partner_kind": 118, "invitations": 100, "present": 76, "excused": 76,
                   "absent": 165, "rate": 72}


def absentee_layout(lang: str = "nl") -> Layout:
    return by_code(ABSENTEE_WIDTHS, lambda c: HEADERS[c][1 if lang == "en" else 0],
                   wrap=("organisation", "partner_kind"))


def display(df: pl.DataFrame, columns: list[str], lang: str = "nl") -> pl.DataFrame:
    """Pick columns, rates as "78%" and partner type NULL as "geen partner", with the display headers.

    Kept per frame object (a page passes the same query result on every rerun)."""
    from dashboard.format import fmt_ratio, formatted

    def compute() -> pl.DataFrame:
        i = 1 if lang == "en" else 0
        out = df.select(columns)
        if "rate" in columns:
            out = out.with_columns(formatted(out["rate"], fmt_ratio, lang))
        if "partner_kind" in columns:
            out = out.with_columns(pl.col("partner_kind").fill_null("geen partner" if i == 0 else "not a partner"))
        return out.rename({c: HEADERS[c][i] for c in columns if c in HEADERS})

    return derived(df, ("meetings_display", tuple(columns), lang), compute)


def target_table(vs: pl.DataFrame, lang: str = "nl") -> pl.DataFrame:
    """The data behind the held-against-target chart: kind, year, held, target, status in words."""
    from dashboard import theme
    from dashboard.format import fmt_target

    nl = lang == "nl"
    label = "label_en" if lang == "en" else "label_nl"
    return pl.DataFrame({
        "Indicator": vs[label],
        "Jaar" if nl else "Year": vs["year"],
        "Gehouden" if nl else "Held": vs["value"].cast(pl.Int64),
        "Doel" if nl else "Target": [fmt_target(lo, hi, "count", lang) for lo, hi in zip(vs["target_min"], vs["target_max"], strict=True)],
        "Status": [theme.status(s).label(lang) for s in vs["status"]],
    }, schema_overrides={"Jaar" if nl else "Year": pl.Int32})
