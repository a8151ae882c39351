"""Cross-deal comparison (issue 6): indicators side by side, deal-year alignment, median benchmark, self-assessment, catalogue."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from dashboard import charts, downloads
from dashboard.db import Warehouse
from dashboard.queries import compare
from dashboard.queries.indicators import indicators
from etl.load import load_files
from tests.conftest import write_workbook

ROOT = Path(__file__).resolve().parents[2]
D = dt.date


def _meetings(prefix: str, per_year: dict[int, int]) -> list[list]:
    rows = [["ID", "Datum", "Soort", "Titel", "Status"]]
    for year, n in per_year.items():
        rows += [[f"{prefix}{year}-{i}", D(year, i + 1, 10), "kernteam", f"Kernteam {year}", "gehouden"] for i in range(n)]
    return rows


def build_compare_db(tmp: Path) -> Path:
    """Two fictional deals, loaded by the real loader, both with Peildatum 31-12-2022 (every year they ran is complete).

    CDAA runs 2020-2022 and held 6, 4 and 5 kernteam meetings; CDBB runs 2021-2023 and held 3 and 6.
    So deal year 2 is 2021 for CDAA (4 held) and 2022 for CDBB (6 held). Zelfevaluatie: CDAA two measurements,
    CDBB one. Eindresultaten: CDAA 2 (one gereed, with an accented Toelichting), CDBB 1.
    """
    db = tmp / "compare.duckdb"
    head = ["Code", "Naam", "Start", "Einde", "Peildatum"]
    a = write_workbook(tmp / "CDAA.xlsx", {
        "Deal": [head, ["CDAA", "Testdeal Alfa (fictief)", D(2020, 1, 1), D(2022, 12, 31), D(2022, 12, 31)]],
        "Onderdelen": [["Code", "Naam", "Soort"], ["T1", "Team Eén", "ontwikkelteam"]],
        "Bijeenkomsten": _meetings("A", {2020: 6, 2021: 4, 2022: 5}),
        "Zelfevaluatie": [["Meting", "Thema", "Score"],
                          ["2021-06", "Gedeelde ambitie", 3], ["2021-06", "Samenwerking", 2],
                          ["2022-06", "Gedeelde ambitie", 4], ["2022-06", "Samenwerking", 2]],
        "Eindresultaten": [["ID", "Onderdeel", "Resultaat", "Status", "Voortgang", "Toelichting"],
                           ["ER-1", "T1", "Afwegingskader voor integrale opgaven", "loopt", 0.4, "Met de Omgevingswet"],
                           ["ER-2", "T1", "+Handreiking participatie", "gereed", 1.0, "Café-sessies met bewoners"]],
    })
    b = write_workbook(tmp / "CDBB.xlsx", {
        "Deal": [head, ["CDBB", "Testdeal Bravo (fictief)", D(2021, 1, 1), D(2023, 12, 31), D(2022, 12, 31)]],
        "Onderdelen": [["Code", "Naam", "Soort"], ["W1", "Warmteteam", "ontwikkelteam"]],
        "Bijeenkomsten": _meetings("B", {2021: 3, 2022: 6}),
        "Zelfevaluatie": [["Meting", "Thema", "Score"], ["2022-05", "Gedeelde ambitie", 2], ["2022-05", "Samenwerking", 4]],
        "Eindresultaten": [["ID", "Onderdeel", "Resultaat", "Status", "Voortgang", "Toelichting"],
                           ["ER-1", "W1", "Hittekaart", "loopt", 0.5, "KADER voor hitte in de wijk"]],
    })
    for path in (a, b):
        res = load_files([path], db)
        assert res.status == "loaded", [p.message for p in res.problems]
    return db


@pytest.fixture(scope="module")
def wh(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    return Warehouse(build_compare_db(tmp_path_factory.mktemp("compare")))


def _kernteam(frame: pl.DataFrame) -> dict[str, tuple]:
    k = frame.filter(pl.col("indicator") == "kernteam_meetings").sort("deal")
    return {r["deal"]: (r["year"], r["deal_year"], r["value"], r["status"]) for r in k.iter_rows(named=True)}


def test_deals_know_their_first_year(wh: Warehouse) -> None:
    d = compare.deals(wh)
    assert d.select("code", "first_year", "last_year", "years_started").rows() == [
        ("CDAA", 2020, 2022, 3), ("CDBB", 2021, 2023, 2)]
    assert compare.deal_year(2021, 2020) == 2


def test_deal_year_2_is_2021_for_a_deal_starting_2020(wh: Warehouse) -> None:
    g = compare.grid(wh)
    assert _kernteam(compare.at_year(g, 2, "deal")) == {
        "CDAA": (2021, 2, 4.0, "off_target"), "CDBB": (2022, 2, 6.0, "on_target")}
    assert _kernteam(compare.at_year(g, 2021, "calendar")) == {
        "CDAA": (2021, 2, 4.0, "off_target"), "CDBB": (2021, 1, 3.0, "off_target")}
    assert _kernteam(compare.at_year(g, 3, "deal")) == {"CDAA": (2022, 3, 5.0, "at_risk")}
    assert compare.missing_deals(g, ["CDAA", "CDBB"], 3, "deal") == ["CDBB"]


def test_year_choices_and_defaults(wh: Warehouse) -> None:
    d = compare.deals(wh)
    assert compare.year_options(d, ["CDAA", "CDBB"], "calendar") == [2020, 2021, 2022]
    assert compare.year_options(d, ["CDAA", "CDBB"], "deal") == [1, 2, 3]
    assert compare.year_options(d, ["CDBB"], "deal") == [1, 2]
    # the latest year in which both deals ran
    assert compare.default_year(d, ["CDAA", "CDBB"], "calendar") == 2022
    assert compare.default_year(d, ["CDAA", "CDBB"], "deal") == 2
    assert compare.chosen(d, []) == ["CDAA", "CDBB"]
    assert compare.chosen(d, ["CDBB", "XX"]) == ["CDBB"]


def test_cross_deal_grid_equals_the_shared_indicators_function(wh: Warehouse) -> None:
    """One query for every deal must give exactly what indicators(wh, deal) gives per deal (no second formula)."""
    g = compare.grid(wh)
    for deal in ("CDAA", "CDBB"):
        mine = g.filter(pl.col("deal") == deal).select("year", "indicator", "value", "target_min", "status")
        theirs = indicators(wh, deal).select("year", "indicator", "value", "target_min", "status")
        assert mine.equals(theirs), deal


def test_heat_table_cells_say_value_target_and_status(wh: Warehouse) -> None:
    rows = compare.at_year(compare.grid(wh), 2, "deal", ["kernteam_meetings", "directors_meetings"])
    table = compare.heat_table(rows, ["kernteam_meetings", "directors_meetings"], "deal")
    assert table.columns == ["Indicator", "CDAA", "CDBB"]  # the deals side by side, one indicator per row
    assert table.rows() == [
        ("Kalenderjaar", "2021", "2022"),  # which year each deal's column describes
        ("Kernteamoverleggen gehouden", "4 · doel 6 · ✗ uit koers", "6 · doel 6 · ✓ op koers"),
        ("Directeurenoverleggen gehouden", "0 · doel 2 · ✗ uit koers", "0 · doel 2 · ✗ uit koers"),
    ]
    assert compare.describe_heat(rows) == ("CDBB het vaakst op koers: 50% (1 van 2 indicatoren met gegevens), "
                                           "CDAA het minst vaak: 0% (0 van 2)")
    # the same share for every deal: said once, not as a best and a worst deal
    tied = rows.filter(pl.col("indicator") == "directors_meetings")
    assert compare.describe_heat(tied) == "Alle 2 deals even vaak op koers: 0% van hun indicatoren met gegevens"
    assert compare.describe_heat(tied, "en") == "All 2 deals equally often on target: 0% of their indicators with data"
    styled = compare.heat_styled(table).to_html()
    assert "background-color: #DDF3EB" in styled and "background-color: #FBE6DD" in styled


def test_median_of_the_other_deals() -> None:
    """Four deals: each deal's benchmark is the median of the OTHER three, never of itself."""
    frame = pl.DataFrame({
        "deal": ["A", "B", "C", "D"], "indicator": ["kernteam_meetings"] * 4,
        "label_nl": ["Kernteamoverleggen gehouden"] * 4, "label_en": ["Core team meetings"] * 4,
        "unit": ["count"] * 4, "value": [2.0, 4.0, 6.0, 9.0], "status": ["off_target", "at_risk", "on_target", "on_target"],
        "accrual": ["sum"] * 4,
    })
    b = compare.benchmark(frame).sort("deal")
    assert b["others_median"].to_list() == [6.0, 6.0, 4.0, 4.0]
    assert b["difference"].to_list() == [-4.0, -2.0, 2.0, 5.0]
    table = compare.benchmark_table(b, "A")
    assert table.row(0) == ("Kernteamoverleggen gehouden", "2", "6", "4 lager", 3, "✗ uit koers")
    assert compare.describe_benchmark(b, "D") == "D ligt op 1 van 1 indicatoren boven de mediaan van de andere deals, op 0 eronder"


def test_benchmark_on_the_fixture_in_deal_year_2(wh: Warehouse) -> None:
    rows = compare.at_year(compare.grid(wh), 2, "deal", ["kernteam_meetings"])
    b = compare.benchmark(rows).sort("deal")
    assert b.select("deal", "value", "others_median", "difference").rows() == [
        ("CDAA", 4.0, 6.0, -2.0), ("CDBB", 6.0, 4.0, 2.0)]
    assert compare.benchmark_table(b, "CDBB").row(0)[1:4] == ("6", "4", "2 hoger")


def test_difference_words() -> None:
    assert compare.difference_words(-0.5, "count", 2) == "0,5 lager"
    assert compare.difference_words(0.12, "ratio", 3) == "12 procentpunt hoger"
    assert compare.difference_words(-1500.0, "euro", 3) == "€ 1.500 lager"
    assert compare.difference_words(0.0, "count", 3) == "gelijk"
    assert compare.difference_words(None, "count", 3) == "geen waarde voor deze deal"
    assert compare.difference_words(1.0, "count", 0) == "geen andere deal met een waarde"
    assert compare.median_text(4.5, "count") == "4,5"


def test_self_assessment_against_the_group(wh: Warehouse) -> None:
    sa = compare.self_assessment(wh)
    assert sa.select("deal", "theme", "first_score", "latest_score", "change", "others_median").rows() == [
        ("CDAA", "Gedeelde ambitie", 3, 4, 1, 2.0),
        ("CDAA", "Samenwerking", 2, 2, 0, 4.0),
        ("CDBB", "Gedeelde ambitie", 2, 2, None, 4.0),
        ("CDBB", "Samenwerking", 4, 4, None, 2.0),
    ]
    table = compare.self_table(sa)
    assert table.columns == ["Thema", "CDAA", "CDBB"]  # the deals side by side, one theme per row
    assert table.rows() == [
        ("Laatste meting", "2022-06", "2022-05"),
        ("Gedeelde ambitie", "4 (+1 sinds 2021-06)", "2"),
        ("Samenwerking", "2 (gelijk sinds 2021-06)", "4"),
    ]
    bench = compare.self_benchmark_table(sa, "CDAA")
    assert bench.row(0) == ("Gedeelde ambitie", 4, "2,0", "2,0", "2 punt hoger", "4 (+1 sinds 2021-06)")
    assert charts.describe_compare_self_assessment(sa, "CDAA") == (
        "CDAA scoort zichzelf op 1 van 2 thema's hoger dan de mediaan van de andere deals, op 1 lager")
    # one deal chosen: no group to compare with
    alone = compare.self_assessment(wh, ["CDBB"])
    assert alone["others"].to_list() == [0, 0]
    assert compare.self_benchmark_table(alone, "CDBB").row(0)[4] == "geen andere deal met een waarde"


def test_catalogue_search_is_case_and_accent_insensitive(wh: Warehouse) -> None:
    assert compare.catalogue(wh).height == 3
    assert compare.catalogue(wh, "cafe")["result"].to_list() == ["+Handreiking participatie"]  # in the Toelichting
    assert compare.catalogue(wh, "KADER").select("deal", "end_result").rows() == [("CDAA", "ER-1"), ("CDBB", "ER-1")]
    assert compare.catalogue(wh, "  ").height == 3
    assert compare.catalogue(wh, "%").height == 0  # literal text, not a LIKE wildcard


def test_catalogue_filters(wh: Warehouse) -> None:
    assert compare.catalogue(wh, codes=["CDBB"])["result"].to_list() == ["Hittekaart"]
    assert compare.catalogue(wh, statuses=["gereed"])["end_result"].to_list() == ["ER-2"]
    assert compare.catalogue(wh, parts=["CDBB/W1"])["deal"].to_list() == ["CDBB"]
    assert compare.catalogue(wh, "kader", codes=["CDAA"], statuses=["loopt"])["end_result"].to_list() == ["ER-1"]
    assert compare.catalogue_parts(wh) == {"CDAA/T1": "CDAA · T1 — Team Eén", "CDBB/W1": "CDBB · W1 — Warmteteam"}
    assert list(compare.catalogue_parts(wh, ["CDBB"])) == ["CDBB/W1"]


def test_catalogue_export_neutralises_formulas(wh: Warehouse) -> None:
    table = compare.catalogue_table(compare.catalogue(wh, "cafe"))
    assert table.columns == ["Deal", "Onderdeel", "Naam onderdeel", "ID", "Resultaat", "Status", "Voortgang", "Toelichting"]
    assert table.row(0) == ("CDAA", "T1", "Team Eén", "ER-2", "+Handreiking participatie", "✓ gereed", 100,
                            "Café-sessies met bewoners")
    csv = downloads.to_csv(table).decode("utf-8")
    assert "CDAA;T1;Team Eén;ER-2;'+Handreiking participatie;✓ gereed;100;Café-sessies met bewoners" in csv


def test_source_caption_over_deals(wh: Warehouse) -> None:
    files, delivered = compare.source_parts(wh, "Zelfevaluatie")
    assert files == "2 bestanden: CDAA.xlsx, CDBB.xlsx"
    assert delivered is not None
    assert compare.source_parts(wh, "Zelfevaluatie", ["CDBB"])[0] == "CDBB.xlsx"
    assert compare.source_parts(wh, "Begroting") == (None, None)


def test_trend_per_deal_year(wh: Warehouse) -> None:
    tr = compare.trend(compare.grid(wh), "kernteam_meetings")
    assert tr.select("deal", "year", "deal_year", "value").rows() == [
        ("CDAA", 2020, 1, 6.0), ("CDAA", 2021, 2, 4.0), ("CDAA", 2022, 3, 5.0),
        ("CDBB", 2021, 1, 3.0), ("CDBB", 2022, 2, 6.0)]
    assert charts.describe_compare_trend(tr, "deal") == "Kernteamoverleggen gehouden: hoogste waarde 6 (CDAA, dealjaar 1)"
    spec = charts.compare_trend(tr, "deal").to_dict()
    assert spec["layer"][0]["encoding"]["x"]["field"] == "deal_year"
    assert spec["layer"][0]["encoding"]["x"]["title"] == "Dealjaar"
    assert spec["title"]["text"] == "Kernteamoverleggen gehouden: hoogste waarde 6 (CDAA, dealjaar 1)"


def test_small_multiples_chart(wh: Warehouse) -> None:
    rows = compare.at_year(compare.grid(wh), 2022, "calendar", ["kernteam_meetings", "directors_meetings"])
    spec = charts.compare_multiples(rows, ["kernteam_meetings", "directors_meetings"]).to_dict()
    assert spec["facet"]["field"] == "panel"
    assert spec["facet"]["sort"] == ["Kernteamoverleggen gehouden", "Directeurenoverleggen gehouden"]
    assert spec["resolve"] == {"scale": {"y": "independent"}}
    data = next(iter(spec["datasets"].values()))
    assert len(data) == 4
    kern = {d["deal"]: (d["value"], d["target"], d["label"]) for d in data if d["panel"].startswith("Kern")}
    assert kern == {"CDAA": (5.0, 6.0, "! 5"), "CDBB": (6.0, 6.0, "✓ 6")}
    assert [layer["mark"]["type"] for layer in spec["spec"]["layer"]] == ["bar", "text", "tick"]
    assert spec["title"]["text"] == ("1 van 4 scores op koers; meeste achterstand: Directeurenoverleggen gehouden "
                                     "(2 van 2 deals met risico of uit koers)")


# --- the demo database: three deals with different start years ----------------------------------------------

@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from etl.demo import build_demo_db

    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    assert build_demo_db(db).ok
    return db


@pytest.mark.parametrize(("deal", "first", "kernteam_year_1"), [("CDOR", 2021, 6.0), ("CDKW", 2020, 6.0),
                                                                ("CDCB", 2022, 5.0)])
def test_stuurhut_indicators_works_for_each_demo_deal(demo_db: Path, deal: str, first: int, kernteam_year_1: float) -> None:
    out = subprocess.run([sys.executable, "-m", "etl.cli", "indicators", "--deal", deal, "--year", str(first),
                          "--db", str(demo_db), "--json"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    rows = {r["indicator"]: r for r in json.loads(out.stdout)}
    assert len(rows) == 18
    assert rows["kernteam_meetings"]["year"] == first
    assert rows["kernteam_meetings"]["value"] == kernteam_year_1
    # and the comparison puts that year at deal year 1
    g = compare.grid(Warehouse(demo_db))
    assert _kernteam(compare.at_year(g, 1, "deal"))[deal][:3] == (first, 1, kernteam_year_1)


def test_demo_comparison_finding(demo_db: Path) -> None:
    wh = Warehouse(demo_db)
    rows = compare.at_year(compare.grid(wh), 2022, "calendar")
    # the budget carried over has no target: it is not counted among the indicators on target (17 with one)
    # ranked by share: 13 of 16 comes first and 13 of 17 last, so the shares lead the sentence
    assert compare.describe_heat(rows) == ("CDKW het vaakst op koers: 81% (13 van 16 indicatoren met gegevens), "
                                           "CDOR het minst vaak: 76% (13 van 17)")
    bench = compare.benchmark_table(compare.benchmark(rows), "CDOR").to_dicts()
    carried = next(r for r in bench if r["Indicator"] == "Ontwikkelbudget doorgeschoven naar volgend jaar")
    assert carried["Status"] == "– ter informatie"  # the benchmark says so too
    # and the small multiples: grey, not a green "op koers", and not counted
    codes = rows["indicator"].unique(maintain_order=True).to_list()
    spec = charts.compare_multiples(rows, codes).to_dict()
    data = [r for ds in spec["datasets"].values() for r in ds if r.get("panel", "").startswith("Ontwikkelbudget door")]
    assert {r["status"] for r in data} == {"ter informatie"}
    judged = rows.filter(~((pl.col("accrual") == "none") & (pl.col("status") == "on_target")))
    assert spec["title"]["text"].startswith(
        f"{judged.filter(pl.col('status') == 'on_target').height} van {judged.filter(pl.col('status') != 'no_data').height} scores op koers")
    table = compare.heat_table(rows, ["dev_budget_surplus", "kernteam_meetings"], "calendar")
    carried = dict(zip(table.columns, table.row(1), strict=True))
    assert carried["Indicator"] == "Ontwikkelbudget doorgeschoven naar volgend jaar"
    assert carried["CDOR"] == "€ 526.650 · – ter informatie"  # not "doel geen doel · ✓ op koers"
    assert "#DDF3EB" not in compare.heat_styled(table.slice(1, 1)).to_html()  # not coloured as on target
    assert compare.self_assessment(wh)["deal"].unique().sort().to_list() == ["CDCB", "CDKW", "CDOR"]


def test_status_counts_leave_out_only_an_indicator_shown_for_information() -> None:
    """The budget carried over counts when it is a risk (overspent), not while it is shown "ter informatie"."""
    rows = pl.DataFrame({
        "deal": ["A", "A", "B", "B"],
        "indicator": ["kernteam_meetings", "dev_budget_surplus"] * 2,
        "accrual": ["sum", "none"] * 2,
        "status": ["on_target", "on_target", "on_target", "at_risk"],
    })
    counts = {r["deal"]: r for r in compare.status_counts(rows).iter_rows(named=True)}
    assert (counts["A"]["measured"], counts["A"]["on_target"]) == (1, 1)
    assert (counts["B"]["measured"], counts["B"]["at_risk"]) == (2, 1)


def test_cli_says_ter_informatie_but_its_json_keeps_the_designed_status(demo_db: Path) -> None:
    """`stuurhut indicators` prints the budget carried over as the dashboard shows it; --json keeps the four
    statuses DESIGN.md fixes for other tools (on_target for an indicator without a target)."""
    args = [sys.executable, "-m", "etl.cli", "indicators", "--deal", "CDOR", "--year", "2022", "--db", str(demo_db)]
    text = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, timeout=120)
    line = next(x for x in text.stdout.splitlines() if x.startswith("Ontwikkelbudget doorgeschoven"))
    assert "geen doel" in line and "ter informatie" in line and "op koers" not in line
    out = subprocess.run([*args, "--json"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    rows = {r["indicator"]: r for r in json.loads(out.stdout)}
    assert rows["dev_budget_surplus"]["status"] == "on_target"
