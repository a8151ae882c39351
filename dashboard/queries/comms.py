"""Questions of the Communicatie en netwerk page: output per channel, mailing-list contacts per tag, partners over time."""

from __future__ import annotations

import datetime as dt

import polars as pl

from dashboard.i18n import t
from dashboard.memo import derived

COMM_INDICATORS = ("newsletters", "team_updates", "workbook_updates")
NETWORK_INDICATORS = ("contacts", "partners", "municipalities")


def pick(ind: pl.DataFrame, codes: tuple[str, ...], year: int) -> pl.DataFrame:
    """The rows of these indicator codes for the year, in the order given (for the KPI tiles).

    Kept per indicators frame: the same frame object on every rerun, so its tiles' texts are kept too."""
    def compute() -> pl.DataFrame:
        rows = ind.filter(pl.col("indicator").is_in(codes) & (pl.col("year") == year))
        order = {c: i for i, c in enumerate(codes)}
        return rows.sort(pl.col("indicator").replace_strict(order, return_dtype=pl.Int32))

    return derived(ind, ("pick", tuple(codes), year), compute)


def by_month(wh, deal: str, year: int, as_of: dt.date | None = None) -> pl.DataFrame:
    """month (first day), channel, items, reach for the months of `year`."""
    return wh.sql("communication_by_month", deal=deal, year=year, as_of=as_of)


def by_year(wh, deal: str, as_of: dt.date | None = None) -> pl.DataFrame:
    """year, channel, items, reach."""
    return wh.sql("communication_by_year", deal=deal, as_of=as_of)


def contacts_by_tag(wh, deal: str, as_of: dt.date | None = None) -> pl.DataFrame:
    """tag (quotes of Mailchimp exports stripped; NULL = no tag), contacts: the current Contacten delivery."""
    return wh.sql("contacts_by_tag", deal=deal, as_of=as_of)


def partners_by_kind(wh, deal: str, as_of: dt.date | None = None) -> pl.DataFrame:
    """year, partner_kind, active, joined, left for the years begun by the reference date."""
    return wh.sql("partners_by_kind", deal=deal, as_of=as_of)


def municipalities(wh, deal: str, year: int, as_of: dt.date | None = None) -> pl.DataFrame:
    """organisation, since, until: the municipalities among the partners on the year's cutoff."""
    return wh.sql("municipalities", deal=deal, year=year, as_of=as_of)


def years_text(years: list[int], lang: str = "nl") -> str:
    """ "in 2021–2022", or "in 2022" for a single year."""
    first, last = min(years), max(years)
    if first == last:
        return t("comms.period_text.month", lang, year=first)
    return t("comms.period_text.year", lang, first=first, last=last)


def channel_label(code: str, lang: str = "nl") -> str:
    return t(f"comms.channel.{code}", lang)


def kind_label(code: str, lang: str = "nl") -> str:
    return t(f"comms.kind.{code}", lang)


def communication_table(df: pl.DataFrame, period: str, lang: str = "nl") -> pl.DataFrame:
    """by_month or by_year as shown and downloaded: period, channel (word), items, reach."""
    col = t("comms.col.month" if period == "month" else "comms.col.year", lang)
    return pl.DataFrame({
        col: df[period],
        t("comms.col.channel", lang): [channel_label(c, lang) for c in df["channel"]],
        t("comms.col.items", lang): df["items"],
        t("comms.col.reach", lang): df["reach"],
    })


def contacts_table(df: pl.DataFrame, lang: str = "nl") -> pl.DataFrame:
    return pl.DataFrame({
        t("comms.col.tag", lang): df["tag"].fill_null(t("comms.no_tag", lang)),
        t("comms.col.contacts", lang): df["contacts"],
    })


def partners_table(df: pl.DataFrame, lang: str = "nl") -> pl.DataFrame:
    return pl.DataFrame({
        t("comms.col.year", lang): df["year"],
        t("comms.col.kind", lang): [kind_label(k, lang) for k in df["partner_kind"]],
        t("comms.col.active", lang): df["active"],
        t("comms.col.joined", lang): df["joined"],
        t("comms.col.left", lang): df["left"],
    })


def municipality_table(df: pl.DataFrame, lang: str = "nl") -> pl.DataFrame:
    return pl.DataFrame({
        t("comms.col.organisation", lang): df["organisation"],
        t("comms.col.since", lang): df["since"],
    }, schema_overrides={t("comms.col.since", lang): pl.Date})
