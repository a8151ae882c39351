"""Questions of the cross-deal pages (Vergelijking, Catalogus): deals side by side, benchmarks, self-assessment, end results.

Indicator figures come from dashboard.queries.indicators.evaluate (the same SQL macro and status rules as
`indicators()`), asked once for every deal rather than once per deal, so 50 deals stay one query.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import polars as pl

from dashboard import theme
from dashboard.format import fmt_count, fmt_number, fmt_ratio, fmt_target, fmt_value
from dashboard.i18n import t
from dashboard.layout import Layout, by_code
from dashboard.memo import per_version, styler
from dashboard.queries import indicators as ind_api

MODES = ("calendar", "deal")  # kalenderjaar / dealjaar
_GRID_CACHE: OrderedDict[tuple, pl.DataFrame] = OrderedDict()
_GRID_LOCK = threading.Lock()
_GRID_ENTRIES = 8


# --- deals -----------------------------------------------------------------------------------------

def deals(wh, as_of: dt.date | None = None) -> pl.DataFrame:
    """code, name, start, end, peildatum, first_year (= deal year 1), last_year, years_started; one row per deal."""
    return wh.sql("compare_deals", as_of=as_of)


def chosen(all_deals: pl.DataFrame, picked: Iterable[str] | None) -> list[str]:
    """The deals to compare: the picked ones in database order, all when none are picked."""
    codes = all_deals["code"].to_list()
    picked = set(picked or ())
    return [c for c in codes if c in picked] or codes


def deal_year(calendar_year: int, first_year: int) -> int:
    """Year 1 is the deal's first calendar year: a deal starting in 2020 has deal year 2 = 2021."""
    return calendar_year - first_year + 1


def year_options(all_deals: pl.DataFrame, codes: Sequence[str], mode: str) -> list[int]:
    """The years to choose from: calendar years or deal years (1, 2, 3) in which at least one chosen deal has started."""
    d = all_deals.filter(pl.col("code").is_in(list(codes)) & (pl.col("years_started") > 0))
    if d.is_empty():
        return []
    if mode == "deal":
        return list(range(1, int(d["years_started"].max()) + 1))
    years: set[int] = set()
    for r in d.iter_rows(named=True):
        years.update(range(r["first_year"], r["first_year"] + r["years_started"]))
    return sorted(years)


def default_year(all_deals: pl.DataFrame, codes: Sequence[str], mode: str) -> int | None:
    """The latest year in which the most chosen deals have started (so the first view compares as many as possible)."""
    options = year_options(all_deals, codes, mode)
    if not options:
        return None
    d = all_deals.filter(pl.col("code").is_in(list(codes)))

    def started(y: int) -> int:
        if mode == "deal":
            return d.filter(pl.col("years_started") >= y).height
        return d.filter((pl.col("first_year") <= y) & (pl.col("first_year") + pl.col("years_started") > y)).height

    return max(options, key=lambda y: (started(y), y))


# --- indicators across deals -----------------------------------------------------------------------

def grid(wh, codes: Sequence[str] | None = None, as_of: dt.date | None = None) -> pl.DataFrame:
    """Every indicator of every chosen deal and year with status (indicators.evaluate), plus deal_name and deal_year.

    Cached per data version: the status rules run in Python once per load, not on every rerun.
    """
    key = (str(wh.path), wh.version, as_of)
    with _GRID_LOCK:
        hit = _GRID_CACHE.get(key)
        if hit is not None:
            _GRID_CACHE.move_to_end(key)
    if hit is None:
        info = deals(wh, as_of).select(pl.col("code").alias("deal"), pl.col("name").alias("deal_name"), "first_year")
        values = ind_api.evaluate(wh, None, None, as_of)  # deal None: one query for every deal (same macro, same rules)
        hit = values.join(info, on="deal", how="left").with_columns(
            deal_year=(pl.col("year") - pl.col("first_year") + 1).cast(pl.Int32)
        ).sort(["deal", "year"], maintain_order=True)  # deals in code order, indicators in catalogue order
        with _GRID_LOCK:
            _GRID_CACHE[key] = hit
            while len(_GRID_CACHE) > _GRID_ENTRIES:
                _GRID_CACHE.popitem(last=False)
    return hit if codes is None else hit.filter(pl.col("deal").is_in(list(codes)))


def at_year(g: pl.DataFrame, year: int, mode: str = "calendar", indicators: Sequence[str] | None = None) -> pl.DataFrame:
    """The rows of one calendar year, or of one deal year (each deal's own calendar year in `year`); some indicators.

    Deals without any figure in that year (not begun yet, nothing delivered) are left out: missing_deals names them.
    """
    col = "deal_year" if mode == "deal" else "year"
    out = g.filter(pl.col(col) == year)
    out = out.filter((pl.col("status") != "no_data").any().over("deal"))
    return out.filter(pl.col("indicator").is_in(list(indicators))) if indicators else out


def present(rows: pl.DataFrame) -> list[str]:
    """The deals with figures in these rows, in code order (the choices for the benchmark)."""
    return rows["deal"].unique(maintain_order=True).to_list()


def has_figures(rows: pl.DataFrame) -> bool:
    """Whether any indicator in these rows has a value (else the page explains instead of drawing empty charts)."""
    return not rows.filter(pl.col("status") != "no_data").is_empty()


def missing_deals(g: pl.DataFrame, codes: Sequence[str], year: int, mode: str) -> list[str]:
    """Chosen deals without figures in that year (not started yet, or outside the deal's period)."""
    have = set(at_year(g, year, mode)["deal"].to_list())
    return [c for c in codes if c not in have]


def indicator_labels(g: pl.DataFrame, lang: str = "nl") -> dict[str, str]:
    """{code: label} in catalogue order."""
    label = "label_en" if lang == "en" else "label_nl"
    rows = g.unique("indicator", keep="first").sort("indicator")
    order = {c: i for i, c in enumerate(ind_api.BY_CODE)}
    pairs = sorted(((r["indicator"], r[label]) for r in rows.iter_rows(named=True)), key=lambda p: order.get(p[0], 99))
    return dict(pairs)


def reference(row: dict) -> float | None:
    """What a value is measured against: the share of the target due by the peildatum, else the target."""
    for key in ("expected_to_date", "target_min", "target_max"):
        v = row.get(key)
        if v is not None:
            return float(v)
    return None


def cell_text(row: dict, lang: str = "nl") -> str:
    """One heat-table cell: value against target and status in icon and word, "4 · doel 6 (nu 5) · ! risico"."""
    s = theme.status(row["status"])
    if row["value"] is None:
        return s.label(lang)
    unit = row["unit"]
    if theme.for_information(row):  # no target to state or to be on: "€ 10.520 · – ter informatie"
        return f"{fmt_value(row['value'], unit, lang)} · {t('tile.for_information', lang)}"
    target = fmt_target(row["target_min"], row["target_max"], unit, lang)
    text = f"{fmt_value(row['value'], unit, lang)} · {t('compare.target_word', lang)} {target}"
    exp = row.get("expected_to_date")
    if exp is not None and row["target_min"] is not None and abs(exp - row["target_min"]) > 1e-9:
        text += f" ({t('compare.now_word', lang)} {fmt_value(exp, unit, lang)})"
    return f"{text} · {s.label(lang)}"


def heat_table(year_rows: pl.DataFrame, indicators: Sequence[str], mode: str, lang: str = "nl") -> pl.DataFrame:
    """The deals side by side: an Indicator column, then one column of text cells per deal.

    The first row says which year each deal's column describes (its deal year in calendar mode, its calendar year
    in deal mode); then one row per indicator. Read across a row to compare the deals on one indicator; a few deals
    fit beside the menu, many scroll sideways with the indicators pinned.
    """
    labels = indicator_labels(year_rows, lang)
    other = "year" if mode == "deal" else "deal_year"
    other_title = t("compare.col.calendar_year" if mode == "deal" else "compare.col.deal_year", lang)
    no_data = theme.status("no_data").label(lang)
    out: dict[str, list[str]] = {t("compare.col.indicator", lang): [other_title, *(labels.get(c, c) for c in indicators)]}
    for deal, part in year_rows.group_by("deal", maintain_order=True):
        cells = {r["indicator"]: r for r in part.iter_rows(named=True)}
        out[deal[0]] = [str(int(part[other][0])),
                        *(cell_text(cells[code], lang) if code in cells else no_data for code in indicators)]
    return pl.DataFrame(out, schema=dict.fromkeys(out, pl.String))


def heat_styled(table: pl.DataFrame, lang: str = "nl"):
    """The heat table with each cell in its status colour (icon and word are in the text already)."""
    tints = {s.word(lang): f"color: {s.colour}; background-color: {s.background}" for s in theme.STATUSES.values()}

    def colour(v: object) -> str:
        text = str(v)
        for word, css in tints.items():
            if text.endswith(word):
                return css
        return ""

    return styler(table.to_pandas()).map(colour, subset=table.columns[1:])


def status_counts(year_rows: pl.DataFrame) -> pl.DataFrame:
    """deal, on_target, at_risk, off_target, measured (indicators with data), ordered best first."""
    # an indicator shown "ter informatie" (no target) is not judged, so not counted; overspent it is, as a risk
    measured = year_rows.filter((pl.col("status") != "no_data") & theme.judged())
    return (measured.group_by("deal").agg(
        on_target=(pl.col("status") == "on_target").sum(),
        at_risk=(pl.col("status") == "at_risk").sum(),
        off_target=(pl.col("status") == "off_target").sum(),
        measured=pl.len())
        .with_columns(share=pl.col("on_target") / pl.col("measured"))
        .sort(["share", "on_target", "deal"], descending=[True, True, False]))


def describe_heat(year_rows: pl.DataFrame, lang: str = "nl") -> str:
    """ "CDKW het vaakst op koers: 81% (13 van 16 indicatoren met gegevens), CDOR het minst vaak: 76% (13 van 17)".

    Deals are ranked by their share on target (they measure different numbers of indicators), so the share leads:
    two deals with 13 on target can be first and last. When every deal has the same share, it says so.
    """
    c = status_counts(year_rows)
    if c.is_empty():
        return t("compare.heat.none", lang)
    best, worst = c.row(0, named=True), c.row(-1, named=True)
    if c.height > 1 and best["share"] == worst["share"]:
        return t("compare.heat.equal", lang, deals=c.height, share=fmt_ratio(best["share"], lang))
    text = t("compare.heat.best", lang, deal=best["deal"], share=fmt_ratio(best["share"], lang),
             on=best["on_target"], n=best["measured"])
    if c.height > 1:
        text += t("compare.heat.worst", lang, deal=worst["deal"], share=fmt_ratio(worst["share"], lang),
                  on=worst["on_target"], n=worst["measured"])
    return text


# --- benchmark: each deal against the median of the other deals ------------------------------------

def benchmark(year_rows: pl.DataFrame) -> pl.DataFrame:
    """Per deal and indicator: value, the median of the OTHER chosen deals' values (their count), difference.

    year_rows: at_year(grid(...)) for the chosen deals. No other deal with a value: median and difference NULL.
    """
    base = year_rows.select("deal", "indicator", "label_nl", "label_en", "unit", "value", "status", "accrual")
    others = (base.join(base.select("indicator", pl.col("deal").alias("other"), pl.col("value").alias("other_value")),
                        on="indicator")
              .filter((pl.col("other") != pl.col("deal")) & pl.col("other_value").is_not_null())
              .group_by("deal", "indicator")
              .agg(others_median=pl.col("other_value").median(), others=pl.len()))
    return (base.join(others, on=["deal", "indicator"], how="left", maintain_order="left")
            .with_columns(others=pl.col("others").fill_null(0),
                          difference=pl.col("value") - pl.col("others_median")))


def difference_words(difference: float | None, unit: str, others: int, lang: str = "nl") -> str:
    """ "2 hoger dan de mediaan van de andere deals", "5 procentpunt lager ...", "gelijk aan ..."."""
    if others == 0:
        return t("compare.bench.no_others", lang)
    if difference is None:
        return t("compare.bench.no_value", lang)
    amount = amount_text(abs(difference), unit, lang)
    if amount_text(0.0, unit, lang) == amount:
        return t("compare.bench.equal", lang)
    return t("compare.bench.higher" if difference > 0 else "compare.bench.lower", lang, amount=amount)


def amount_text(x: float | None, unit: str, lang: str = "nl") -> str:
    """A value or median: one decimal for a count only when it has one (a median of 4 and 5 is 4,5, not 4)."""
    if x is None:
        return fmt_value(None, unit, lang)
    if unit == "ratio":
        return fmt_number(x * 100, 0, lang) + " " + t("compare.points_pct", lang)
    if unit == "count" and round(x, 1) != round(x):
        return fmt_number(x, 1, lang)
    return fmt_value(x, unit, lang)


def median_text(x: float | None, unit: str, lang: str = "nl") -> str:
    if unit == "count" and x is not None and round(x, 1) != round(x):
        return fmt_number(x, 1, lang)
    return fmt_value(x, unit, lang)


def benchmark_table(bench: pl.DataFrame, deal: str, lang: str = "nl") -> pl.DataFrame:
    """The benchmark of one deal as shown and downloaded: indicator, value, median of the others, difference, status."""
    label = "label_en" if lang == "en" else "label_nl"
    b = bench.filter(pl.col("deal") == deal)
    rows = list(b.iter_rows(named=True))
    return pl.DataFrame({
        t("compare.col.indicator", lang): [r[label] for r in rows],
        t("compare.col.value", lang): [fmt_value(r["value"], r["unit"], lang) for r in rows],
        t("compare.col.median_others", lang): [median_text(r["others_median"], r["unit"], lang) for r in rows],
        t("compare.col.difference", lang): [difference_words(r["difference"], r["unit"], r["others"], lang) for r in rows],
        t("compare.col.others", lang): [int(r["others"]) for r in rows],
        t("compare.col.status", lang): [theme.status(theme.shown_status(r)).label(lang) for r in rows],
    }, schema_overrides={t("compare.col.others", lang): pl.Int64})


# widths (px) of benchmark_table's columns: they fit beside the menu on a 1280 px screen, the indicator and the
# difference in words wrapped onto more lines
BENCH_WIDTHS = {"indicator": 200, "value": 90, "median_others": 146, "difference": 166, "others": 94, "status": 110}


def bench_layout(lang: str = "nl") -> Layout:
    return by_code(BENCH_WIDTHS, lambda c: t(f"compare.col.{c}", lang), wrap=("indicator", "difference"),
                   helps={"others": t("compare.col.others_help", lang)})


def describe_benchmark(bench: pl.DataFrame, deal: str, lang: str = "nl") -> str:
    b = bench.filter((pl.col("deal") == deal) & pl.col("difference").is_not_null())
    if b.is_empty():
        return t("compare.bench.none", lang, deal=deal)
    higher = b.filter(pl.col("difference") > 1e-9).height
    lower = b.filter(pl.col("difference") < -1e-9).height
    return t("compare.bench.finding", lang, deal=deal, higher=higher, lower=lower, n=b.height)


# --- trend --------------------------------------------------------------------------------------------

def trend(g: pl.DataFrame, indicator: str) -> pl.DataFrame:
    """deal, year, deal_year, value, status, unit, label_nl, label_en, target: one indicator over the years (with data)."""
    return (g.filter((pl.col("indicator") == indicator) & pl.col("value").is_not_null())
            .select("deal", "year", "deal_year", "value", "status", "unit", "label_nl", "label_en",
                    pl.coalesce("expected_to_date", "target_min").alias("target"))
            .sort("deal", "year"))


# --- self-assessment (Zelfevaluatie) ---------------------------------------------------------------

def self_assessment(wh, codes: Sequence[str] | None = None, as_of: dt.date | None = None) -> pl.DataFrame:
    """Per deal and theme: first and latest score, change, and the other chosen deals' median and mean."""
    return wh.sql("compare_self_assessment", deals=list(codes) if codes else None, as_of=as_of)


def score_cell(row: dict, lang: str = "nl") -> str:
    """ "3 (+1 sinds 2021-11)" or "4 (gelijk sinds 2022-04)" or "3" with one measurement."""
    score = fmt_count(row["latest_score"], lang)
    if row["change"] is None:
        return score
    ch = int(row["change"])
    word = t("compare.self.same", lang) if ch == 0 else f"{ch:+d}"
    return f"{score} ({word} {t('compare.self.since', lang)} {row['first_wave']})"


def self_table(sa: pl.DataFrame, lang: str = "nl") -> pl.DataFrame:
    """The deals side by side, one theme per row: each deal's latest score with its change since its first
    measurement; the first row says when each deal measured last."""
    themes = sorted(sa["theme"].unique().to_list())
    out: dict[str, list[str]] = {t("compare.col.theme", lang): [t("compare.col.latest_wave", lang), *themes]}
    for deal, part in sa.group_by("deal", maintain_order=True):
        cells = {r["theme"]: r for r in part.iter_rows(named=True)}
        out[deal[0]] = [str(part["latest_wave"].max()),
                        *(score_cell(cells[th], lang) if th in cells else "–" for th in themes)]
    return pl.DataFrame(out, schema=dict.fromkeys(out, pl.String))


def self_benchmark_table(sa: pl.DataFrame, deal: str, lang: str = "nl") -> pl.DataFrame:
    """One deal's themes: its latest score, the other deals' median and mean, the difference in words, its change."""
    rows = list(sa.filter(pl.col("deal") == deal).iter_rows(named=True))
    return pl.DataFrame({
        t("compare.col.theme", lang): [r["theme"] for r in rows],
        t("compare.col.score", lang): [int(r["latest_score"]) for r in rows],
        t("compare.col.median_others", lang): [fmt_number(r["others_median"], 1, lang) if r["others"] else "–"
                                               for r in rows],
        t("compare.col.mean_others", lang): [fmt_number(r["others_mean"], 1, lang) if r["others"] else "–" for r in rows],
        t("compare.col.difference", lang): [score_words(r["diff_median"], r["others"], lang) for r in rows],
        t("compare.col.change", lang): [score_cell(r, lang) for r in rows],
    }, schema_overrides={t("compare.col.score", lang): pl.Int64})


def score_words(diff: float | None, others: int, lang: str = "nl") -> str:
    """ "0,5 punt hoger dan de mediaan van de andere deals" (scores are 1-5)."""
    if not others or diff is None:
        return t("compare.bench.no_others", lang)
    if abs(diff) < 1e-9:
        return t("compare.bench.equal", lang)
    amount = fmt_number(abs(diff), 0 if float(diff).is_integer() else 1, lang) + " " + t(
        "compare.self.point" if abs(diff) == 1 else "compare.self.points", lang)
    return t("compare.bench.higher" if diff > 0 else "compare.bench.lower", lang, amount=amount)


# --- end-results catalogue ------------------------------------------------------------------------

def catalogue(wh, q: str | None = None, codes: Sequence[str] | None = None, parts: Sequence[str] | None = None,
              statuses: Sequence[str] | None = None, as_of: dt.date | None = None) -> pl.DataFrame:
    """End results of every deal: deal, deal_name, end_result, part, part_name, part_kind, part_key, result, status,
    progress, note. q searches result and explanation (case- and accent-insensitive); parts are "DEAL/PART" keys."""
    return wh.sql("compare_catalogue", q=(q or "").strip() or None, deals=list(codes) if codes else None,
                  parts=list(parts) if parts else None, statuses=list(statuses) if statuses else None, as_of=as_of)


def catalogue_parts(wh, codes: Sequence[str] | None = None, as_of: dt.date | None = None) -> dict[str, str]:
    """{"CDOR/OT1": "CDOR · OT1 — Integrale opgave ..."} for the part filter, limited to the chosen deals.

    Once per data version (the same dict on every rerun: read it, do not change it)."""
    def compute() -> dict[str, str]:
        df = wh.sql("compare_catalogue_parts", as_of=as_of)
        if codes:
            df = df.filter(pl.col("deal").is_in(list(codes)))
        return {r["part_key"]: f"{r['deal']} · {r['part']}" + (f" — {r['part_name']}" if r["part_name"] else "")
                for r in df.iter_rows(named=True)}

    return per_version(wh, ("catalogue_parts", tuple(codes or ()), as_of), compute)


def catalogue_table(df: pl.DataFrame, lang: str = "nl") -> pl.DataFrame:
    """The catalogue as shown and exported: deal, part, ID, result, status (icon and word), progress %, explanation."""
    from dashboard.charts import work_status_label

    return pl.DataFrame({
        t("compare.col.deal", lang): df["deal"],
        t("catalogue.col.part", lang): df["part"],
        t("catalogue.col.part_name", lang): df["part_name"].fill_null(""),
        t("catalogue.col.id", lang): df["end_result"],
        t("catalogue.col.result", lang): df["result"],
        t("catalogue.col.status", lang): [work_status_label(s, lang) for s in df["status"]],
        t("catalogue.col.progress", lang): (df["progress"] * 100).round(0).cast(pl.Int64),
        t("catalogue.col.note", lang): df["note"].fill_null(""),
    }, schema_overrides={t("compare.col.deal", lang): pl.String, t("catalogue.col.part", lang): pl.String,
                         t("catalogue.col.id", lang): pl.String, t("catalogue.col.result", lang): pl.String})


# widths (px) of catalogue_table's columns: with its long texts wrapped, the catalogue fits beside the menu on a 1280 px
# screen (dashboard/layout.py; tests/browser/test_pages.py)
CATALOGUE_WIDTHS = {"deal": 60, "part": 76, "part_name": 130, "id": 76, "result": 160, "status": 98, "progress": 84,
                    "note": 130}


def catalogue_layout(lang: str = "nl") -> Layout:
    def name(c: str) -> str:
        return t("compare.col.deal" if c == "deal" else f"catalogue.col.{c}", lang)

    return by_code(CATALOGUE_WIDTHS, name, wrap=tuple(c for c in CATALOGUE_WIDTHS if c != "progress"),
                   bars=("progress",))


# --- sources ---------------------------------------------------------------------------------------------

def source_parts(wh, sheet: str, codes: Sequence[str] | None = None, as_of: dt.date | None = None,
                 lang: str = "nl") -> tuple[str | None, dt.datetime | None]:
    """(file text, newest delivery) for a source caption over several deals: "3 bestanden: a.xlsx, b.xlsx, c.xlsx"."""
    df = wh.sql("compare_sources", sheet=sheet, as_of=as_of)
    if codes:
        df = df.filter(pl.col("deal").is_in(list(codes)))
    if df.is_empty():
        return None, None
    files = sorted(set(df["file"].to_list()))
    if len(files) == 1:
        text = files[0]
    else:
        shown = ", ".join(files[:3])
        more = t("compare.source.more", lang, n=len(files) - 3) if len(files) > 3 else ""
        text = t("compare.source.files", lang, n=len(files), files=shown + more)
    return text, df["loaded_at"].max()


# --- tables shown beside the charts ------------------------------------------------------------------

def deals_table(all_deals: pl.DataFrame, codes: Sequence[str], year: int, mode: str, lang: str = "nl") -> pl.DataFrame:
    """The chosen deals with their period and peildatum, and which year of theirs the chosen year is.

    In deal-year mode the last column is each deal's calendar year for that deal year, in calendar mode its deal year.
    """
    d = all_deals.filter(pl.col("code").is_in(list(codes)))
    if mode == "deal":
        aligned = t("compare.col.calendar_year", lang)
        values = [r["first_year"] + year - 1 for r in d.iter_rows(named=True)]
    else:
        aligned = t("compare.col.deal_year", lang)
        values = [deal_year(year, r["first_year"]) for r in d.iter_rows(named=True)]
    return pl.DataFrame({
        t("compare.col.deal", lang): d["code"], t("compare.col.name", lang): d["name"],
        t("compare.col.start", lang): d["start"], t("compare.col.end", lang): d["end"],
        t("compare.col.peildatum", lang): d["peildatum"],
        aligned: pl.Series(values, dtype=pl.Int32),
    })


def year_table(year_rows: pl.DataFrame, lang: str = "nl") -> pl.DataFrame:
    """The figures behind the small multiples: deal, calendar and deal year, indicator, value, target so far, status."""
    label = "label_en" if lang == "en" else "label_nl"
    rows = list(year_rows.iter_rows(named=True))
    return pl.DataFrame({
        t("compare.col.deal", lang): [r["deal"] for r in rows],
        t("compare.col.calendar_year", lang): [r["year"] for r in rows],
        t("compare.col.deal_year", lang): [r["deal_year"] for r in rows],
        t("compare.col.indicator", lang): [r[label] for r in rows],
        t("compare.col.value", lang): [r["value"] for r in rows],
        t("compare.target_word", lang).capitalize(): [reference(r) for r in rows],
        t("compare.col.status", lang): [theme.status(r["status"]).label(lang) for r in rows],
    }, schema_overrides={t("compare.col.value", lang): pl.Float64,
                         t("compare.target_word", lang).capitalize(): pl.Float64})


def trend_table(tr: pl.DataFrame, lang: str = "nl") -> pl.DataFrame:
    """The figures behind the trend chart."""
    return pl.DataFrame({
        t("compare.col.deal", lang): tr["deal"],
        t("compare.col.calendar_year", lang): tr["year"],
        t("compare.col.deal_year", lang): tr["deal_year"],
        t("compare.col.value", lang): tr["value"],
        t("compare.col.status", lang): [theme.status(s).label(lang) for s in tr["status"]],
    })


def catalogue_styled(table: pl.DataFrame, lang: str = "nl"):
    """The catalogue with each status in its colour (icon and word are in the text already)."""
    from dashboard.charts import WORK_STATUSES

    colours = {s.label(lang): f"color: {s.colour}; background-color: {s.background}" for s in WORK_STATUSES.values()}
    return styler(table.to_pandas()).map(lambda v: colours.get(v, ""), subset=[t("catalogue.col.status", lang)])


# --- the Vergelijking page's frames, once per data version --------------------------------------------------

def years_of(wh, codes: Sequence[str], mode: str) -> tuple[list[int], int | None]:
    """(year_options, default_year) of the chosen deals."""
    def compute() -> tuple[list[int], int | None]:
        all_deals = deals(wh)
        return year_options(all_deals, codes, mode), default_year(all_deals, codes, mode)

    return per_version(wh, ("compare_years", tuple(codes), mode), compute)


def labels_of(wh, codes: Sequence[str], lang: str = "nl") -> dict[str, str]:
    """indicator_labels of the chosen deals' grid."""
    return per_version(wh, ("compare_labels", tuple(codes), lang), lambda: indicator_labels(grid(wh, codes), lang))


@dataclass(frozen=True)
class CompareView:
    """What the Vergelijking page shows for the chosen deals, year, year mode, indicators and language."""

    deals_table: pl.DataFrame
    files: str | None  # the indicator figures' source caption
    delivered: dt.datetime | None
    rows: pl.DataFrame  # at_year of the grid
    missing: list[str]  # chosen deals without figures in the year
    has_figures: bool
    heat_title: str
    heat: pl.DataFrame  # heat_table, as downloaded
    heat_styled: object  # heat_styled(heat): the same table with status colours, as shown
    multiples_table: pl.DataFrame  # the data behind the small multiples
    present: list[str]  # the deals to benchmark
    bench: pl.DataFrame
    self_scores: pl.DataFrame  # self_assessment
    self_table: pl.DataFrame | None
    self_files: str | None
    self_delivered: dt.datetime | None


def view(wh, codes: Sequence[str], year: int, mode: str, shown: Sequence[str], lang: str = "nl") -> CompareView:
    """The page's frames, derived once per data version: a rerun of the page (any click) only draws them."""
    return per_version(wh, ("compare_view", tuple(codes), year, mode, tuple(shown), lang),
                       lambda: _view(wh, list(codes), year, mode, list(shown), lang))


def _view(wh, codes: list[str], year: int, mode: str, shown: list[str], lang: str) -> CompareView:
    g = grid(wh, codes)
    rows = at_year(g, year, mode, shown)
    files, delivered = source_parts(wh, None, codes, lang=lang)
    heat = heat_table(rows, shown, mode, lang)
    sa = self_assessment(wh, codes)
    sa_files, sa_delivered = source_parts(wh, "Zelfevaluatie", codes, lang=lang) if not sa.is_empty() else (None, None)
    return CompareView(
        deals_table=deals_table(deals(wh), codes, year, mode, lang),
        files=files, delivered=delivered,
        rows=rows,
        missing=missing_deals(g, codes, year, mode),
        has_figures=has_figures(rows),
        heat_title=describe_heat(rows, lang),
        heat=heat,
        heat_styled=heat_styled(heat, lang),
        multiples_table=year_table(rows, lang),
        present=present(rows),
        bench=benchmark(rows),
        self_scores=sa,
        self_table=None if sa.is_empty() else self_table(sa, lang),
        self_files=sa_files, self_delivered=sa_delivered,
    )


def focus_view(wh, codes: Sequence[str], year: int, mode: str, shown: Sequence[str], focus: str,
               lang: str = "nl") -> tuple[str, pl.DataFrame, pl.DataFrame | None]:
    """(describe_benchmark, benchmark_table, self_benchmark_table) of the deal in focus, once per data version."""
    def compute():
        v = view(wh, codes, year, mode, shown, lang)
        return (describe_benchmark(v.bench, focus, lang), benchmark_table(v.bench, focus, lang),
                None if v.self_scores.is_empty() else self_benchmark_table(v.self_scores, focus, lang))

    return per_version(wh, ("compare_focus", tuple(codes), year, mode, tuple(shown), focus, lang), compute)


def trend_of(wh, codes: Sequence[str], indicator: str, lang: str = "nl") -> tuple[pl.DataFrame, pl.DataFrame]:
    """(trend, trend_table) of one indicator over the chosen deals."""
    def compute():
        tr = trend(grid(wh, codes), indicator)
        return tr, trend_table(tr, lang)

    return per_version(wh, ("compare_trend", tuple(codes), indicator, lang), compute)


# --- the Catalogus page's frames, once per data version ------------------------------------------------------

@dataclass(frozen=True)
class CatalogueView:
    """What the Catalogus page shows for one search, choice of deals, parts and statuses, and language."""

    total: int  # end results of every deal
    shown: int  # end results that match
    by_deal: str  # "CDOR 12, CDKW 7"
    table: pl.DataFrame | None  # catalogue_table, as downloaded (None when nothing matches)
    styled: object  # catalogue_styled(table): as shown
    files: str | None
    delivered: dt.datetime | None


def catalogue_view(wh, q: str | None, codes: Sequence[str], parts: Sequence[str], statuses: Sequence[str],
                   lang: str = "nl") -> CatalogueView:
    """The page's frames, derived once per data version: a rerun of the page (any click) only draws them."""
    def compute() -> CatalogueView:
        found = catalogue(wh, q, codes, parts, statuses)
        table = None if found.is_empty() else catalogue_table(found, lang)
        files, delivered = source_parts(wh, "Eindresultaten", codes, lang=lang)
        per_deal = found.group_by("deal", maintain_order=True).len()
        return CatalogueView(
            total=catalogue(wh).height, shown=found.height,
            by_deal=", ".join(f"{d} {n}" for d, n in per_deal.iter_rows()),
            table=table, styled=None if table is None else catalogue_styled(table, lang),
            files=files, delivered=delivered)

    return per_version(wh, ("catalogue_view", q, tuple(codes), tuple(parts), tuple(statuses), lang), compute)
