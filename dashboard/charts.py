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
from dashboard.format import (
    fmt_change,
    fmt_count,
    fmt_date,
    fmt_money,
    fmt_ratio,
    fmt_value,
    formatted,
    formatted_rows,
    is_change,
)
from dashboard.i18n import t

MAX_ROWS = 5000  # never send more rows than this to the browser


def _rows(df: pl.DataFrame, name: str) -> pl.DataFrame:
    if df.height > MAX_ROWS:
        raise ValueError(f"{name}: {df.height} rijen is te veel voor een grafiek (max {MAX_ROWS}); aggregeer in SQL")
    return df


def _titled(chart: alt.TopLevelMixin, finding: str, subtitle: str | None = None) -> alt.TopLevelMixin:
    title = alt.Title(finding, subtitle=subtitle) if subtitle else alt.Title(finding)
    return chart.properties(title=title, description=finding)


def _status_scale(lang: str, info: bool = False) -> alt.Scale:
    """Status words to their colours; `info`: with "ter informatie" (an indicator without a target) last."""
    shown = [theme.STATUSES[c] for c in theme.STATUS_ORDER] + ([theme.INFO] if info else [])
    return alt.Scale(domain=[s.word(lang) for s in shown], range=[s.colour for s in shown])


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
    if "accrual" in df.columns:  # indicators without a target (theme.for_information) are not judged
        df = df.filter(theme.judged())
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
    info = False
    for r in df.iter_rows(named=True):
        st = theme.status(theme.shown_status(r))  # "ter informatie" for one without a target, as on its tile
        info = info or st is theme.INFO
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
        color=alt.Color("status:N", scale=_status_scale(lang, info), title=t("chart.status", lang)),
        tooltip=tooltip,
    )
    labels = base.mark_text(align="left", dx=4).encode(
        x=alt.X("x:Q"), text="label:N", color=alt.Color("status:N", scale=_status_scale(lang, info), legend=None),
        tooltip=tooltip,
    ).transform_calculate(x="datum.attained == null ? 0 : datum.attained")
    goal = alt.Chart(pl.DataFrame({"x": [1.0]})).mark_rule(strokeDash=[4, 3], color=theme.TEXT).encode(x="x:Q")
    chart = alt.layer(bars, labels, goal).properties(height=max(60, 24 * data.height), width="container")
    return _titled(chart, describe_indicator_status(df, lang), t("chart.status.subtitle", lang))


# --- change since the previous delivery ---------------------------------------------------------

def changed(df: pl.DataFrame) -> pl.DataFrame:
    """The indicators whose value visibly changed since the previous delivery (0.1 percentage point does not)."""
    moved = df.filter(pl.col("change").is_not_null() & (pl.col("change") != 0))
    keep = [is_change(c, u) for c, u in zip(moved["change"], moved["unit"], strict=True)]
    return moved.filter(pl.Series(keep, dtype=pl.Boolean))


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
            x=alt.X("change:Q", title=t(f"chart.change_unit.{unit}", lang), axis=alt.Axis(format=fmt, tickCount=6)),
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


def _two_lines(chars: int | None = None) -> str:
    """A Vega expression (an axis's labelExpr) putting a label on two lines, broken at a space.

    chars: a label longer than this breaks at the last space within its first `chars` (a survey statement reads whole
    instead of cut off after 50 characters); None: every label with a space breaks at its last one ("begroot 2021"
    -> "begroot" / "2021").
    """
    if chars is None:
        head, short = "lastindexof(datum.label, ' ')", "false"
    else:
        head, short = f"lastindexof(slice(datum.label, 0, {chars}), ' ')", f"length(datum.label) <= {chars}"
    return f"{short} || {head} < 1 ? datum.label : [slice(datum.label, 0, {head}), slice(datum.label, {head} + 1)]"


LIKERT_LABEL_CHARS = 52
TIMELINE_LABEL_CHARS = 46


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
        y=alt.Y("question:N", title=None, axis=alt.Axis(labelLimit=320, labelExpr=_two_lines(LIKERT_LABEL_CHARS))),
        x=alt.X("start:Q", title=t("chart.likert.axis", lang), axis=alt.Axis(format=theme.FMT_RATIO),
                scale=alt.Scale(domain=[-1, 1])),
        x2="end:Q",
        color=alt.Color("answer:N", title=None, sort=labels,
                        scale=alt.Scale(domain=labels, range=list(theme.LIKERT_COLOURS[: len(labels)]))),
        order=alt.Order("score:Q"),
        tooltip=tip,
    )
    zero = alt.Chart(pl.DataFrame({"x": [0.0]})).mark_rule(color=theme.TEXT).encode(x="x:Q")
    chart = alt.layer(chart, zero).properties(height=max(60, 36 * d["question"].n_unique()), width="container")
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
    w = _waterfall_table(df)
    w = w.with_columns(label=formatted(w["amount"], fmt_money, lang), sort=pl.int_range(pl.len()))
    w = w.with_columns(
        what=pl.when(pl.col("kind") != "delta").then(pl.lit(t("chart.waterfall.level", lang)))
        .when(pl.col("amount") >= 0).then(pl.lit(t("chart.waterfall.plus", lang)))
        .otherwise(pl.lit(t("chart.waterfall.minus", lang)))
    )
    kinds = [t("chart.waterfall.level", lang), t("chart.waterfall.plus", lang), t("chart.waterfall.minus", lang)]
    # ten steps side by side ("− besteed 2021", "= beschikbaar 2023") ran into each other on a laptop screen: each
    # label on two lines, the year (the last word) under the rest
    base = alt.Chart(w).encode(x=alt.X("step:N", sort=w["step"].to_list(), title=None,
                                       axis=alt.Axis(labelAngle=0, labelExpr=_two_lines())))
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
        planned_nl=formatted(df["planned"], fmt_date, lang),
        done_nl=formatted(df["done"], fmt_date, lang),
        label=pl.when(pl.col("late")).then(pl.lit("! " + t("chart.timeline.late", lang))).otherwise(pl.lit("")),
    )
    scale = alt.Scale(domain=[t("chart.timeline.ok", lang), t("chart.timeline.late", lang)],
                      range=[theme.PALETTE[0], theme.STATUSES["off_target"].colour])
    # a milestone's name on up to two lines (it was cut after 36 characters)
    y = alt.Y("item:N", title=None, sort=alt.EncodingSortField("planned"),
              axis=alt.Axis(labelLimit=300, labelExpr=_two_lines(TIMELINE_LABEL_CHARS)))
    tip = [alt.Tooltip("item:N", title=t("chart.item", lang)), alt.Tooltip("part:N", title=t("chart.part", lang)),
           alt.Tooltip("planned_nl:N", title=t("chart.planned", lang)), alt.Tooltip("done_nl:N", title=t("chart.done", lang)),
           alt.Tooltip("status:N", title=t("chart.status", lang))]
    base = alt.Chart(d).encode(y=y, tooltip=tip)
    # padding: room right of the Peildatum for the "! te laat" labels
    x_time = alt.X("planned:T", title=None, axis=alt.Axis(format=theme.FMT_MONTH), scale=alt.Scale(padding=70))
    rule = base.mark_rule(strokeWidth=2).encode(x=x_time, x2="until:T", color=alt.Color("state:N", scale=scale, title=None))
    planned = base.mark_point(filled=False, size=70, strokeWidth=2).encode(
        x=x_time, color=alt.Color("state:N", scale=scale, title=None), shape=alt.value("circle"))
    done = base.mark_point(filled=True, size=70).encode(x="done:T", color=alt.Color("state:N", scale=scale, title=None))
    late = base.mark_text(align="left", dx=8, fontWeight="bold", color=theme.STATUSES["off_target"].colour).encode(
        x="until:T", text="label:N")
    today = alt.Chart(pl.DataFrame({"d": [as_of]})).mark_rule(strokeDash=[4, 3], color=theme.MUTED).encode(x="d:T")
    # Streamlit fits title, subtitle, axis and legend inside this height: reserve room for them
    # (padding: Vega measures axis labels before the web font loads, so long labels need a margin on the left)
    chart = alt.layer(rule, planned, done, late, today).properties(height=120 + 36 * d.height, width="container",
                                                                    padding={"left": 30, "top": 5, "right": 5, "bottom": 5})
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
    ])
    long = long.with_columns(label=formatted(long["amount"], fmt_value, unit, lang))
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
        theme.Status("loopt", "#0072B2", "#E8F2FA", "▶", "loopt", "in progress", "blue", 1),
        theme.Status("vertraagd", "#B3380A", "#FBE6DD", "!", "vertraagd", "delayed", "red", 2),
        theme.Status("niet gestart", "#5C6670", "#ECEFF2", "○", "niet gestart", "not started", "gray", 3),
        theme.Status("vervallen", "#6B4E71", "#EFE8F0", "✗", "vervallen", "dropped", "violet", 4),
    )
}
# Ten fixed colours for the ten channels and the ten partner types (same category, same colour on every chart).
CATEGORY_COLOURS = (*theme.PALETTE[:6], "#8C6D31", "#7F7F7F", "#000000", "#6A3D9A")  # last: dark violet, not yellow (3:1 on white)


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
        status=formatted(df["meetings_status"], lambda s: theme.status(s).word(lang)),
        label=formatted_rows(df, lambda r: f"{theme.status(r['meetings_status']).icon} {fmt_count(r['held'], lang)}"),
    )
    tip = [alt.Tooltip("part:N", title=t("chart.part", lang)), alt.Tooltip("part_name:N", title=" "),
           alt.Tooltip("held:Q", title=t("chart.team_meetings.held", lang), format=theme.FMT_COUNT),
           alt.Tooltip("status:N", title=t("chart.status", lang))]
    base = alt.Chart(d).encode(y=alt.Y("part:N", title=None, sort=d["part"].to_list()), tooltip=tip)
    colour = alt.Color("status:N", scale=_status_scale(lang), title=t("chart.status", lang))
    top = max([float(x) for x in (d["held"].max(), df["expected"][0]) if x is not None] + [1.0])
    x = alt.X("held:Q", title=t("chart.team_meetings.axis", lang, year=year),
              axis=alt.Axis(format=theme.FMT_COUNT, tickMinStep=1), scale=alt.Scale(domain=[0, top * 1.15]))
    bars = base.mark_bar(height=16).encode(x=x, color=colour)
    text = base.mark_text(align="left", dx=4).encode(x="held:Q", text="label:N",
                                                    color=alt.Color("status:N", scale=_status_scale(lang), legend=None))
    layers = [bars, text]
    expected = df["expected"][0]
    if expected is not None:
        layers.append(alt.Chart(pl.DataFrame({"x": [float(expected)]})).mark_rule(strokeDash=[4, 3], color=theme.TEXT)
                      .encode(x="x:Q"))
    chart = alt.layer(*layers).properties(height=110 + 32 * d.height, width="container")
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
        status=formatted(df["status"], work_status_label, lang),
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
    ).properties(height=110 + 30 * len(parts), width="container")
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
    d = df.select(period, "items", "channel", label=formatted(df["channel"], lambda c: t(f"comms.channel.{c}", lang)))
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
    chart = alt.layer(bars, text).properties(height=360, width="container")
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
    chart = alt.layer(bars, text).properties(height=90 + 24 * d.height, width="container",
                                             padding={"left": 30, "top": 5, "right": 5, "bottom": 5})
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
    active = df.filter(pl.col("active") > 0)
    d = active.select(
        "year", "active", rank=pl.col("partner_kind").replace_strict(rank, default=len(rank), return_dtype=pl.Int32),
        kind=formatted(active["partner_kind"], lambda k: t(f"comms.kind.{k}", lang)))
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
    chart = alt.layer(bars, text).properties(height=380, width="container")
    return _titled(chart, describe_partners_by_kind(df, lang), t("chart.partners.subtitle", lang))


# --- Begroting, Bijeenkomsten, Enquête (pages A) ------------------------------------------------------

# Streamlit sizes Altair charts with autosize "fit": the height includes title, legend and axes, so builders
# add this to the height the marks need.
DECORATION = 130
# Long y-axis labels and left-anchored titles are otherwise cut off at the left edge in the browser.
PADDING = {"left": 48, "right": 12, "top": 6, "bottom": 6}


def _sized(chart: alt.TopLevelMixin, marks_height: int) -> alt.TopLevelMixin:
    return chart.properties(height=marks_height + DECORATION, width="container", padding=PADDING)


def _one_decimal(x: float | None, lang: str = "nl") -> str:
    from dashboard.format import fmt_number  # local: the import block at the top belongs to every area

    return fmt_number(x, 1, lang)


def _signed(x: float | None, lang: str = "nl") -> str:
    """+0,5 / -0,3 / 0,0: the sign follows the rounded value, so -0,02 never shows as "+0,0" or "-0,0"."""
    if x is None:
        return _one_decimal(x, lang)
    rounded = round(float(x), 1)
    return ("+" if rounded > 0 else "") + _one_decimal(rounded, lang)


def cost_type_label(cost_type: str, lang: str = "nl") -> str:
    return t(f"budget.cost.{cost_type}", lang)


def describe_budget_by_year(df: pl.DataFrame, year: int, lang: str = "nl") -> str:
    """ "2022: € 625.950 van € 882.000 begroot gerealiseerd (71%)"."""
    rows = df.filter(pl.col("year") == year)
    if rows.is_empty():
        return t("budget.by_year.none", lang, year=year)
    budgeted, so_far = rows["budgeted"].sum(), rows["realised_so_far"].sum()
    unknown = int(rows["posts_unknown"].sum())
    if unknown and so_far == 0:
        return t("budget.by_year.unknown", lang, year=year, budgeted=fmt_money(budgeted, lang))
    key = "budget.by_year.partial" if unknown else "budget.by_year.finding"
    return t(key, lang, year=year, realised=fmt_money(so_far, lang), budgeted=fmt_money(budgeted, lang),
             pct=fmt_ratio(so_far / budgeted if budgeted else None, lang), posts=unknown)


def budget_by_year(df: pl.DataFrame, year: int, lang: str = "nl") -> alt.TopLevelMixin:
    """Grouped bars per cost type and year: budgeted (grey) against realised (blue; light while posts are unknown)."""
    _rows(df, "budget_by_year")
    if df.height == 0:
        return _empty(describe_budget_by_year(df, year, lang))
    budgeted_w, realised_w, partial_w = (t("budget.budgeted", lang), t("budget.realised", lang),
                                         t("budget.realised_partial", lang))
    rows = []
    for r in df.sort("cost_type", "year").iter_rows(named=True):
        category = f"{cost_type_label(r['cost_type'], lang)} {r['year']}"
        partial = r["posts_unknown"] > 0
        share = r["realised_so_far"] / r["budgeted"] if r["budgeted"] else None
        rows.append({"category": category, "what": budgeted_w, "amount": r["budgeted"], "label": "",
                     "money": fmt_money(r["budgeted"], lang)})
        rows.append({"category": category, "what": partial_w if partial else realised_w, "amount": r["realised_so_far"],
                     "label": t("budget.unknown", lang) if partial and not r["realised_so_far"] else fmt_ratio(share, lang),
                     "money": fmt_money(r["realised_so_far"], lang)})
    data = pl.DataFrame(rows)
    order = data["category"].unique(maintain_order=True).to_list()
    domain = [budgeted_w, realised_w, partial_w]
    tip = [alt.Tooltip("category:N", title=t("budget.cost_type", lang)), alt.Tooltip("what:N", title=" "),
           alt.Tooltip("money:N", title=t("chart.amount", lang))]
    base = alt.Chart(data).encode(
        x=alt.X("category:N", sort=order, title=None, axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("what:N", sort=domain),
    )
    bars = base.mark_bar().encode(
        y=alt.Y("amount:Q", title=t("chart.euro", lang), axis=alt.Axis(format=theme.FMT_EURO)),
        color=alt.Color("what:N", title=None, scale=alt.Scale(domain=domain, range=["#BFC5CC", theme.PALETTE[0], "#9CCBEB"])),
        tooltip=tip,
    )
    text = base.mark_text(dy=-7).encode(y="amount:Q", text="label:N", tooltip=tip)
    chart = _sized(alt.layer(bars, text), 240)
    return _titled(chart, describe_budget_by_year(df, year, lang), t("budget.by_year.subtitle", lang))


def _carry_steps(df: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Waterfall steps per year: begroot, + uit vorig jaar, - besteed, = over; stops where realised is unknown."""
    steps: list[dict] = []
    for i, r in enumerate(df.sort("year").iter_rows(named=True)):
        y = r["year"]
        if r["carried_in"] is None:
            break  # the chain is unknown from here on
        steps.append({"step": t("budget.step.budgeted", lang, year=y), "amount": r["budgeted"], "kind": "start"})
        if i > 0 or r["carried_in"]:
            steps.append({"step": t("budget.step.carried_in", lang, year=y - 1), "amount": r["carried_in"], "kind": "delta"})
        if r["realised"] is None:
            steps.append({"step": t("budget.step.available", lang, year=y), "amount": 0.0, "kind": "total"})
            break
        steps.append({"step": t("budget.step.realised", lang, year=y), "amount": -r["realised"], "kind": "delta"})
        steps.append({"step": t("budget.step.surplus", lang, year=y), "amount": 0.0, "kind": "total"})
    return pl.DataFrame(steps, schema={"step": pl.String, "amount": pl.Float64, "kind": pl.String})


def describe_budget_carry_over(df: pl.DataFrame, year: int, lang: str = "nl") -> str:
    """ "€ 362.600 ontwikkelgeld schuift door naar 2022" for the chosen year (or what is left after the last)."""
    rows = df.filter(pl.col("year") == year)
    if rows.is_empty():
        return t("budget.carry.none", lang, year=year)
    r = rows.row(0, named=True)
    if r["surplus"] is None:
        return t("budget.carry.unknown", lang, year=year, posts=r["posts_unknown"])
    amount = fmt_money(abs(r["surplus"]), lang)
    if r.get("provisional"):  # spending so far in a year still in progress: nothing has carried over yet
        key = "budget.carry.so_far" if r["surplus"] >= 0 else "budget.carry.overspent_so_far"
        return t(key, lang, amount=amount, year=year)
    if r["is_last_year"]:
        key = "budget.carry.unspent" if r["surplus"] >= 0 else "budget.carry.overspent_last"
        return t(key, lang, amount=amount, year=year)
    key = "budget.carry.finding" if r["surplus"] >= 0 else "budget.carry.overspent"
    return t(key, lang, amount=amount, year=year, next=year + 1)


def describe_unspent(df: pl.DataFrame, lang: str = "nl") -> str:
    """What is left of the development money after the deal's last year, in words."""
    last = df.filter(pl.col("is_last_year"))
    if last.is_empty():
        return t("budget.unspent.none", lang)
    r = last.sort("year").row(0, named=True)
    if r["unspent"] is None:
        if r["available"] is None:
            return t("budget.unspent.chain_unknown", lang, year=r["year"])
        return t("budget.unspent.unknown", lang, year=r["year"], posts=r["posts_unknown"],
                 available=fmt_money(r["available"], lang))
    key = "budget.unspent.finding" if r["unspent"] >= 0 else "budget.unspent.overspent"
    return t(key, lang, year=r["year"], amount=fmt_money(abs(r["unspent"]), lang))


def budget_carry_over(df: pl.DataFrame, year: int, lang: str = "nl") -> alt.TopLevelMixin:
    """Waterfall of the development money: each year begroot, + carried in, - realised, = left (negative: overspent)."""
    _rows(df, "budget_carry_over")
    steps = _carry_steps(df, lang)
    return _sized(waterfall(steps, lang, title=describe_budget_carry_over(df, year, lang)), 260)


def describe_budget_posts(df: pl.DataFrame, year: int, lang: str = "nl") -> str:
    known = df.filter(pl.col("realised").is_not_null() & (pl.col("budgeted") > 0))
    if df.is_empty():
        return t("budget.by_year.none", lang, year=year)
    if known.is_empty():
        return t("budget.posts.unknown", lang, year=year, n=df.height)
    over = known.filter(pl.col("realised") > pl.col("budgeted"))
    if over.height:
        return t("budget.posts.over", lang, over=over.height, n=known.height, year=year)
    least = known.with_columns(share=pl.col("realised") / pl.col("budgeted")).sort("share").row(0, named=True)
    return t("budget.posts.finding", lang, n=known.height, year=year, post=least["post"],
             pct=fmt_ratio(least["share"], lang))


def budget_posts(df: pl.DataFrame, year: int, lang: str = "nl") -> alt.TopLevelMixin:
    """Per post two bars (begroot, gerealiseerd), the posts of one year; only for viewers with budget detail."""
    _rows(df, "budget_posts")
    if df.height == 0:
        return _empty(describe_budget_posts(df, year, lang))
    named = df.with_columns(item=pl.format("{} ({})", "post", formatted(df["cost_type"], cost_type_label, lang)))
    chart = _paired_bars(named, "item", t("budget.post", lang), ("budgeted", t("budget.budgeted", lang)),
                         ("realised", t("budget.realised", lang)), lang, money_nulls=False)
    return _titled(chart, describe_budget_posts(df, year, lang))


def describe_contributions_by_funder(df: pl.DataFrame, year: int, lang: str = "nl") -> str:
    if df.is_empty():
        return t("budget.funders.none", lang, year=year)
    promised, outstanding = df["promised"].sum(), df["outstanding"].sum()
    if outstanding <= 0:
        return t("budget.funders.all", lang, year=year, promised=fmt_money(promised, lang))
    return t("budget.funders.finding", lang, year=year, outstanding=fmt_money(outstanding, lang),
             promised=fmt_money(promised, lang), n=df.filter(pl.col("outstanding") > 0).height)


def contributions_by_funder(df: pl.DataFrame, year: int, lang: str = "nl") -> alt.TopLevelMixin:
    """Per funder two bars: promised (grey) and received (blue)."""
    _rows(df, "contributions_by_funder")
    if df.height == 0:
        return _empty(describe_contributions_by_funder(df, year, lang))
    chart = _paired_bars(df, "organisation", t("budget.funder", lang), ("promised", t("budget.promised", lang)),
                         ("received", t("budget.received", lang)), lang)
    return _titled(chart, describe_contributions_by_funder(df, year, lang))


def _paired_bars(df: pl.DataFrame, label: str, label_title: str, plan: tuple[str, str], actual: tuple[str, str],
                 lang: str, money_nulls: bool = True) -> alt.Chart:
    """Per row of df two horizontal euro bars: plan (grey) and actual (blue), e.g. budgeted/realised, promised/received.

    plan and actual are (column, legend word); rows keep df's order; money_nulls=False shows a missing amount as "–".
    """
    (plan_col, plan_w), (actual_col, actual_w) = plan, actual
    long = pl.concat([
        df.select(label, pl.lit(plan_w).alias("what"), pl.col(plan_col).alias("amount")),
        df.select(label, pl.lit(actual_w).alias("what"), pl.col(actual_col).alias("amount")),
    ])
    long = long.with_columns(money=formatted(long["amount"], fmt_money, lang, skip_nulls=money_nulls))
    tip = [alt.Tooltip(f"{label}:N", title=label_title), alt.Tooltip("what:N", title=" "),
           alt.Tooltip("money:N", title=t("chart.amount", lang))]
    chart = alt.Chart(long).mark_bar().encode(
        y=alt.Y(f"{label}:N", title=None, sort=df[label].to_list(), axis=alt.Axis(labelLimit=320)),
        yOffset=alt.YOffset("what:N", sort=[plan_w, actual_w]),
        x=alt.X("amount:Q", title=t("chart.euro", lang), axis=alt.Axis(format=theme.FMT_EURO)),
        color=alt.Color("what:N", title=None, scale=alt.Scale(domain=[plan_w, actual_w],
                                                               range=["#BFC5CC", theme.PALETTE[0]])),
        tooltip=tip,
    )
    return _sized(chart, 34 * df.height)


def meeting_kind_label(kind: str, lang: str = "nl") -> str:
    return t(f"meetings.kind.{kind}", lang)


def describe_meetings_vs_target(df: pl.DataFrame, year: int, lang: str = "nl") -> str:
    """ "5 van 6 kernteamoverleggen gehouden in 2022 · 4 van 6 soorten op koers"."""
    rows = df.filter(pl.col("year") == year)
    if rows.is_empty():
        return t("meetings.target.none", lang, year=year)
    on = rows.filter(pl.col("status") == "on_target").height
    core = rows.filter(pl.col("indicator") == "kernteam_meetings")
    tail = t("meetings.target.on", lang, on=on, n=rows.height)
    if core.is_empty():
        return tail
    c = core.row(0, named=True)
    head = count_of(int(c["value"]), int(c["target_min"] or 0), t("meetings.target.core_noun", lang, year=year), lang)
    return f"{head} · {tail}"


def _target_words(lo: float | None, hi: float | None, lang: str) -> str:
    if lo is None:
        return t("chart.no_target", lang)
    if hi is None or hi == lo:
        return fmt_count(lo, lang)
    return t("meetings.target.range", lang, lo=fmt_count(lo, lang), hi=fmt_count(hi, lang))


def meetings_vs_target(df: pl.DataFrame, year: int, lang: str = "nl") -> alt.TopLevelMixin:
    """Held per meeting kind and year against the year's target: bars coloured and labelled by status (icon and
    word), a black tick at the target's minimum and a grey band up to its maximum."""
    _rows(df, "meetings_vs_target")
    if df.height == 0:
        return _empty(describe_meetings_vs_target(df, year, lang))
    data = pl.DataFrame([{
        "kind": t("meetings.kind.least_active_team", lang) if r["indicator"] == "team_meetings"
        else meeting_kind_label(r["meeting_kind"], lang),
        "year": str(r["year"]),
        "held": r["value"],
        "lo": r["target_min"], "hi": r["target_max"] if r["target_max"] is not None else r["target_min"],
        "status": theme.status(r["status"]).word(lang),
        "label": f"{r['year']}: {theme.status(r['status']).label(lang)} · {fmt_count(r['value'], lang)} "
                 f"({t('chart.target', lang)} {_target_words(r['target_min'], r['target_max'], lang)})",
    } for r in df.iter_rows(named=True)])
    kinds = data["kind"].unique(maintain_order=True).to_list()
    years = sorted(data["year"].unique().to_list())
    tip = [alt.Tooltip("kind:N", title=t("meetings.kind", lang)), alt.Tooltip("year:N", title=t("meetings.year", lang)),
           alt.Tooltip("label:N", title=t("chart.status", lang))]
    base = alt.Chart(data).encode(y=alt.Y("kind:N", sort=kinds, title=None), yOffset=alt.YOffset("year:N", sort=years))
    band = base.mark_bar(color="#E3E7EB", height=12).encode(x=alt.X("lo:Q"), x2="hi:Q")
    bars = base.mark_bar(height=12).encode(
        x=alt.X("held:Q", title=t("meetings.held_axis", lang), axis=alt.Axis(format=theme.FMT_COUNT, tickMinStep=1)),
        color=alt.Color("status:N", scale=_status_scale(lang), title=t("chart.status", lang)),
        tooltip=tip,
    )
    tick = base.mark_tick(color=theme.TEXT, thickness=2, size=14).encode(x="lo:Q", tooltip=tip)
    text = base.mark_text(align="left", dx=4, fontSize=11).encode(
        x=alt.X("end:Q"), text="label:N", tooltip=tip).transform_calculate(end="max(datum.held, datum.hi)")
    chart = _sized(alt.layer(band, bars, tick, text), 18 * data.height + 16 * len(kinds))
    return _titled(chart, describe_meetings_vs_target(df, year, lang), t("meetings.target.subtitle", lang))


MEETING_STATUS_ORDER = ("gehouden", "gepland", "geannuleerd")


def describe_meetings_timeline(df: pl.DataFrame, year: int, lang: str = "nl") -> str:
    if df.is_empty():
        return t("meetings.timeline.none", lang, year=year)
    counts = {s: df.filter(pl.col("status") == s).height for s in MEETING_STATUS_ORDER}
    return t("meetings.timeline.finding", lang, year=year, held=counts["gehouden"], planned=counts["gepland"],
             cancelled=counts["geannuleerd"])


def meetings_timeline(df: pl.DataFrame, year: int, as_of: dt.date, lang: str = "nl") -> alt.TopLevelMixin:
    """Every meeting of the year as a mark per kind: held (filled circle), planned (open circle), cancelled
    (cross), with a dashed rule at the Peildatum."""
    _rows(df, "meetings_timeline")
    if df.height == 0:
        return _empty(describe_meetings_timeline(df, year, lang))
    words = [t(f"meetings.status.{s}", lang) for s in MEETING_STATUS_ORDER]
    data = df.with_columns(
        kind=formatted(df["meeting_kind"], meeting_kind_label, lang),
        state=formatted(df["status"], lambda s: t(f"meetings.status.{s}", lang)),
        date_nl=formatted(df["meeting_date"], fmt_date, lang),
        title=pl.col("title").fill_null(""),
    ).select("meeting_date", "kind", "state", "date_nl", "title", "part")
    tip = [alt.Tooltip("date_nl:N", title=t("meetings.date", lang)), alt.Tooltip("kind:N", title=t("meetings.kind", lang)),
           alt.Tooltip("title:N", title=t("meetings.title_col", lang)), alt.Tooltip("state:N", title=t("chart.status", lang))]
    x = alt.X("meeting_date:T", title=None, axis=alt.Axis(format=theme.FMT_MONTH),
              scale=alt.Scale(domain=[f"{year}-01-01", f"{year}-12-31"]))
    y = alt.Y("kind:N", title=None, sort=[meeting_kind_label(k, lang) for k in (
        "kernteam", "directeurenoverleg", "werksessie", "atelierdag", "kartrekkersoverleg", "ontwikkelteam",
        "excursie", "conferentie", "overig")])
    colour = alt.Color("state:N", title=None, scale=alt.Scale(domain=words, range=[theme.PALETTE[0], theme.MUTED, "#B3380A"]))
    shape = alt.Shape("state:N", title=None, scale=alt.Scale(domain=words, range=["circle", "circle", "cross"]))
    # one layer per status: held filled, planned open, cancelled a cross (shape and word, not colour alone)
    layers = [alt.Chart(data.filter(pl.col("state") == word)).mark_point(size=90, strokeWidth=2, filled=filled, opacity=0.9)
              .encode(x=x, y=y, color=colour, shape=shape, tooltip=tip)
              for word, filled in zip(words, (True, False, True), strict=True)]
    rule_data = pl.DataFrame({"d": [as_of], "label": [t("meetings.timeline.as_of", lang, date=fmt_date(as_of, lang))]})
    rule = alt.Chart(rule_data).mark_rule(strokeDash=[4, 3], color=theme.TEXT).encode(x="d:T")
    late = as_of >= dt.date(year, 7, 1)  # in the second half the label goes left of the line, else it runs off the chart
    rule_text = alt.Chart(rule_data).mark_text(align="right" if late else "left", dx=-4 if late else 4, dy=-6,
                                               baseline="bottom", color=theme.TEXT).encode(
        x="d:T", y=alt.value(0), text="label:N")
    chart = _sized(alt.layer(*layers, rule, rule_text), 30 * data["kind"].n_unique())
    return _titled(chart, describe_meetings_timeline(df, year, lang), t("meetings.timeline.subtitle", lang))


def describe_attendance_rate(df: pl.DataFrame, by: str, target: float | None, lang: str = "nl") -> str:
    if df.is_empty():
        return t("meetings.attendance.none", lang)
    if by == "organisation":
        if target is None:
            return t("meetings.attendance.orgs", lang, n=df.height)
        below = df.filter(pl.col("rate") < target).height
        return t("meetings.attendance.orgs_below", lang, below=below, n=df.height, target=fmt_ratio(target, lang))
    low = df.sort("rate").row(0, named=True)
    return t("meetings.attendance.kind_lowest", lang, kind=low["partner_kind"] or t("meetings.no_partner", lang),
             rate=fmt_ratio(low["rate"], lang))


def attendance_rate(df: pl.DataFrame, by: str, target: float | None, lang: str = "nl") -> alt.TopLevelMixin:
    """Attendance rate per organisation or partner type (`by`), with the target as a dashed line; bars below the
    target in orange with the words "onder doel". Organisations only, never persons."""
    _rows(df, "attendance_rate")
    if df.height == 0:
        return _empty(describe_attendance_rate(df, by, target, lang))
    below_w, ok_w = t("meetings.attendance.below", lang), t("meetings.attendance.ok", lang)
    data = df.select(
        pl.col(by).fill_null(t("meetings.no_partner", lang)).alias("who"), "rate", "present", "invitations",
    ).with_columns(
        state=(pl.lit(ok_w) if target is None
               else pl.when(pl.col("rate") < target).then(pl.lit(below_w)).otherwise(pl.lit(ok_w))),
    )
    data = data.with_columns(label=formatted_rows(data, lambda r: t(
        "meetings.attendance.label", lang, rate=fmt_ratio(r["rate"], lang), present=r["present"], n=r["invitations"])
        + (f" · {below_w}" if r["state"] == below_w else "")))
    order = data.sort("rate")["who"].to_list()
    tip = [alt.Tooltip("who:N", title=t(f"meetings.attendance.{by}", lang)), alt.Tooltip("label:N", title=t("meetings.attendance.rate", lang))]
    base = alt.Chart(data).encode(y=alt.Y("who:N", sort=order, title=None, axis=alt.Axis(labelLimit=300)))
    bars = base.mark_bar(height=14).encode(
        x=alt.X("rate:Q", title=t("meetings.attendance.rate", lang),
                axis=alt.Axis(format=theme.FMT_RATIO, values=[0, 0.2, 0.4, 0.6, 0.8, 1.0]),
                scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("state:N", title=None, scale=alt.Scale(domain=[below_w, ok_w], range=["#B3470A", theme.PALETTE[0]])),
        tooltip=tip,
    )
    text = base.mark_text(align="left", dx=4, fontSize=11).encode(x="rate:Q", text="label:N", tooltip=tip)
    layers = [bars]
    if target is not None:
        goal = pl.DataFrame({"x": [target], "label": [t("meetings.attendance.target", lang, target=fmt_ratio(target, lang))]})
        layers.append(alt.Chart(goal).mark_rule(strokeDash=[4, 3], color=theme.TEXT, strokeWidth=2).encode(x="x:Q"))
        layers.append(alt.Chart(goal).mark_text(align="left", dx=4, dy=-4, baseline="bottom").encode(
            x="x:Q", y=alt.value(0), text="label:N"))
    # the figures after the target line, on a white halo, so the dashed line does not strike through them
    layers += [base.mark_text(align="left", dx=4, fontSize=11, stroke="white", strokeWidth=4, strokeJoin="round")
               .encode(x="rate:Q", text="label:N"), text]
    chart = _sized(alt.layer(*layers), 26 * data.height)
    return _titled(chart, describe_attendance_rate(df, by, target, lang))


def describe_absentees(df: pl.DataFrame, lang: str = "nl") -> str:
    if df.is_empty():
        return t("meetings.absentees.none", lang)
    r = df.row(0, named=True)
    return t("meetings.absentees.finding", lang, organisation=r["organisation"], present=r["present"],
             n=r["invitations"], rate=fmt_ratio(r["rate"], lang))


def describe_survey_wave_means(df: pl.DataFrame, lang: str = "nl") -> str:
    """Compares the newest wave in df with its previous wave: "7 van 10 vragen hoger dan in 2021-11; ..."."""
    shown = df.filter(pl.col("mean_score").is_not_null())
    if shown.is_empty():
        return t("survey.waves.none", lang)
    newest = shown["wave"].max()
    now = shown.filter((pl.col("wave") == newest) & pl.col("change").is_not_null())
    if now.is_empty():
        return t("survey.waves.single", lang, wave=newest, n=shown.filter(pl.col("wave") == newest).height)
    up = now.filter(pl.col("change") > 0).height
    best = now.sort("change", descending=True).row(0, named=True)
    return t("survey.waves.finding", lang, up=up, n=now.height, previous=best["previous_wave"],
             question=best["question_code"], change=_signed(best["change"], lang))


def survey_wave_means(df: pl.DataFrame, lang: str = "nl") -> alt.TopLevelMixin:
    """Mean (1-5) per Likert question, one dot per wave joined by a line: the change between waves at a glance."""
    _rows(df, "survey_wave_means")
    shown = df.filter(pl.col("mean_score").is_not_null())
    if shown.is_empty():
        return _empty(describe_survey_wave_means(df, lang))
    data = shown.select(
        pl.format("{} {}", "question_code", "question_text").alias("question"), "wave", "mean_score", "respondents",
        formatted(shown["mean_score"], _one_decimal, lang).alias("mean"),
        formatted(shown["change"], _signed, lang, skip_nulls=False).alias("delta"),
    )
    waves = sorted(data["wave"].unique().to_list())
    # the newest wave in the main blue, earlier ones in greys that fade with age (the previous one: 5.9:1 on white)
    greys = ["#C4CAD0", "#A3ACB5", "#7D8791", theme.STATUSES["no_data"].colour]
    older = len(waves) - 1
    colours = [greys[max(0, len(greys) - older + i)] for i in range(older)] + [theme.PALETTE[0]]
    tip = [alt.Tooltip("question:N", title=t("chart.question", lang)), alt.Tooltip("wave:N", title=t("survey.wave", lang)),
           alt.Tooltip("mean:N", title=t("survey.mean", lang)), alt.Tooltip("delta:N", title=t("chart.change", lang)),
           alt.Tooltip("respondents:Q", title=t("chart.respondents", lang))]
    y = alt.Y("question:N", title=None, axis=alt.Axis(labelLimit=360, labelExpr=_two_lines(LIKERT_LABEL_CHARS + 6)))
    x = alt.X("mean_score:Q", title=t("survey.mean_axis", lang), scale=alt.Scale(domain=[1, 5]),
              axis=alt.Axis(format=",.1f", values=[1, 2, 3, 4, 5]))
    line = alt.Chart(data).mark_line(color="#9aa4ae", strokeWidth=2).encode(y=y, x=x, detail="question:N",
                                                                              order="wave:O")
    dots = alt.Chart(data).mark_point(filled=True, size=110).encode(
        y=y, x=x, color=alt.Color("wave:O", title=t("survey.wave", lang), sort=waves,
                                  scale=alt.Scale(domain=waves, range=colours)),
        tooltip=tip)
    chart = _sized(alt.layer(line, dots), 36 * data["question"].n_unique())  # room for a statement on two lines
    return _titled(chart, describe_survey_wave_means(df, lang), t("survey.waves.subtitle", lang))


def describe_survey_themes(df: pl.DataFrame, lang: str = "nl") -> str:
    shown = df.filter(pl.col("mean_score").is_not_null())
    if shown.is_empty():
        return t("survey.themes.none", lang)
    s = shown.sort("mean_score", descending=True)
    hi, lo = s.row(0, named=True), s.row(-1, named=True)
    if s.height == 1:
        return t("survey.themes.one", lang, theme=hi["theme"], mean=_one_decimal(hi["mean_score"], lang))
    return t("survey.themes.finding", lang, high=hi["theme"], high_mean=_one_decimal(hi["mean_score"], lang),
             low=lo["theme"], low_mean=_one_decimal(lo["mean_score"], lang))


def _mean_bars(data: pl.DataFrame, tip: list, lang: str) -> alt.LayerChart:
    """Horizontal bars of a 1-5 mean with the value (and change) as text; the neutral 3 as a dashed line."""
    base = alt.Chart(data).encode(y=alt.Y("who:N", sort=data["who"].to_list(), title=None, axis=alt.Axis(labelLimit=300)))
    bars = base.mark_bar(height=16, color=theme.PALETTE[0]).encode(
        x=alt.X("mean_score:Q", title=t("survey.mean_axis", lang), scale=alt.Scale(domain=[1, 5]),
                axis=alt.Axis(values=[1, 2, 3, 4, 5], format=",.1f")),
        x2=alt.datum(1),  # the scale starts at 1: bars grow from there, never from an invisible 0
        tooltip=tip)
    text = base.mark_text(align="left", dx=4).encode(x="mean_score:Q", text="label:N", tooltip=tip)
    neutral = alt.Chart(pl.DataFrame({"x": [3.0]})).mark_rule(strokeDash=[4, 3], color=theme.MUTED).encode(x="x:Q")
    return _sized(alt.layer(bars, text, neutral), 30 * data.height)


def survey_themes(df: pl.DataFrame, lang: str = "nl") -> alt.TopLevelMixin:
    """Mean per theme (Likert questions only) of one wave, highest first, with the change since the previous wave."""
    _rows(df, "survey_themes")
    shown = df.filter(pl.col("mean_score").is_not_null()).sort("mean_score", descending=True)
    if shown.is_empty():
        return _empty(describe_survey_themes(df, lang))
    data = shown.select(
        pl.col("theme").alias("who"), "mean_score", "respondents",
        formatted_rows(shown, lambda r: _one_decimal(r["mean_score"], lang)
                       + (f" ({_signed(r['change'], lang)})" if r["change"] is not None else "")),
    )
    tip = [alt.Tooltip("who:N", title=t("survey.theme", lang)), alt.Tooltip("label:N", title=t("survey.mean", lang)),
           alt.Tooltip("respondents:Q", title=t("chart.respondents", lang))]
    return _titled(_mean_bars(data, tip, lang), describe_survey_themes(df, lang), t("survey.themes.subtitle", lang))


def describe_survey_groups(df: pl.DataFrame, lang: str = "nl") -> str:
    shown = df.filter(~pl.col("suppressed") & pl.col("mean_score").is_not_null())
    if shown.is_empty():
        return t("survey.groups.none", lang)
    s = shown.sort("mean_score", descending=True)
    hi, lo = s.row(0, named=True), s.row(-1, named=True)
    if s.height == 1:
        return t("survey.groups.one", lang, group=hi["group_value"], mean=_one_decimal(hi["mean_score"], lang))
    return t("survey.groups.finding", lang, high=hi["group_value"] or "?", high_mean=_one_decimal(hi["mean_score"], lang),
             low=lo["group_value"] or "?", low_mean=_one_decimal(lo["mean_score"], lang))


def survey_groups(df: pl.DataFrame, lang: str = "nl") -> alt.TopLevelMixin:
    """Mean per group (organisation type or onderdeel); suppressed groups (< 5 respondents) are not drawn at all."""
    _rows(df, "survey_groups")
    shown = df.filter(~pl.col("suppressed") & pl.col("mean_score").is_not_null()).sort("mean_score", descending=True)
    if shown.is_empty():
        return _empty(describe_survey_groups(df, lang))
    data = shown.select(
        pl.col("group_value").alias("who"), "mean_score", "respondents",
        formatted_rows(shown, lambda r: f"{_one_decimal(r['mean_score'], lang)} (n={r['respondents']})"),
    )
    tip = [alt.Tooltip("who:N", title=t("survey.group", lang)), alt.Tooltip("label:N", title=t("survey.mean", lang))]
    return _titled(_mean_bars(data, tip, lang), describe_survey_groups(df, lang), t("survey.groups.subtitle", lang))


def survey_likert(df: pl.DataFrame, lang: str = "nl") -> alt.TopLevelMixin:
    """charts.likert sized for the page: one row per question (labels carry n), title stating the positive share."""
    chart = likert(df, lang)
    if df.height == 0:
        return chart
    return _sized(chart, 36 * df["question"].n_unique())  # room for a statement on two lines


# --- presentation: the deck's ChartSpec as an Altair chart (Presentatie page) -----------------------

def slide_chart(spec, lang: str = "nl") -> alt.TopLevelMixin:
    """A dashboard.slides.model.ChartSpec drawn in the app with the PowerPoint chart's categories, series,
    colours and Dutch labels; the waterfall reuses `waterfall`. Titled with the spec's alt text."""
    from dashboard.slides.model import chart_alt_text, format_value

    title = spec.alt_text or None
    if spec.kind == "waterfall":
        _, values = spec.series[0]
        kinds = ["start" if i == 0 and i in spec.totals else "total" if i in spec.totals else "delta"
                 for i in range(len(values))]
        df = pl.DataFrame({"step": spec.categories, "amount": [float(v or 0) for v in values], "kind": kinds})
        return waterfall(df, lang, title=title)
    names = [name for name, _ in spec.series]
    colours = [f"#{spec.colours[i]}" if i < len(spec.colours) else theme.PALETTE[i % len(theme.PALETTE)]
               for i in range(len(names))]
    stacked = spec.kind == "stacked_bar"
    rows, level = [], dict.fromkeys(spec.categories, 0.0)
    for name, values in spec.series:
        for c, v in zip(spec.categories, values, strict=True):
            lo = level[c] if stacked else 0.0
            hi = lo + float(v or 0)
            level[c] = hi if stacked else 0.0
            rows.append({"category": c, "series": name, "value": v, "lo": lo, "hi": hi, "mid": (lo + hi) / 2,
                         "label": format_value(v, spec.number_format) if v else ""})
    d = _rows(pl.DataFrame(rows, schema={"category": pl.String, "series": pl.String, "value": pl.Float64,
                                         "lo": pl.Float64, "hi": pl.Float64, "mid": pl.Float64, "label": pl.String},
                           orient="row"), "slide_chart")
    fmt = ",.1f" if spec.number_format == "score" else theme.number_format(spec.number_format)
    horizontal = spec.kind in ("bar", "stacked_bar")
    cat, val, val2 = (alt.Y, alt.X, alt.X2) if horizontal else (alt.X, alt.Y, alt.Y2)
    cat_enc = cat("category:N", sort=spec.categories, title=None,
                  axis=alt.Axis(labelLimit=320, labelFontSize=16, labelAngle=0))
    val_axis = alt.Axis(format=fmt, labelFontSize=14, tickMinStep=1 if spec.number_format == "count" else alt.Undefined)
    # one item per line: Vega measures labels before the web font loads, so side-by-side items can overlap
    legend = alt.Legend(orient="bottom", direction="vertical", title=None, labelFontSize=16, symbolSize=160,
                        labelLimit=0)
    colour = alt.Color("series:N", sort=names, scale=alt.Scale(domain=names, range=colours),
                       legend=legend if len(names) > 1 else None)
    offset = {} if stacked or len(names) == 1 else ({"yOffset": alt.YOffset("series:N", sort=names)} if horizontal
                                                     else {"xOffset": alt.XOffset("series:N", sort=names)})
    base = alt.Chart(d).encode(cat_enc, **offset)
    tip = [alt.Tooltip("category:N", title=t("chart.category", lang)), alt.Tooltip("series:N", title=" "),
           alt.Tooltip("label:N", title=t("chart.value", lang))]
    if spec.kind == "line":
        marks = base.mark_line(point=True, strokeWidth=3).encode(val("value:Q", title=None, axis=val_axis),
                                                                 color=colour, tooltip=tip)
        text = base.mark_text(dy=-12, fontSize=15).encode(val("value:Q"), text="label:N")
    elif stacked:
        marks = base.mark_bar().encode(val("lo:Q", title=None, axis=val_axis), val2("hi:Q"), color=colour, tooltip=tip)
        text = base.mark_text(fontSize=15, fontWeight="bold", color="white").encode(val("mid:Q"), text="label:N")
    else:
        marks = base.mark_bar().encode(val("value:Q", title=None, axis=val_axis), color=colour, tooltip=tip)
        text = base.mark_text(align="left" if horizontal else "center", dx=5 if horizontal else 0,
                              dy=0 if horizontal else -10, fontSize=15).encode(val("value:Q"), text="label:N")
    per_category = 44 if stacked or len(names) == 1 else 30 * len(names) + 14
    height = max(260, per_category * len(spec.categories)) if horizontal else 380
    chart = alt.layer(marks, text).properties(height=height, width="container",
                                              padding={"left": 36, "right": 8, "top": 4, "bottom": 4})
    # no alt text given: the deck's own alt text (chart kind and every figure), never an unnamed chart
    return _titled(chart, title) if title else chart.properties(description=chart_alt_text(spec))


# --- Vergelijking en catalogus (issue 6: City Deals side by side) ---------------------------------------

def _deal_colours(deals: list[str]) -> alt.Scale:
    """The same deal keeps the same colour on every comparison chart (order of the chosen deals)."""
    return alt.Scale(domain=deals, range=[CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)] for i in range(len(deals))])


def describe_compare_multiples(df: pl.DataFrame, lang: str = "nl") -> str:
    """ "31 van 48 scores op koers; meeste achterstand: Mijlpalen op tijd (2 van 3 deals uit koers of risico)". """
    measured = df.filter(pl.col("status") != "no_data")
    if "accrual" in df.columns:  # a score shown "ter informatie" (no target) is not judged
        measured = measured.filter(theme.judged())
    if measured.is_empty():
        return t("compare.multiples.none", lang)
    on = measured.filter(pl.col("status") == "on_target").height
    text = t("compare.multiples.finding", lang, on=on, n=measured.height)
    behind = (measured.group_by("indicator", _label_col(lang)).agg(
        behind=pl.col("status").is_in(["off_target", "at_risk"]).sum(), n=pl.len())
        .filter(pl.col("behind") > 0).sort(["behind", "indicator"], descending=[True, False]))
    if behind.height:
        r = behind.row(0, named=True)
        text += t("compare.multiples.worst", lang, label=r[_label_col(lang)], behind=r["behind"], n=r["n"])
    return text


def compare_multiples(df: pl.DataFrame, indicators: list[str], lang: str = "nl", columns: int = 3) -> alt.TopLevelMixin:
    """Small multiples: per indicator one small bar chart, a bar per deal in its status colour (icon and value on top),
    a black tick on each bar at the target due by that deal's peildatum.

    df: one year of compare.grid (deal, indicator, value, unit, status, target_min, expected_to_date, label_nl/en).
    One faceted chart (a concat of 18 layered panels costs Altair seconds to copy); shares are plotted as
    percentages and the panel title names the unit, so one axis format fits every panel.
    """
    _rows(df, "compare_multiples")
    if df.filter(pl.col("status") != "no_data").is_empty():
        return _empty(describe_compare_multiples(df, lang))
    deals = df["deal"].unique(maintain_order=True).to_list()
    suffix = {"ratio": " (%)", "euro": " (€)", "count": ""}
    rows, panels = [], []
    info = False
    for r in df.filter(pl.col("indicator").is_in(indicators)).iter_rows(named=True):
        s = theme.status(theme.shown_status(r))  # "ter informatie" for the budget carried over, as everywhere
        info = info or s is theme.INFO
        unit = r["unit"]
        scale = 100.0 if unit == "ratio" else 1.0
        ref = next((float(r[k]) for k in ("expected_to_date", "target_min", "target_max") if r.get(k) is not None), None)
        panel = r[_label_col(lang)] + suffix.get(unit, "")
        if panel not in panels:
            panels.append(panel)
        rows.append({"panel": panel, "order": indicators.index(r["indicator"]), "deal": r["deal"],
                     "value": None if r["value"] is None else float(r["value"]) * scale,
                     "target": None if ref is None else ref * scale, "status": s.word(lang),
                     "label": f"{s.icon} {fmt_value(r['value'], unit, lang)}" if r["value"] is not None else s.icon,
                     "value_text": fmt_value(r["value"], unit, lang),
                     "target_text": fmt_value(ref, unit, lang) if ref is not None else t("chart.no_target", lang)})
    d = pl.DataFrame(rows, schema={"panel": pl.String, "order": pl.Int32, "deal": pl.String, "value": pl.Float64,
                                   "target": pl.Float64, "status": pl.String, "label": pl.String,
                                   "value_text": pl.String, "target_text": pl.String})
    panels.sort(key=lambda p: d.filter(pl.col("panel") == p)["order"][0])
    many = len(deals) > 8  # many deals: no value labels (they would overlap), wider panels, vertical deal codes
    width = max(210, 14 * len(deals))
    columns = columns if not many else (2 if len(deals) <= 16 else 1)
    tip = [alt.Tooltip("deal:N", title=t("compare.col.deal", lang)),
           alt.Tooltip("value_text:N", title=t("chart.value", lang)),
           alt.Tooltip("target_text:N", title=t("chart.target_to_date", lang)),
           alt.Tooltip("status:N", title=t("chart.status", lang))]
    base = alt.Chart().encode(x=alt.X("deal:N", sort=deals, title=None, axis=alt.Axis(labelAngle=-90 if many else 0)),
                              tooltip=tip)
    bars = base.mark_bar().encode(
        y=alt.Y("value:Q", title=None, axis=alt.Axis(format=theme.FMT_COUNT, tickCount=4, tickMinStep=1)),
        color=alt.Color("status:N", scale=_status_scale(lang, info), title=t("chart.status", lang)))
    goal = base.mark_tick(color=theme.TEXT, thickness=2, size=max(8, min(28, width // max(1, len(deals)) - 4))
                          ).encode(y="target:Q")
    layers = [bars, goal]
    if not many:
        layers.insert(1, base.mark_text(dy=-7, fontSize=11).encode(
            y=alt.Y("v:Q"), text="label:N", color=alt.Color("status:N", scale=_status_scale(lang, info), legend=None)
        ).transform_calculate(v="datum.value == null ? 0 : datum.value"))
    chart = (alt.layer(*layers, data=d).properties(width=width, height=130)
             .facet(facet=alt.Facet("panel:N", title=None, sort=panels, header=alt.Header(labelFontWeight="bold", labelLimit=width)),
                    columns=columns)
             .resolve_scale(y="independent"))
    return _titled(chart, describe_compare_multiples(df, lang), t("compare.multiples.subtitle", lang))


def describe_compare_trend(df: pl.DataFrame, mode: str, lang: str = "nl") -> str:
    """ "Kernteamoverleggen gehouden: hoogste waarde 8 (CDKW, dealjaar 2)". """
    if df.is_empty():
        return t("compare.trend.none", lang)
    top = df.sort(["value", "deal", "year"], descending=[True, False, False]).row(0, named=True)
    when = t("compare.deal_year_n", lang, n=top["deal_year"]) if mode == "deal" else str(top["year"])
    return t("compare.trend.finding", lang, label=top[_label_col(lang)], value=fmt_value(top["value"], top["unit"], lang),
             deal=top["deal"], when=when)


def compare_trend(df: pl.DataFrame, mode: str, lang: str = "nl") -> alt.TopLevelMixin:
    """One indicator over the years, a line per deal; x is the calendar year or the deal year (1, 2, 3).

    df: compare.trend (deal, year, deal_year, value, status, unit, label_nl/en, target).
    """
    _rows(df, "compare_trend")
    if df.is_empty():
        return _empty(describe_compare_trend(df, mode, lang))
    unit = df["unit"][0]
    deals = df["deal"].unique(maintain_order=True).to_list()
    x_field = "deal_year" if mode == "deal" else "year"
    x_title = t("compare.col.deal_year" if mode == "deal" else "compare.col.calendar_year", lang)
    d = df.with_columns(
        value_text=formatted(df["value"], fmt_value, unit, lang),
        status_text=formatted_rows(df, lambda r: theme.status(theme.shown_status(r)).label(lang)))
    tip = [alt.Tooltip("deal:N", title=t("compare.col.deal", lang)),
           alt.Tooltip("year:O", title=t("compare.col.calendar_year", lang)),
           alt.Tooltip("deal_year:O", title=t("compare.col.deal_year", lang)),
           alt.Tooltip("value_text:N", title=t("chart.value", lang)),
           alt.Tooltip("status_text:N", title=t("chart.status", lang))]
    base = alt.Chart(d).encode(
        x=alt.X(f"{x_field}:O", title=x_title, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", title=df[_label_col(lang)][0], axis=alt.Axis(format=theme.number_format(unit))),
        color=alt.Color("deal:N", scale=_deal_colours(deals), title=t("compare.col.deal", lang)),
        tooltip=tip)
    lines = base.mark_line(point=True)
    # the deal's code at the end of its line, so the lines read without the legend
    last = d.sort(x_field).group_by("deal", maintain_order=True).last()
    labels = alt.Chart(last).mark_text(align="left", dx=6, fontSize=11).encode(
        x=alt.X(f"{x_field}:O"), y="value:Q", text="deal:N",
        color=alt.Color("deal:N", scale=_deal_colours(deals), legend=None))
    chart = alt.layer(lines, labels).properties(height=280, width="container")
    return _titled(chart, describe_compare_trend(df, mode, lang), t(f"compare.trend.subtitle.{mode}", lang))


def describe_compare_self_assessment(df: pl.DataFrame, deal: str, lang: str = "nl") -> str:
    """ "CDOR scoort zichzelf op 1 van 6 thema's hoger dan de mediaan van de andere deals, op 2 lager". """
    d = df.filter((pl.col("deal") == deal) & pl.col("diff_median").is_not_null())
    if d.is_empty():
        return t("compare.self.none", lang, deal=deal)
    return t("compare.self.finding", lang, deal=deal, higher=d.filter(pl.col("diff_median") > 0).height,
             lower=d.filter(pl.col("diff_median") < 0).height, n=d.height)


def compare_self_assessment(df: pl.DataFrame, deal: str, lang: str = "nl") -> alt.TopLevelMixin:
    """One deal's latest self-assessment score per theme (bar, 1-5) against the other deals' median (black tick).

    df: compare.self_assessment (deal, theme, latest_score, others_median, others, first_score, change ...).
    """
    from dashboard.format import fmt_number

    _rows(df, "compare_self_assessment")
    d = df.filter(pl.col("deal") == deal)
    if d.is_empty():
        return _empty(describe_compare_self_assessment(df, deal, lang))
    d = d.select(
        "theme", pl.col("latest_score").cast(pl.Float64), pl.col("others_median").cast(pl.Float64),
        median_text=formatted(d["others_median"], fmt_number, 1, lang),
        change_text=formatted(d["change"], lambda c: f"{int(c):+d}").fill_null("–"),
        label=pl.col("latest_score").cast(pl.String))
    tip = [alt.Tooltip("theme:N", title=t("compare.col.theme", lang)),
           alt.Tooltip("latest_score:Q", title=t("compare.col.score", lang)),
           alt.Tooltip("median_text:N", title=t("compare.col.median_others", lang)),
           alt.Tooltip("change_text:N", title=t("compare.col.change", lang))]
    base = alt.Chart(d).encode(y=alt.Y("theme:N", title=None, sort=d["theme"].to_list()), tooltip=tip)
    bars = base.mark_bar(height=16, color=theme.PALETTE[0]).encode(
        x=alt.X("latest_score:Q", title=t("compare.self.axis", lang), scale=alt.Scale(domain=[0, 5]),
                axis=alt.Axis(values=[1, 2, 3, 4, 5], format="d")))
    text = base.mark_text(align="left", dx=4).encode(x="latest_score:Q", text="label:N")
    median = base.mark_tick(color=theme.TEXT, thickness=3, size=24).encode(x="others_median:Q")
    # height per row (a fixed height squeezed the rows in the browser); left padding: long theme names
    chart = alt.layer(bars, text, median).properties(height=alt.Step(30), width="container",
                                                      padding={"left": 30, "right": 5, "top": 5, "bottom": 5})
    return _titled(chart, describe_compare_self_assessment(df, deal, lang), t("compare.self.subtitle", lang))
