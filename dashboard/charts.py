"""Pure chart builders: one small aggregated DataFrame in, one themed alt.Chart out, its title stating the finding.

Every builder `x(df, ...)` has a `describe_x(df, ...)` that returns the finding as a sentence; the
builder uses it as the chart's title and as its `description` (the accessible name screen readers
announce). Builders only reshape the few rows a query returns; aggregation happens in SQL.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import polars as pl

from dashboard import theme
from dashboard.format import fmt_change, fmt_count, fmt_date, fmt_money, fmt_ratio, fmt_value
from dashboard.i18n import t

MAX_ROWS = 5000  # never send more rows than this to the browser


def _rows(df: pl.DataFrame, name: str) -> pl.DataFrame:
    if df.height > MAX_ROWS:
        raise ValueError(f"{name}: {df.height} rijen is te veel voor een grafiek (max {MAX_ROWS}); aggregeer in SQL")
    return df


def _titled(chart: alt.TopLevelMixin, finding: str, subtitle: str | None = None) -> alt.TopLevelMixin:
    title = alt.Title(finding, subtitle=subtitle) if subtitle else alt.Title(finding)
    return chart.properties(title=title, description=finding)


def _status_scale(lang: str) -> alt.Scale:
    codes = theme.STATUS_ORDER
    return alt.Scale(domain=[theme.STATUSES[c].word(lang) for c in codes],
                     range=[theme.STATUSES[c].colour for c in codes])


def _label_col(lang: str) -> str:
    return "label_en" if lang == "en" else "label_nl"


def _empty(message: str) -> alt.Chart:
    return _titled(alt.Chart(pl.DataFrame({"m": [message]})).mark_text(size=14, color=theme.MUTED).encode(text="m:N"),
                   message)


# --- indicator status overview -------------------------------------------------------------------

def _reference(row: dict) -> float | None:
    """What the value is measured against: the share of the target due by the Peildatum, else the target."""
    for key in ("expected_to_date", "target_min", "target_max"):
        v = row.get(key)
        if v is not None and v == v and v != 0:
            return float(v)
    return None


def describe_indicator_status(df: pl.DataFrame, lang: str = "nl") -> str:
    n = df.height
    counts = {c: df.filter(pl.col("status") == c).height for c in theme.STATUSES}
    if n == 0 or counts["no_data"] == n:
        return t("chart.status.none", lang)
    text = t("chart.status.finding", lang, on=counts["on_target"], n=n)
    extra = [f"{counts[c]} {theme.STATUSES[c].word(lang)}" for c in ("off_target", "at_risk") if counts[c]]
    return text + (", " + ", ".join(extra) if extra else "")


def indicator_status(df: pl.DataFrame, lang: str = "nl") -> alt.Chart:
    """Each indicator's value as a share of its target (so far), coloured and labelled by status."""
    _rows(df, "indicator_status")
    rows = []
    for r in df.iter_rows(named=True):
        st = theme.status(r["status"])
        ref = _reference(r)
        value = r["value"]
        attained = None if ref is None or value is None else min(float(value) / ref, 1.5)
        rows.append({
            "indicator": r[_label_col(lang)],
            "status": st.word(lang),
            "rank": st.rank,
            "attained": attained,
            "label": f"{st.icon} {fmt_value(value, r['unit'], lang)}" + ("" if ref is not None else f" ({t('chart.no_target', lang)})"),
            "value": fmt_value(value, r["unit"], lang),
            "target": fmt_value(ref, r["unit"], lang) if ref is not None else t("chart.no_target", lang),
        })
    data = pl.DataFrame(rows, schema={"indicator": pl.String, "status": pl.String, "rank": pl.Int64,
                                      "attained": pl.Float64, "label": pl.String, "value": pl.String,
                                      "target": pl.String})
    order = data.sort(["rank", "attained"], nulls_last=True)["indicator"].to_list()
    y = alt.Y("indicator:N", sort=order, title=None)
    base = alt.Chart(data).encode(y=y)
    tooltip = [alt.Tooltip("indicator:N", title=t("chart.indicator", lang)),
               alt.Tooltip("value:N", title=t("chart.value", lang)),
               alt.Tooltip("target:N", title=t("chart.target_to_date", lang)),
               alt.Tooltip("status:N", title=t("chart.status", lang))]
    bars = base.mark_bar(height=14).encode(
        x=alt.X("attained:Q", title=t("chart.share_of_target", lang), axis=alt.Axis(format=theme.FMT_RATIO),
                scale=alt.Scale(domain=[0, 1.5])),
        color=alt.Color("status:N", scale=_status_scale(lang), title=t("chart.status", lang)),
        tooltip=tooltip,
    )
    labels = base.mark_text(align="left", dx=4).encode(
        x=alt.X("x:Q"), text="label:N", color=alt.Color("status:N", scale=_status_scale(lang), legend=None),
        tooltip=tooltip,
    ).transform_calculate(x="datum.attained == null ? 0 : datum.attained")
    goal = alt.Chart(pl.DataFrame({"x": [1.0]})).mark_rule(strokeDash=[4, 3], color=theme.TEXT).encode(x="x:Q")
    chart = alt.layer(bars, labels, goal).properties(height=max(60, 24 * data.height), width="container")
    return _titled(chart, describe_indicator_status(df, lang), t("chart.status.subtitle", lang))


# --- change since the previous delivery ---------------------------------------------------------

def changed(df: pl.DataFrame) -> pl.DataFrame:
    """The indicators whose value changed since the previous delivery."""
    return df.filter(pl.col("change").is_not_null() & (pl.col("change") != 0))


def describe_indicator_changes(df: pl.DataFrame, lang: str = "nl") -> str:
    n = changed(df).height
    if n == 0:
        return t("chart.changes.none", lang)
    return t("chart.changes.one" if n == 1 else "chart.changes.finding", lang, n=n)


def indicator_changes(df: pl.DataFrame, lang: str = "nl") -> alt.TopLevelMixin:
    """Bars of the change per changed indicator, one panel per unit (counts, percentage points, euros)."""
    _rows(df, "indicator_changes")
    ch = changed(df)
    if ch.height == 0:
        return _empty(describe_indicator_changes(df, lang))
    panels = []
    for unit in ("count", "ratio", "euro"):
        part = ch.filter(pl.col("unit") == unit)
        if part.height == 0:
            continue
        scale = 100.0 if unit == "ratio" else 1.0
        data = pl.DataFrame({
            "indicator": part[_label_col(lang)],
            "change": [float(c) * scale for c in part["change"]],
            "direction": [t("chart.up" if c > 0 else "chart.down", lang) for c in part["change"]],
            "label": [fmt_change(c, unit, lang) for c in part["change"]],
            "from": [fmt_value(v, unit, lang) for v in part["previous_value"]],
            "to": [fmt_value(v, unit, lang) for v in part["value"]],
        })
        fmt = theme.FMT_EURO if unit == "euro" else theme.FMT_COUNT
        base = alt.Chart(data).encode(y=alt.Y("indicator:N", title=None, sort="-x"))
        tip = [alt.Tooltip("indicator:N", title=t("chart.indicator", lang)),
               alt.Tooltip("from:N", title=t("chart.previous", lang)),
               alt.Tooltip("to:N", title=t("chart.now", lang)),
               alt.Tooltip("label:N", title=t("chart.change", lang))]
        bars = base.mark_bar(height=14).encode(
            x=alt.X("change:Q", title=t(f"chart.change_unit.{unit}", lang), axis=alt.Axis(format=fmt)),
            color=alt.Color("direction:N", title=None,
                            scale=alt.Scale(domain=[t("chart.up", lang), t("chart.down", lang)],
                                            range=[theme.PALETTE[0], theme.LIKERT_COLOURS[0]])),
            tooltip=tip,
        )
        text = base.mark_text(align="left", dx=4).encode(x="change:Q", text="label:N", tooltip=tip)
        panels.append(alt.layer(bars, text).properties(height=max(40, 26 * data.height), width="container"))
    chart = panels[0] if len(panels) == 1 else alt.vconcat(*panels).resolve_scale(x="independent")
    return _titled(chart, describe_indicator_changes(df, lang), t("chart.changes.subtitle", lang))


# --- diverging stacked Likert bars -------------------------------------------------------------

def _likert_table(df: pl.DataFrame) -> pl.DataFrame:
    """df: question, answer, score (1-5), respondents -> shares and bar offsets around the neutral midpoint."""
    d = df.with_columns(share=pl.col("respondents") / pl.col("respondents").sum().over("question"))
    neg = d.with_columns(
        left=pl.when(pl.col("score") < 3).then(pl.col("share"))
        .when(pl.col("score") == 3).then(pl.col("share") / 2).otherwise(0.0)
    ).group_by("question").agg(pl.col("left").sum().alias("offset"))
    d = d.join(neg, on="question").sort(["question", "score"])
    d = d.with_columns(start=pl.col("share").cum_sum().over("question") - pl.col("share") - pl.col("offset"))
    return d.with_columns(end=pl.col("start") + pl.col("share"))


def describe_likert(df: pl.DataFrame, lang: str = "nl") -> str:
    if df.height == 0:
        return t("chart.likert.none", lang)
    total = df["respondents"].sum()
    positive = df.filter(pl.col("score") >= 4)["respondents"].sum()
    return t("chart.likert.finding", lang, pct=fmt_ratio(positive / total if total else None, lang))


def likert(df: pl.DataFrame, lang: str = "nl") -> alt.TopLevelMixin:
    """Diverging stacked bars: disagreement left of zero, agreement right, neutral split across the middle."""
    _rows(df, "likert")
    if df.height == 0:
        return _empty(describe_likert(df, lang))
    d = _likert_table(df).with_columns(pct=pl.col("share"))
    labels = d.sort("score").unique("score", keep="first", maintain_order=True)["answer"].to_list()
    tip = [alt.Tooltip("question:N", title=t("chart.question", lang)), alt.Tooltip("answer:N", title=t("chart.answer", lang)),
           alt.Tooltip("respondents:Q", title=t("chart.respondents", lang), format=theme.FMT_COUNT),
           alt.Tooltip("pct:Q", title=t("chart.share", lang), format=theme.FMT_RATIO)]
    chart = alt.Chart(d).mark_bar().encode(
        y=alt.Y("question:N", title=None, axis=alt.Axis(labelLimit=320)),
        x=alt.X("start:Q", title=t("chart.likert.axis", lang), axis=alt.Axis(format=theme.FMT_RATIO),
                scale=alt.Scale(domain=[-1, 1])),
        x2="end:Q",
        color=alt.Color("answer:N", title=None, sort=labels,
                        scale=alt.Scale(domain=labels, range=list(theme.LIKERT_COLOURS[: len(labels)]))),
        order=alt.Order("score:Q"),
        tooltip=tip,
    )
    zero = alt.Chart(pl.DataFrame({"x": [0.0]})).mark_rule(color=theme.TEXT).encode(x="x:Q")
    chart = alt.layer(chart, zero).properties(height=max(60, 28 * d["question"].n_unique()), width="container")
    return _titled(chart, describe_likert(df, lang), t("chart.likert.subtitle", lang))


# --- waterfall -----------------------------------------------------------------------------------

def _waterfall_table(df: pl.DataFrame) -> pl.DataFrame:
    """df: step, amount, kind ('start' sets the level, 'delta' adds, 'total' shows the level) -> bar ends."""
    level, out = 0.0, []
    for r in df.iter_rows(named=True):
        amount = float(r["amount"] or 0)
        if r["kind"] == "start":
            begin, level = 0.0, amount
        elif r["kind"] == "total":
            begin, amount = 0.0, level
        else:
            begin, level = level, level + amount
        out.append({"step": r["step"], "kind": r["kind"], "amount": amount, "begin": begin,
                    "end": begin + amount if r["kind"] == "delta" else amount})
    return pl.DataFrame(out, schema={"step": pl.String, "kind": pl.String, "amount": pl.Float64,
                                     "begin": pl.Float64, "end": pl.Float64})


def describe_waterfall(df: pl.DataFrame, lang: str = "nl") -> str:
    if df.height == 0:
        return t("chart.waterfall.none", lang)
    w = _waterfall_table(df)
    last = w.row(-1, named=True)
    return t("chart.waterfall.finding", lang, step=last["step"], amount=fmt_money(last["end"], lang))


def waterfall(df: pl.DataFrame, lang: str = "nl", title: str | None = None) -> alt.TopLevelMixin:
    """Budget-style waterfall: starting level, additions and subtractions, resulting totals (euro)."""
    _rows(df, "waterfall")
    if df.height == 0:
        return _empty(describe_waterfall(df, lang))
    w = _waterfall_table(df).with_columns(
        label=pl.col("amount").map_elements(lambda a: fmt_money(a, lang), return_dtype=pl.String),
        sort=pl.int_range(pl.len()),
    )
    w = w.with_columns(
        what=pl.when(pl.col("kind") != "delta").then(pl.lit(t("chart.waterfall.level", lang)))
        .when(pl.col("amount") >= 0).then(pl.lit(t("chart.waterfall.plus", lang)))
        .otherwise(pl.lit(t("chart.waterfall.minus", lang)))
    )
    kinds = [t("chart.waterfall.level", lang), t("chart.waterfall.plus", lang), t("chart.waterfall.minus", lang)]
    base = alt.Chart(w).encode(x=alt.X("step:N", sort=w["step"].to_list(), title=None, axis=alt.Axis(labelAngle=0)))
    tip = [alt.Tooltip("step:N", title=t("chart.step", lang)), alt.Tooltip("label:N", title=t("chart.amount", lang))]
    bars = base.mark_bar(size=36).encode(
        y=alt.Y("begin:Q", title=t("chart.euro", lang), axis=alt.Axis(format=theme.FMT_EURO)),
        y2="end:Q",
        color=alt.Color("what:N", title=None, scale=alt.Scale(domain=kinds, range=[theme.PALETTE[0], "#00704F", "#B3380A"])),
        tooltip=tip,
    )
    text = base.mark_text(dy=-8).encode(y=alt.Y("top:Q"), text="label:N").transform_calculate(
        top="max(datum.begin, datum.end)")
    chart = alt.layer(bars, text).properties(height=280, width="container")
    finding = title or describe_waterfall(df, lang)
    return _titled(chart, finding)


# --- timeline: planned versus done ---------------------------------------------------------------

def _timeline_table(df: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """df: item, part, planned, done, status -> late flag (done after planned, or open and overdue).

    A df that already has a `late` column (the warehouse's milestone_flags) keeps it, so chart and table agree.
    """
    open_ = ~pl.col("status").is_in(["gereed", "vervallen"])
    derived = (pl.when(pl.col("done").is_not_null()).then(pl.col("done") > pl.col("planned"))
               .otherwise(open_ & (pl.col("planned") < pl.lit(as_of))))
    return df.with_columns(
        late=pl.col("late").fill_null(False) if "late" in df.columns else derived,
        until=pl.coalesce(pl.col("done"), pl.lit(as_of)),
    )


def describe_timeline(df: pl.DataFrame, as_of: dt.date, lang: str = "nl") -> str:
    if df.height == 0:
        return t("chart.timeline.none", lang)
    late = _timeline_table(df, as_of)["late"].sum()
    return t("chart.timeline.finding", lang, late=late, n=df.height)


def timeline(df: pl.DataFrame, as_of: dt.date, lang: str = "nl") -> alt.TopLevelMixin:
    """Planned date (open circle) and done date (filled), late items marked in colour and with the words "te laat"."""
    _rows(df, "timeline")
    if df.height == 0:
        return _empty(describe_timeline(df, as_of, lang))
    d = _timeline_table(df, as_of).with_columns(
        state=pl.when(pl.col("late")).then(pl.lit(t("chart.timeline.late", lang))).otherwise(pl.lit(t("chart.timeline.ok", lang))),
        planned_nl=pl.col("planned").map_elements(lambda x: fmt_date(x, lang), return_dtype=pl.String),
        done_nl=pl.col("done").map_elements(lambda x: fmt_date(x, lang), return_dtype=pl.String),
        label=pl.when(pl.col("late")).then(pl.lit("! " + t("chart.timeline.late", lang))).otherwise(pl.lit("")),
    )
    scale = alt.Scale(domain=[t("chart.timeline.ok", lang), t("chart.timeline.late", lang)],
                      range=[theme.PALETTE[0], theme.STATUSES["off_target"].colour])
    y = alt.Y("item:N", title=None, sort=alt.EncodingSortField("planned"), axis=alt.Axis(labelLimit=300))
    tip = [alt.Tooltip("item:N", title=t("chart.item", lang)), alt.Tooltip("part:N", title=t("chart.part", lang)),
           alt.Tooltip("planned_nl:N", title=t("chart.planned", lang)), alt.Tooltip("done_nl:N", title=t("chart.done", lang)),
           alt.Tooltip("status:N", title=t("chart.status", lang))]
    base = alt.Chart(d).encode(y=y, tooltip=tip)
    x_time = alt.X("planned:T", title=None, axis=alt.Axis(format=theme.FMT_MONTH))
    rule = base.mark_rule(strokeWidth=2).encode(x=x_time, x2="until:T", color=alt.Color("state:N", scale=scale, title=None))
    planned = base.mark_point(filled=False, size=70, strokeWidth=2).encode(
        x=x_time, color=alt.Color("state:N", scale=scale, title=None), shape=alt.value("circle"))
    done = base.mark_point(filled=True, size=70).encode(x="done:T", color=alt.Color("state:N", scale=scale, title=None))
    late = base.mark_text(align="left", dx=8, fontWeight="bold", color=theme.STATUSES["off_target"].colour).encode(
        x="until:T", text="label:N")
    today = alt.Chart(pl.DataFrame({"d": [as_of]})).mark_rule(strokeDash=[4, 3], color=theme.MUTED).encode(x="d:T")
    chart = alt.layer(rule, planned, done, late, today).properties(height=max(80, 24 * d.height), width="container")
    return _titled(chart, describe_timeline(df, as_of, lang), t("chart.timeline.subtitle", lang, date=fmt_date(as_of, lang)))


# --- grouped bars: target versus actual ----------------------------------------------------------

def describe_target_vs_actual(df: pl.DataFrame, lang: str = "nl") -> str:
    if df.height == 0:
        return t("chart.target.none", lang)
    met = df.filter(pl.col("actual") >= pl.col("target")).height
    return t("chart.target.finding", lang, met=met, n=df.height)


def target_vs_actual(df: pl.DataFrame, unit: str = "count", lang: str = "nl", title: str | None = None) -> alt.TopLevelMixin:
    """Per category two bars side by side: actual and target. df: category, actual, target."""
    _rows(df, "target_vs_actual")
    if df.height == 0:
        return _empty(describe_target_vs_actual(df, lang))
    actual, target = t("chart.actual", lang), t("chart.target", lang)
    long = pl.concat([
        df.select("category", pl.lit(actual).alias("what"), pl.col("actual").cast(pl.Float64).alias("amount")),
        df.select("category", pl.lit(target).alias("what"), pl.col("target").cast(pl.Float64).alias("amount")),
    ]).with_columns(label=pl.col("amount").map_elements(lambda a: fmt_value(a, unit, lang), return_dtype=pl.String))
    fmt = theme.number_format(unit)
    tip = [alt.Tooltip("category:N", title=t("chart.category", lang)), alt.Tooltip("what:N", title=" "),
           alt.Tooltip("label:N", title=t("chart.value", lang))]
    base = alt.Chart(long).encode(
        x=alt.X("category:N", title=None, sort=df["category"].to_list(), axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("what:N", sort=[actual, target]),
    )
    bars = base.mark_bar().encode(
        y=alt.Y("amount:Q", title=None, axis=alt.Axis(format=fmt)),
        color=alt.Color("what:N", title=None, sort=[actual, target],
                        scale=alt.Scale(domain=[actual, target], range=[theme.PALETTE[0], "#BFC5CC"])),
        tooltip=tip,
    )
    text = base.mark_text(dy=-7).encode(y="amount:Q", text="label:N")
    chart = alt.layer(bars, text).properties(height=260, width="container")
    return _titled(chart, title or describe_target_vs_actual(df, lang))


def count_of(done: int, total: int, noun: str, lang: str = "nl") -> str:
    """A finding like "2 van 6 kernteamoverleggen gehouden" built from parts: `noun` carries the rest."""
    return t("chart.count_of", lang, done=fmt_count(done, lang), total=fmt_count(total, lang), noun=noun)


# --- Ontwikkelteams, Eindresultaten 2023, Communicatie en netwerk (pages B) ---------------------------

# Status of a milestone or end result (Mijlpalen/Eindresultaten.Status): colour, icon and word together.
WORK_STATUSES: dict[str, theme.Status] = {
    s.code: s
    for s in (
        theme.Status("gereed", "#00704F", "#DDF3EB", "✓", "gereed", "done", "green", 0),
        theme.Status("loopt", "#0072B2", "#DCEBF5", "▶", "loopt", "in progress", "blue", 1),
        theme.Status("vertraagd", "#B3380A", "#FBE6DD", "!", "vertraagd", "delayed", "red", 2),
        theme.Status("niet gestart", "#5C6670", "#ECEFF2", "○", "niet gestart", "not started", "gray", 3),
        theme.Status("vervallen", "#6B4E71", "#EFE8F0", "✗", "vervallen", "dropped", "violet", 4),
    )
}
# Ten fixed colours for the ten channels and the ten partner types (same category, same colour on every chart).
CATEGORY_COLOURS = (*theme.PALETTE[:6], "#8C6D31", "#7F7F7F", "#000000", "#F0E442")


def work_status_label(code: str | None, lang: str = "nl") -> str:
    """ "✓ gereed", "! vertraagd" ("✓ done" in English); an unknown code as it is."""
    s = WORK_STATUSES.get(code or "")
    return s.label(lang) if s else (code or "–")


def meeting_status_label(code: str | None, lang: str = "nl") -> str:
    """The indicator status as icon and word: "✓ op koers"."""
    return theme.status(code).label(lang)


def _work_scale(lang: str) -> alt.Scale:
    codes = tuple(WORK_STATUSES)
    return alt.Scale(domain=[WORK_STATUSES[c].label(lang) for c in codes], range=[WORK_STATUSES[c].colour for c in codes])


def _category_scale(codes: tuple[str, ...], labels: list[str]) -> alt.Scale:
    return alt.Scale(domain=labels, range=list(CATEGORY_COLOURS[: len(codes)]))


def describe_team_meetings(df: pl.DataFrame, year: int, lang: str = "nl") -> str:
    if df.height == 0:
        return t("chart.team_meetings.none", lang)
    on = df.filter(pl.col("meetings_status") == "on_target").height
    least = df.sort(["held", "part"]).row(0, named=True)
    return t("chart.team_meetings.finding", lang, on=on, n=df.height, year=year, team=least["part"],
             held=fmt_count(least["held"], lang))


def team_meetings(df: pl.DataFrame, year: int, lang: str = "nl") -> alt.TopLevelMixin:
    """Meetings held per team in the year, coloured and labelled by the team_meetings status; dashed line: expected.

    df: part, part_name, held, expected, target_min, target_max, meetings_status (queries.teams.team_overview).
    """
    _rows(df, "team_meetings")
    if df.height == 0:
        return _empty(describe_team_meetings(df, year, lang))
    d = df.select(
        "part", pl.col("part_name").fill_null(""), pl.col("held").cast(pl.Float64),
        status=pl.col("meetings_status").map_elements(lambda s: theme.status(s).word(lang), return_dtype=pl.String),
        label=pl.struct("meetings_status", "held").map_elements(
            lambda r: f"{theme.status(r['meetings_status']).icon} {fmt_count(r['held'], lang)}", return_dtype=pl.String),
    )
    tip = [alt.Tooltip("part:N", title=t("chart.part", lang)), alt.Tooltip("part_name:N", title=" "),
           alt.Tooltip("held:Q", title=t("chart.team_meetings.held", lang), format=theme.FMT_COUNT),
           alt.Tooltip("status:N", title=t("chart.status", lang))]
    base = alt.Chart(d).encode(y=alt.Y("part:N", title=None, sort=d["part"].to_list()), tooltip=tip)
    colour = alt.Color("status:N", scale=_status_scale(lang), title=t("chart.status", lang))
    bars = base.mark_bar(height=16).encode(x=alt.X("held:Q", title=t("chart.team_meetings.axis", lang, year=year),
                                                   axis=alt.Axis(format=theme.FMT_COUNT, tickMinStep=1)), color=colour)
    text = base.mark_text(align="left", dx=4).encode(x="held:Q", text="label:N",
                                                    color=alt.Color("status:N", scale=_status_scale(lang), legend=None))
    layers = [bars, text]
    expected = df["expected"][0]
    if expected is not None:
        layers.append(alt.Chart(pl.DataFrame({"x": [float(expected)]})).mark_rule(strokeDash=[4, 3], color=theme.TEXT)
                      .encode(x="x:Q"))
    chart = alt.layer(*layers).properties(height=max(80, 30 * d.height), width="container")
    from dashboard.format import fmt_target

    target = fmt_target(df["target_min"][0], df["target_max"][0], "count", lang)
    subtitle = t("chart.team_meetings.subtitle", lang, expected=fmt_count(expected, lang), target=target)
    return _titled(chart, describe_team_meetings(df, year, lang), subtitle)


def describe_end_results_status(df: pl.DataFrame, lang: str = "nl") -> str:
    if df.height == 0:
        return t("chart.end_results.none", lang)
    counted = df.filter(pl.col("status") != "vervallen")
    ready = counted.filter(pl.col("status") == "gereed")["end_results"].sum()
    return count_of(ready, counted["end_results"].sum(), t("chart.end_results.noun", lang), lang)


def end_results_status(df: pl.DataFrame, lang: str = "nl") -> alt.TopLevelMixin:
    """Per part a bar of its end results stacked by status (colour, and icon plus word in the legend).

    df: part, part_name, status, end_results (queries.results.by_status).
    """
    _rows(df, "end_results_status")
    if df.height == 0:
        return _empty(describe_end_results_status(df, lang))
    order = {c: i for i, c in enumerate(WORK_STATUSES)}
    d = df.select(
        "part", pl.col("part_name").fill_null(""), "end_results",
        status=pl.col("status").map_elements(lambda s: work_status_label(s, lang), return_dtype=pl.String),
        rank=pl.col("status").replace_strict(order, default=len(order), return_dtype=pl.Int32),
    )
    tip = [alt.Tooltip("part:N", title=t("chart.part", lang)), alt.Tooltip("part_name:N", title=" "),
           alt.Tooltip("status:N", title=t("chart.status", lang)),
           alt.Tooltip("end_results:Q", title=t("chart.end_results.count", lang), format=theme.FMT_COUNT)]
    parts = d["part"].unique(maintain_order=True).to_list()
    chart = alt.Chart(d).mark_bar(height=16).encode(
        y=alt.Y("part:N", title=None, sort=parts),
        x=alt.X("end_results:Q", title=t("chart.end_results.count", lang), stack="zero",
                axis=alt.Axis(format=theme.FMT_COUNT, tickMinStep=1)),
        color=alt.Color("status:N", scale=_work_scale(lang), title=t("chart.status", lang)),
        order=alt.Order("rank:Q"),
        tooltip=tip,
    ).properties(height=max(80, 28 * len(parts)), width="container")
    return _titled(chart, describe_end_results_status(df, lang), t("chart.end_results.subtitle", lang))


def describe_communication(df: pl.DataFrame, period_text: str, lang: str = "nl") -> str:
    if df.height == 0:
        return t("chart.comms.none", lang, period=period_text)
    per = df.group_by("channel").agg(pl.col("items").sum()).sort(["items", "channel"], descending=[True, False])
    top = per.row(0, named=True)
    return t("chart.comms.finding", lang, n=fmt_count(df["items"].sum(), lang), period=period_text,
             channel=t(f"comms.channel.{top['channel']}", lang), k=fmt_count(top["items"], lang))


def communication(df: pl.DataFrame, period: str, period_text: str, lang: str = "nl") -> alt.TopLevelMixin:
    """Items per month (period "month") or year ("year"), stacked by channel; the total above each bar.

    df: month or year, channel, items, reach (queries.comms.by_month / by_year).
    """
    from etl.contract import CHANNELS

    _rows(df, "communication")
    if df.height == 0:
        return _empty(describe_communication(df, period_text, lang))
    labels = [t(f"comms.channel.{c}", lang) for c in CHANNELS]
    d = df.select(period, "items", "channel", label=pl.col("channel").map_elements(
        lambda c: t(f"comms.channel.{c}", lang), return_dtype=pl.String))
    totals = df.group_by(period).agg(pl.col("items").sum()).sort(period)
    if period == "month":
        x = alt.X("month:O", timeUnit="yearmonth", title=None, axis=alt.Axis(format="%b", labelAngle=0))
        x_total = x
    else:
        x = x_total = alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0))
    tip = [alt.Tooltip(f"{period}:{'T' if period == 'month' else 'O'}", title=t(f"comms.col.{period}", lang),
                       **({"format": theme.FMT_MONTH} if period == "month" else {})),
           alt.Tooltip("label:N", title=t("comms.col.channel", lang)),
           alt.Tooltip("items:Q", title=t("comms.col.items", lang), format=theme.FMT_COUNT)]
    bars = alt.Chart(d).mark_bar().encode(
        x=x, y=alt.Y("items:Q", title=t("comms.col.items", lang), axis=alt.Axis(format=theme.FMT_COUNT, tickMinStep=1)),
        color=alt.Color("label:N", title=t("comms.col.channel", lang), scale=_category_scale(CHANNELS, labels)),
        order=alt.Order("channel:N"), tooltip=tip,
    )
    text = alt.Chart(totals).mark_text(dy=-7).encode(x=x_total, y="items:Q", text=alt.Text("items:Q", format=theme.FMT_COUNT))
    chart = alt.layer(bars, text).properties(height=280, width="container")
    return _titled(chart, describe_communication(df, period_text, lang))


def describe_contacts_by_tag(df: pl.DataFrame, lang: str = "nl") -> str:
    tagged = df.filter(pl.col("tag").is_not_null())
    if tagged.height == 0:
        return t("chart.contacts.none", lang)
    top = tagged.sort(["contacts", "tag"], descending=[True, False]).row(0, named=True)
    return t("chart.contacts.finding", lang, tag=top["tag"], n=fmt_count(top["contacts"], lang))


def contacts_by_tag(df: pl.DataFrame, lang: str = "nl") -> alt.TopLevelMixin:
    """Contacts per mailing-list tag, most first (a contact with several tags counts under each). df: tag, contacts."""
    _rows(df, "contacts_by_tag")
    if df.height == 0:
        return _empty(describe_contacts_by_tag(df, lang))
    d = df.select(pl.col("tag").fill_null(t("comms.no_tag", lang)), "contacts")
    tip = [alt.Tooltip("tag:N", title=t("comms.col.tag", lang)),
           alt.Tooltip("contacts:Q", title=t("comms.col.contacts", lang), format=theme.FMT_COUNT)]
    base = alt.Chart(d).encode(y=alt.Y("tag:N", title=None, sort=d["tag"].to_list()), tooltip=tip)
    bars = base.mark_bar(height=14).encode(x=alt.X("contacts:Q", title=t("comms.col.contacts", lang),
                                                   axis=alt.Axis(format=theme.FMT_COUNT)))
    text = base.mark_text(align="left", dx=4).encode(x="contacts:Q", text=alt.Text("contacts:Q", format=theme.FMT_COUNT))
    chart = alt.layer(bars, text).properties(height=max(80, 22 * d.height), width="container")
    return _titled(chart, describe_contacts_by_tag(df, lang), t("chart.contacts.subtitle", lang))


def describe_partners_by_kind(df: pl.DataFrame, lang: str = "nl") -> str:
    if df.height == 0 or df["active"].sum() == 0:
        return t("chart.partners.none", lang)
    last = df.filter(pl.col("year") == df["year"].max())
    municipalities = last.filter(pl.col("partner_kind") == "gemeente")["active"].sum()
    return t("chart.partners.finding", lang, n=fmt_count(last["active"].sum(), lang), year=last["year"][0],
             m=fmt_count(municipalities, lang))


def partners_by_kind(df: pl.DataFrame, lang: str = "nl") -> alt.TopLevelMixin:
    """Active partners per year stacked by type, the total above each bar. df: year, partner_kind, active."""
    from etl.contract import PARTNER_KINDS

    _rows(df, "partners_by_kind")
    if df.height == 0 or df["active"].sum() == 0:
        return _empty(describe_partners_by_kind(df, lang))
    labels = [t(f"comms.kind.{k}", lang) for k in PARTNER_KINDS]
    rank = {k: i for i, k in enumerate(PARTNER_KINDS)}
    d = df.filter(pl.col("active") > 0).select(
        "year", "active", rank=pl.col("partner_kind").replace_strict(rank, default=len(rank), return_dtype=pl.Int32),
        kind=pl.col("partner_kind").map_elements(lambda k: t(f"comms.kind.{k}", lang), return_dtype=pl.String))
    totals = df.group_by("year").agg(pl.col("active").sum()).sort("year")
    x = alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0))
    tip = [alt.Tooltip("year:O", title=t("comms.col.year", lang)), alt.Tooltip("kind:N", title=t("comms.col.kind", lang)),
           alt.Tooltip("active:Q", title=t("comms.col.active", lang), format=theme.FMT_COUNT)]
    bars = alt.Chart(d).mark_bar(size=48).encode(
        x=x, y=alt.Y("active:Q", title=t("comms.col.active", lang), axis=alt.Axis(format=theme.FMT_COUNT)),
        color=alt.Color("kind:N", title=t("comms.col.kind", lang), scale=_category_scale(PARTNER_KINDS, labels)),
        order=alt.Order("rank:Q"), tooltip=tip,
    )
    text = alt.Chart(totals).mark_text(dy=-7).encode(x=x, y="active:Q", text=alt.Text("active:Q", format=theme.FMT_COUNT))
    chart = alt.layer(bars, text).properties(height=300, width="container")
    return _titled(chart, describe_partners_by_kind(df, lang), t("chart.partners.subtitle", lang))
