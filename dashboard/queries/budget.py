"""Questions of the Begroting page: budgeted against realised, the development money carried over, posts, funders."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from dashboard.format import fmt_money, formatted
from dashboard.memo import derived, per_version

COST_TYPES = ("basis", "ontwikkeling")


@dataclass(frozen=True)
class Source:
    """Where a sheet's current figures come from, for the "Bron: ..." caption."""

    file: str | None
    sheet: str | None
    delivered: dt.datetime | None

    @property
    def delivered_ok(self) -> bool:
        return self.file is not None


def source(wh, deal: str, sheet: str, as_of: dt.date | None = None) -> Source:
    """The current delivery of a contract sheet (Dutch name, e.g. "Begroting"); file None when never delivered.

    Once per data version: most pages ask it on every rerun."""
    def compute() -> Source:
        df = wh.sql("freshness", deal=deal, as_of=as_of).filter(pl.col("sheet") == sheet)
        if df.is_empty() or df["state"][0] == "ontbreekt":
            return Source(None, sheet, None)
        row = df.row(0, named=True)
        return Source(row["file"], row["source_sheet"] or sheet, row["loaded_at"])

    return per_version(wh, ("source", deal, sheet, as_of), compute)


def budget_by_year(wh, deal: str, as_of: dt.date | None = None) -> pl.DataFrame:
    """year, cost_type, budgeted, realised (NULL while a post is unknown), realised_so_far, posts_unknown."""
    return wh.sql("budget_by_year", deal=deal, as_of=as_of)


def budget_carry_over(wh, deal: str, as_of: dt.date | None = None) -> pl.DataFrame:
    """The development money per year: budgeted, carried_in, available, realised, surplus, unspent (the mart's rules)."""
    return wh.sql("budget_carry_over", deal=deal, as_of=as_of)


def budget_posts(wh, deal: str, year: int, as_of: dt.date | None = None) -> pl.DataFrame:
    """Posts of one year: cost_type, post, part, budgeted, realised, difference, note. Detail: check
    auth.can_see_budget_detail before showing it."""
    return wh.sql("budget_posts", deal=deal, year=year, as_of=as_of)


def contributions_by_funder(wh, deal: str, year: int, as_of: dt.date | None = None) -> pl.DataFrame:
    """Funders of one year: organisation, partner_kind, promised, received, outstanding (both cost types)."""
    return wh.sql("contributions_by_funder", deal=deal, year=year, as_of=as_of)


# --- display tables (Dutch headers, money as "€ 12.500" so screen and download agree) ----------------

HEADERS: dict[str, tuple[str, str]] = {
    "year": ("Jaar", "Year"), "cost_type": ("Kostensoort", "Cost type"), "post": ("Post", "Item"),
    "part": ("Onderdeel", "Part"), "budgeted": ("Begroot", "Budgeted"), "realised": ("Gerealiseerd", "Realised"),
    "difference": ("Verschil", "Difference"), "note": ("Toelichting", "Note"),
    "carried_in": ("Doorgeschoven uit vorig jaar", "Carried in"), "available": ("Beschikbaar", "Available"),
    "surplus": ("Over (doorgeschoven)", "Left (carried over)"), "organisation": ("Financier", "Funder"),
    "partner_kind": ("Soort", "Type"), "promised": ("Toegezegd", "Promised"), "received": ("Ontvangen", "Received"),
    "outstanding": ("Nog te ontvangen", "Outstanding"), "posts_unknown": ("Posten zonder realisatie", "Posts not yet realised"),
}
MONEY = ("budgeted", "realised", "difference", "carried_in", "available", "surplus", "promised", "received", "outstanding")


def display(df: pl.DataFrame, columns: list[str], lang: str = "nl") -> pl.DataFrame:
    """Pick columns, format money in Dutch ("€ 12.500", "–" when unknown) and give the display headers.

    Kept per frame object (a page passes the same query result on every rerun)."""
    def compute() -> pl.DataFrame:
        i = 1 if lang == "en" else 0
        out = df.select(columns)
        out = out.with_columns(formatted(out[c], fmt_money, lang, skip_nulls=False) for c in columns if c in MONEY)
        return out.rename({c: HEADERS[c][i] for c in columns if c in HEADERS})

    return derived(df, ("budget_display", tuple(columns), lang), compute)


def totals_table(by_year: pl.DataFrame, lang: str = "nl") -> pl.DataFrame:
    return display(by_year, ["year", "cost_type", "budgeted", "realised", "posts_unknown"], lang)


def carry_over_table(carry: pl.DataFrame, lang: str = "nl") -> pl.DataFrame:
    return display(carry, ["year", "budgeted", "carried_in", "available", "realised", "surplus"], lang)


def posts_table(posts: pl.DataFrame, lang: str = "nl") -> pl.DataFrame:
    return display(posts, ["cost_type", "post", "part", "budgeted", "realised", "difference", "note"], lang)


def contributions_table(funders: pl.DataFrame, lang: str = "nl") -> pl.DataFrame:
    return display(funders, ["organisation", "partner_kind", "promised", "received", "outstanding"], lang)
