"""Questions of the Overzicht and Gegevens pages that the indicators API does not answer (SQL in dashboard/sql/)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from dashboard.format import fmt_change, fmt_value, formatted, is_change
from dashboard.memo import per_version

SEVERITIES = ("hoog", "middel", "laag")


def peildata(wh, deal: str) -> list[dt.date]:
    """The dates the deal's deliveries describe, newest first (the choices of the as-of filter)."""
    return wh.sql("peildata", deal=deal)["peildatum"].to_list()


def deal_years(wh, deal: str) -> list[int]:
    return [int(y) for y in wh.sql("deal_years", deal=deal)["year"].to_list()]


def open_bottlenecks(wh, deal: str, as_of: dt.date | None = None) -> pl.DataFrame:
    """reported_on, part, issue, severity, severity_rank, status, action: most severe and oldest first."""
    return wh.sql("bottlenecks_open", deal=deal, as_of=as_of)


def bottlenecks_by_severity(wh, deal: str, as_of: dt.date | None = None) -> pl.DataFrame:
    return wh.sql("bottlenecks_by_severity", deal=deal, as_of=as_of)


def severity_counts(by_severity: pl.DataFrame) -> dict[str, int]:
    """{"hoog": 2, "middel": 0, "laag": 1, "onbekend": 0} from bottlenecks_by_severity."""
    out = dict.fromkeys((*SEVERITIES, "onbekend"), 0)
    for r in by_severity.iter_rows(named=True):
        out[r["severity"] or "onbekend"] += int(r["open_bottlenecks"])
    return out


@dataclass(frozen=True)
class Freshness:
    peildatum: dt.date | None  # the newest date any current delivery describes
    last_loaded: dt.datetime | None  # when the newest current delivery was loaded
    missing: list[str]  # sheets never delivered
    stale: list[tuple[str, dt.date]]  # sheets whose delivery describes a date over three months old
    sheets: pl.DataFrame  # sheet, file, source_sheet, loaded_at, peildatum, rows, state


def freshness(wh, deal: str, as_of: dt.date | None = None) -> Freshness:
    """How fresh the deal's current deliveries are, once per data version."""
    return per_version(wh, ("freshness", deal, as_of), lambda: _freshness(wh, deal, as_of))


def _freshness(wh, deal: str, as_of: dt.date | None) -> Freshness:
    df = wh.sql("freshness", deal=deal, as_of=as_of)
    present = df.filter(pl.col("state") != "ontbreekt")
    return Freshness(
        peildatum=present["peildatum"].max() if present.height else None,
        last_loaded=present["loaded_at"].max() if present.height else None,
        missing=df.filter(pl.col("state") == "ontbreekt")["sheet"].to_list(),
        stale=[(r["sheet"], r["peildatum"] or r["loaded_at"].date())
               for r in df.filter(pl.col("state") == "verouderd").iter_rows(named=True)],
        sheets=df,
    )


def deliveries(wh, deal: str, as_of: dt.date | None = None) -> pl.DataFrame:
    """Every delivered sheet of the deal with lineage, newest first; is_current as of `as_of`."""
    return wh.sql("deliveries", deal=deal, as_of=as_of)


def data_warnings(wh, deal: str, as_of: dt.date | None = None) -> pl.DataFrame:
    return wh.sql("data_warnings", deal=deal, as_of=as_of)


def has_previous(indicators: pl.DataFrame) -> bool:
    """Whether there is a previous delivery to compare with (some indicator has a previous value)."""
    return "previous_value" in indicators.columns and indicators["previous_value"].is_not_null().any()


def changes(indicators: pl.DataFrame, lang: str = "nl") -> list[str]:
    """What changed since the previous delivery, one sentence per indicator, biggest status news first.

    "Kernteamoverleggen gehouden: van 2 naar 4 (+2)".
    """
    label = "label_en" if lang == "en" else "label_nl"
    moved = indicators.filter(pl.col("change").is_not_null() & (pl.col("change") != 0))
    moved = moved.filter(pl.Series([is_change(c, u) for c, u in zip(moved["change"], moved["unit"], strict=True)],
                                   dtype=pl.Boolean))
    word = ("van", "naar") if lang == "nl" else ("from", "to")
    return [
        f"{r[label]}: {word[0]} {fmt_value(r['previous_value'], r['unit'], lang)} {word[1]} "
        f"{fmt_value(r['value'], r['unit'], lang)} ({fmt_change(r['change'], r['unit'], lang)})"
        for r in moved.iter_rows(named=True)
    ]


STALE_AFTER_MONTHS = 3


def months_before(d: dt.date, months: int) -> dt.date:
    """The same day `months` earlier (clamped to the month's last day): 31 May - 3 months = 28/29 February."""
    y, m = divmod(d.year * 12 + d.month - 1 - months, 12)
    for day in (d.day, 30, 29, 28):
        try:
            return dt.date(y, m + 1, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def stale_sheets(fresh: Freshness, as_of: dt.date) -> list[tuple[str, dt.date]]:
    """Delivered sheets describing a date more than three months before `as_of` (the chosen Peildatum)."""
    limit = months_before(as_of, STALE_AFTER_MONTHS)
    out = []
    for r in fresh.sheets.filter(pl.col("state") != "ontbreekt").iter_rows(named=True):
        described = r["peildatum"] or r["loaded_at"].date()
        if described < limit:
            out.append((r["sheet"], described))
    return out


def is_old(peildatum: dt.date | None, today: dt.date | None = None) -> bool:
    """The newest data describes a date more than three months ago."""
    return peildatum is not None and peildatum < months_before(today or dt.date.today(), STALE_AFTER_MONTHS)


# Display headers (Dutch, English) of the tables these pages show and offer for download.
HEADERS: dict[str, tuple[str, str]] = {
    "label_nl": ("Indicator", "Indicator"), "year": ("Jaar", "Year"), "value": ("Waarde", "Value"),
    "target_min": ("Doel minimum", "Target minimum"), "target_max": ("Doel maximum", "Target maximum"),
    "expected_to_date": ("Verwacht op peildatum", "Expected by as-of date"), "status_word": ("Status", "Status"),
    "previous_value": ("Vorige levering", "Previous delivery"), "change": ("Verandering", "Change"),
    "unit": ("Eenheid", "Unit"), "source_file": ("Bestand", "File"), "source_sheet": ("Tabblad", "Sheet"),
    "reported_on": ("Datum", "Date"), "part": ("Onderdeel", "Part"), "issue": ("Knelpunt", "Bottleneck"),
    "severity": ("Ernst", "Severity"), "status": ("Status", "Status"), "action": ("Actie", "Action"),
    "sheet": ("Tabblad", "Sheet"), "file": ("Bestand", "File"), "source_sheet_name": ("Tabblad in bestand", "Sheet in file"),
    "rows": ("Rijen", "Rows"), "peildatum": ("Peildatum", "As-of date"), "loaded_at": ("Geladen op", "Loaded at"),
    "is_current": ("Actueel", "Current"), "rolled_back_at": ("Teruggedraaid op", "Rolled back at"),
    "warnings": ("Waarschuwingen", "Warnings"), "delivery_id": ("Levering", "Delivery"), "batch_id": ("Zending", "Batch"),
    "row": ("Rij", "Row"), "column": ("Kolom", "Column"), "message": ("Melding", "Message"),
    "state": ("Stand", "State"),
}


def display(df: pl.DataFrame, columns: list[str], lang: str = "nl") -> pl.DataFrame:
    """Pick `columns` and give them their display headers (so the download has the same headers)."""
    i = 1 if lang == "en" else 0
    return df.select(columns).rename({c: HEADERS[c][i] for c in columns if c in HEADERS})


def indicator_table(ind: pl.DataFrame, lang: str = "nl") -> pl.DataFrame:
    from dashboard import theme

    label = "label_en" if lang == "en" else "label_nl"
    d = ind.with_columns(
        label_nl=pl.col(label),
        status_word=formatted(ind["status"], lambda s: theme.status(s).label(lang)),
    )
    return display(d, ["label_nl", "year", "value", "target_min", "target_max", "expected_to_date", "status_word",
                       "previous_value", "change", "unit", "source_file", "source_sheet"], lang)


def bottleneck_table(df: pl.DataFrame, lang: str = "nl") -> pl.DataFrame:
    return display(df, ["reported_on", "part", "issue", "severity", "status", "action"], lang)


def default_deal(wh, codes: list[str]) -> str:
    """The deal shown first: the one with the most deliveries (the deal actually being monitored)."""
    ranked = [d for d in wh.sql("deal_activity")["deal"].to_list() if d in codes]
    return ranked[0] if ranked else codes[0]


def sheet_states(fresh: Freshness, as_of: dt.date) -> pl.DataFrame:
    """fresh.sheets with state judged against the chosen Peildatum (as the overview does), not today."""
    stale = {s for s, _ in stale_sheets(fresh, as_of)}
    return fresh.sheets.with_columns(
        state=pl.when(pl.col("state") == "ontbreekt").then(pl.lit("ontbreekt"))
        .when(pl.col("sheet").is_in(list(stale))).then(pl.lit("verouderd"))
        .otherwise(pl.lit("actueel"))
    )


@dataclass(frozen=True)
class OverviewView:
    """What the Overzicht page derives from its queries for one deal, year, as-of date and language."""

    fresh: Freshness
    status_table: pl.DataFrame  # the data behind the status chart
    changed: list[str]  # changes() sentences
    changes_table: pl.DataFrame  # the data behind the changes chart
    counts: dict[str, int]  # open bottlenecks per severity
    bottlenecks: pl.DataFrame  # bottleneck_table of the open ones


def view(wh, deal: str, ind: pl.DataFrame, year: int, as_of: dt.date | None = None, lang: str = "nl") -> OverviewView:
    """The page's frames, derived once per data version (`ind`: indicators(wh, deal, year, as_of), itself kept so)."""
    from dashboard.charts import changed

    def compute() -> OverviewView:
        return OverviewView(
            fresh=freshness(wh, deal, as_of),
            status_table=indicator_table(ind, lang),
            changed=changes(ind, lang),
            changes_table=indicator_table(changed(ind), lang),
            counts=severity_counts(bottlenecks_by_severity(wh, deal, as_of)),
            bottlenecks=bottleneck_table(open_bottlenecks(wh, deal, as_of), lang),
        )

    return per_version(wh, ("overview_view", deal, year, as_of, lang), compute)


@dataclass(frozen=True)
class DataView:
    """The Gegevens page's tables for one deal, as-of date (`chosen`: the Peildatum picked) and language."""

    sheets: pl.DataFrame  # every contract sheet with its state and current delivery
    history: pl.DataFrame  # every delivery with lineage
    warnings: pl.DataFrame  # data-quality warnings (may be empty)


def data_view(wh, deal: str, as_of: dt.date | None, chosen: dt.date, lang: str = "nl") -> DataView:
    """The page's tables, derived once per data version: a rerun of the page only draws them."""
    from dashboard.i18n import t

    def compute() -> DataView:
        current = sheet_states(freshness(wh, deal, as_of), chosen).with_columns(
            state=pl.col("state").replace({"ontbreekt": t("data.state.missing", lang),
                                           "verouderd": t("data.state.stale", lang),
                                           "actueel": t("data.state.current", lang)}),
            source_sheet_name=pl.col("source_sheet"),
        )
        history = deliveries(wh, deal, as_of).rename({"source_sheet": "source_sheet_name"})
        return DataView(
            sheets=display(current, ["sheet", "state", "file", "source_sheet_name", "rows", "peildatum", "loaded_at"],
                           lang),
            # what a kernteam member looks for first (which sheet, which date, how many rows, warnings, whether it
            # counts) in view at 1440 px; the lineage (file, sheet in the file, load time, batch) to the right of it
            history=display(history, ["delivery_id", "sheet", "peildatum", "rows", "warnings", "is_current",
                                      "rolled_back_at", "file", "source_sheet_name", "loaded_at", "batch_id"], lang),
            warnings=display(data_warnings(wh, deal, as_of), ["file", "sheet", "row", "column", "message"], lang),
        )

    return per_version(wh, ("data_view", deal, as_of, chosen, lang), compute)
