"""Questions of the Eindresultaten 2023 page: the register of end results with status, progress and linked milestones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import polars as pl

from dashboard.format import fmt_count
from dashboard.i18n import t
from dashboard.layout import Layout, by_code
from dashboard.memo import per_version, styler
from etl.contract import PROGRESS_STATUSES


def register(wh, deal: str, as_of: dt.date | None = None) -> pl.DataFrame:
    """end_result, part, part_name, result, status, progress, milestones, milestones_done, milestone_names, note."""
    return wh.sql("end_results_register", deal=deal, as_of=as_of)


def by_status(wh, deal: str, as_of: dt.date | None = None) -> pl.DataFrame:
    """part, part_name, status, end_results: counts per part and status."""
    return wh.sql("end_results_by_status", deal=deal, as_of=as_of)


def status_counts(by_status_df: pl.DataFrame) -> dict[str, int]:
    """{"niet gestart": 2, "loopt": 12, "gereed": 0, "vertraagd": 0, "vervallen": 0} summed over the parts."""
    out = dict.fromkeys(PROGRESS_STATUSES, 0)
    for r in by_status_df.iter_rows(named=True):
        out[r["status"]] = out.get(r["status"], 0) + int(r["end_results"])
    return out


def part_names(df: pl.DataFrame) -> dict[str, str]:
    """{"OT1": "OT1 — Integrale opgave ..."} in register order, for the part filter."""
    out: dict[str, str] = {}
    for r in df.iter_rows(named=True):
        out.setdefault(r["part"], f"{r['part']} — {r['part_name']}" if r["part_name"] else r["part"])
    return out


def select(df: pl.DataFrame, parts: Iterable[str] = (), statuses: Iterable[str] = ()) -> pl.DataFrame:
    """The register rows of the chosen parts and statuses (nothing chosen = all)."""
    parts, statuses = list(parts), list(statuses)
    if parts:
        df = df.filter(pl.col("part").is_in(parts))
    if statuses:
        df = df.filter(pl.col("status").is_in(statuses))
    return df


def register_table(df: pl.DataFrame, lang: str = "nl") -> pl.DataFrame:
    """The register as shown and downloaded: status as icon and word, linked milestones as "1 van 2" and names."""
    from dashboard.charts import work_status_label

    return pl.DataFrame({
        t("results.col.id", lang): df["end_result"],
        t("results.col.part", lang): df["part"],
        t("results.col.result", lang): df["result"],
        t("results.col.status", lang): [work_status_label(s, lang) for s in df["status"]],
        t("results.col.progress", lang): (df["progress"] * 100).round(0).cast(pl.Int64),
        t("results.col.milestones_done", lang): [
            t("teams.of", lang, done=fmt_count(d, lang), total=fmt_count(n, lang)) if n else "–"
            for d, n in zip(df["milestones_done"], df["milestones"], strict=True)],
        t("results.col.milestones", lang): df["milestone_names"].fill_null(""),
        t("results.col.note", lang): df["note"].fill_null(""),
    })


# widths (px) of register_table's columns: with its long texts wrapped, the register fits beside the menu on a 1280 px
# screen, on Eindresultaten and for a team on Ontwikkelteams (dashboard/layout.py; tests/browser/test_pages.py)
REGISTER_WIDTHS = {"id": 76, "part": 76, "result": 150, "status": 98, "progress": 84, "milestones_done": 80,
                   "milestones": 140, "note": 112}


def register_layout(lang: str = "nl") -> Layout:
    return by_code(REGISTER_WIDTHS, lambda c: t(f"results.col.{c}", lang),
                   wrap=("id", "part", "result", "status", "milestones_done", "milestones", "note"), bars=("progress",),
                   helps={"milestones_done": t("results.milestones_done_help", lang),
                          "milestones": t("results.milestones_help", lang)})


def styled(table: pl.DataFrame, lang: str = "nl"):
    """The register table with each status in its colour (icon and word are in the text already)."""
    from dashboard.charts import WORK_STATUSES

    colours = {s.label(lang): f"color: {s.colour}; background-color: {s.background}" for s in WORK_STATUSES.values()}
    return styler(table.to_pandas()).map(lambda v: colours.get(v, ""), subset=[t("results.col.status", lang)])


def register_view(wh, deal: str, parts: Iterable[str], statuses: Iterable[str], as_of: dt.date | None = None,
                  lang: str = "nl") -> tuple[int, pl.DataFrame | None, object]:
    """(rows chosen, register_table of them as downloaded, the same styled as shown), once per data version:
    the table is None when nothing is chosen."""
    parts, statuses = tuple(parts), tuple(statuses)

    def compute():
        shown = select(register(wh, deal, as_of), parts, statuses)
        if shown.is_empty():
            return 0, None, None
        table = register_table(shown, lang)
        return shown.height, table, styled(table, lang)

    return per_version(wh, ("results_register", deal, parts, statuses, as_of, lang), compute)
