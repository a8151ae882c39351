"""Questions of the Ontwikkelteams page: the development teams, their milestones, meetings against target and end results."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from dashboard.format import fmt_count, fmt_target
from dashboard.i18n import t
from dashboard.layout import Layout, by_code
from dashboard.memo import per_version
from dashboard.queries.indicators import status_of
from etl.catalogue import BY_CODE

ALL = "alle"  # the team picker's value for "Alle teams"
LABEL_CHARS = 80  # longer milestone names are shortened on the timeline's axis (the table shows them whole)


@dataclass(frozen=True)
class Source:
    """Where a figure comes from: the current delivery of one sheet."""

    file: str | None
    sheet: str
    delivered: dt.datetime | None


def source(wh, deal: str, sheet: str, as_of: dt.date | None = None) -> Source:
    """The current delivery of `sheet` (its Dutch contract name) as of `as_of`; file None when never delivered."""
    df = wh.sql("sheet_sources", deal=deal, as_of=as_of).filter(pl.col("sheet") == sheet)
    if df.is_empty():
        return Source(None, sheet, None)
    row = df.row(0, named=True)
    return Source(row["file"], sheet, row["loaded_at"])


def sources(wh, deal: str, sheets: tuple[str, ...], as_of: dt.date | None = None) -> dict[str, Source]:
    return {sheet: source(wh, deal, sheet, as_of) for sheet in sheets}


def percent(values: pl.Series) -> pl.Series:
    """Fractions 0..1 as whole percentages 0..100 (what the progress bars show and the downloads hold)."""
    return (values * 100).round(0).cast(pl.Int64)


def teams(wh, deal: str, as_of: dt.date | None = None) -> pl.DataFrame:
    """part, part_name, lead: the development teams (the same ones the team_meetings indicator counts)."""
    return wh.sql("teams", deal=deal, as_of=as_of)


def team_names(df: pl.DataFrame) -> dict[str, str]:
    """{"OT1": "OT1 — Integrale opgave en beleidsontwikkeling"} for the team picker."""
    return {r["part"]: f"{r['part']} — {r['part_name']}" if r["part_name"] else r["part"]
            for r in df.iter_rows(named=True)}


def meeting_target(ind: pl.DataFrame, year: int) -> dict[str, float | None]:
    """The team_meetings indicator's target for the year: target_min, target_max and expected_to_date."""
    row = ind.filter((pl.col("indicator") == "team_meetings") & (pl.col("year") == year))
    if row.is_empty():
        code = BY_CODE["team_meetings"]
        return {"target_min": code.target_min, "target_max": code.target_max, "expected_to_date": code.target_min}
    r = row.row(0, named=True)
    return {k: r[k] for k in ("target_min", "target_max", "expected_to_date")}


def team_overview(wh, deal: str, parts: list[str], year: int, ind: pl.DataFrame,
                  as_of: dt.date | None = None) -> pl.DataFrame:
    """One row per team: milestones (total, due, done, late), meetings held in `year` with the indicator's target and
    a status by the indicator's rule, end results (total, ready) and their mean progress."""
    df = wh.sql("team_overview", deal=deal, parts=list(parts), year=year, as_of=as_of)
    target = meeting_target(ind, year)
    spec = BY_CODE["team_meetings"]
    status = [status_of(spec, float(h), target["expected_to_date"], target["target_max"]) for h in df["held"]]
    return df.with_columns(
        pl.lit(target["expected_to_date"], dtype=pl.Float64).alias("expected"),
        pl.lit(target["target_min"], dtype=pl.Float64).alias("target_min"),
        pl.lit(target["target_max"], dtype=pl.Float64).alias("target_max"),
        pl.Series("meetings_status", status, dtype=pl.String),
    )


def milestones(wh, deal: str, parts: list[str], as_of: dt.date | None = None) -> pl.DataFrame:
    """The teams' milestones: part, part_name, milestone, planned, done, status, progress, end_result, note,
    is_due, is_late (by milestone_flags' rule) and ref_date."""
    return wh.sql("team_milestones", deal=deal, parts=list(parts), as_of=as_of)


def timeline_data(ms: pl.DataFrame, with_part: bool = False) -> pl.DataFrame:
    """Rows for charts.timeline: item (prefixed with the team code when several teams show), part, planned, done,
    status and late (the warehouse's flag, so chart and table agree). Two milestones whose shortened names
    coincide would share a row; the table below the chart always has them apart."""
    name = pl.when(pl.col("milestone").str.len_chars() > LABEL_CHARS) \
        .then(pl.col("milestone").str.slice(0, LABEL_CHARS - 1) + "…").otherwise(pl.col("milestone"))
    item = pl.concat_str(pl.col("part"), pl.lit(" · "), name) if with_part else name
    return ms.select(item.alias("item"), "part", "planned", "done", "status", pl.col("is_late").alias("late"))


# The overview's columns and their widths (px): nine columns that fit beside the menu on a 1280 px screen (818 px;
# a wider screen stretches them alike). The name wraps onto more lines; the headers are short, their help (a tooltip)
# and the caption under the table say the rest (tests/browser/test_pages.py).
OVERVIEW_COLUMNS = {"team": 52, "name": 146, "milestones": 90, "late": 62, "progress": 100, "held": 92, "expected": 74,
                    "status": 96, "end_results": 104}


def overview_header(column: str, lang: str = "nl") -> str:
    return t(f"teams.overview.col.{column}", lang)


def overview_layout(year: int, lang: str = "nl") -> Layout:
    """The overview's widths, the name wrapped, the progress bar, and a tooltip on every short header but Team and
    Naam."""
    helps = {c: t(f"teams.overview.help.{c}", lang, year=year) for c in OVERVIEW_COLUMNS if c not in ("team", "name")}
    return by_code(OVERVIEW_COLUMNS, lambda c: overview_header(c, lang), wrap=("name",), bars=("progress",),
                   helps=helps)


def overview_table(df: pl.DataFrame, year: int, lang: str = "nl") -> pl.DataFrame:
    """The six teams side by side, as shown and downloaded (Dutch or English headers)."""
    from dashboard.charts import meeting_status_label

    of = lambda a, b: t("teams.of", lang, done=fmt_count(a, lang), total=fmt_count(b, lang))  # noqa: E731
    h = lambda column: overview_header(column, lang)  # noqa: E731
    rows = []
    for r in df.iter_rows(named=True):
        rows.append({
            h("team"): r["part"],
            h("name"): r["part_name"] or "",
            h("milestones"): of(r["done"], r["milestones"]),
            h("late"): r["late"],
            h("progress"): None if r["progress"] is None else round(r["progress"] * 100),
            h("held"): r["held"],
            h("expected"): None if r["expected"] is None else round(r["expected"]),
            h("status"): meeting_status_label(r["meetings_status"], lang),
            h("end_results"): of(r["end_results_ready"], r["end_results"]),
        })
    return pl.DataFrame(rows, schema_overrides={h("progress"): pl.Int64, h("expected"): pl.Int64})


def meetings_table(df: pl.DataFrame, year: int, lang: str = "nl") -> pl.DataFrame:
    """The data behind the team meetings chart: held, expected by the as-of date, status."""
    from dashboard.charts import meeting_status_label

    return pl.DataFrame({
        t("teams.col.team", lang): df["part"],
        t("teams.col.meetings", lang, year=year): df["held"],
        t("teams.col.expected", lang): df["expected"].round(0).cast(pl.Int64),
        t("teams.col.meetings_status", lang): [meeting_status_label(s, lang) for s in df["meetings_status"]],
    })


def indicator_label(lang: str = "nl") -> str:
    """The team_meetings indicator's name, to say which rule the team figures follow."""
    spec = BY_CODE["team_meetings"]
    return spec.label_en if lang == "en" else spec.label_nl


def meeting_tile(row: dict, year: int, src: Source, lang: str = "nl") -> dict:
    """One team's meetings as a KPI-tile row (components.kpi_tile): held, the indicator's target and status."""
    return {"label_nl": t("teams.tile.meetings", "nl", year=year), "label_en": t("teams.tile.meetings", "en", year=year),
            "value": row["held"], "unit": "count", "target_min": row["target_min"], "target_max": row["target_max"],
            "expected_to_date": row["expected"], "status": row["meetings_status"],
            "source_file": src.file, "source_sheet": src.sheet, "delivered_at": src.delivered}


def milestone_table(ms: pl.DataFrame, lang: str = "nl") -> pl.DataFrame:
    """A team's milestones as shown and downloaded: late ones marked with a word, not only a colour."""
    from dashboard.charts import work_status_label

    late = t("chart.timeline.late", lang)
    return pl.DataFrame({
        t("teams.col.team", lang): ms["part"],
        t("teams.col.milestone", lang): ms["milestone"],
        t("chart.planned", lang): ms["planned"],
        t("chart.done", lang): ms["done"],
        t("chart.status", lang): [work_status_label(s, lang) for s in ms["status"]],
        t("teams.col.on_time", lang): ["! " + late if x else "" for x in ms["is_late"]],
        t("teams.col.progress", lang): percent(ms["progress"]),
        t("teams.col.end_result", lang): ms["end_result"],
        t("teams.col.note", lang): ms["note"],
    }, schema_overrides={t("chart.done", lang): pl.Date})


def target_words(df: pl.DataFrame, lang: str = "nl") -> str:
    """ "6 tot 12" from a team_overview frame (its target columns)."""
    if df.is_empty():
        return ""
    return fmt_target(df["target_min"][0], df["target_max"][0], "count", lang)


def names_of(wh, deal: str, as_of: dt.date | None = None) -> dict[str, str]:
    """team_names of the deal's teams, worked out once per data version."""
    return per_version(wh, ("team_names", deal, as_of), lambda: team_names(teams(wh, deal, as_of)))


SOURCE_SHEETS = ("Bijeenkomsten", "Mijlpalen", "Eindresultaten")


def sources_of(wh, deal: str, as_of: dt.date | None = None) -> dict[str, Source]:
    """sources of the SOURCE_SHEETS, worked out once per data version."""
    return per_version(wh, ("team_sources", deal, as_of), lambda: sources(wh, deal, SOURCE_SHEETS, as_of))


@dataclass(frozen=True)
class TeamsView:
    """What the Ontwikkelteams page shows for one deal, team (or ALL), year, as-of date and language."""

    sources: dict[str, Source]
    overview: pl.DataFrame  # team_overview
    milestones: pl.DataFrame  # the teams' milestones
    overview_table: pl.DataFrame | None  # all teams: the teams side by side
    meetings_table: pl.DataFrame | None  # all teams: the data behind the meetings chart
    timeline: pl.DataFrame | None  # input for charts.timeline (None without milestones)
    milestone_table: pl.DataFrame | None
    register_table: pl.DataFrame | None  # one team: its end results (None when it has none)


def view(wh, deal: str, team: str, year: int, as_of: dt.date | None = None, lang: str = "nl") -> TeamsView:
    """The page's frames, derived once per data version: a rerun of the page (any click) only draws them."""
    return per_version(wh, ("teams_view", deal, team, year, as_of, lang),
                       lambda: _view(wh, deal, team, year, as_of, lang))


def _view(wh, deal: str, team: str, year: int, as_of: dt.date | None, lang: str) -> TeamsView:
    from dashboard.queries import results
    from dashboard.queries.indicators import indicators

    parts = list(names_of(wh, deal, as_of)) if team == ALL else [team]
    overview = team_overview(wh, deal, parts, year, indicators(wh, deal, year, as_of), as_of)
    ms = milestones(wh, deal, parts, as_of)
    everyone = team == ALL
    register = None if everyone else results.select(results.register(wh, deal, as_of), parts=[team])
    return TeamsView(
        sources=sources_of(wh, deal, as_of),
        overview=overview,
        milestones=ms,
        overview_table=overview_table(overview, year, lang) if everyone else None,
        meetings_table=meetings_table(overview, year, lang) if everyone else None,
        timeline=None if ms.is_empty() else timeline_data(ms, with_part=everyone),
        milestone_table=None if ms.is_empty() else milestone_table(ms, lang),
        register_table=None if register is None or register.is_empty() else results.register_table(register, lang),
    )
