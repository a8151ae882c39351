"""Every benchmark of `make bench` runs on a tiny scale dataset (a check that they keep working; nothing is timed)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from benchmarks import bench_deck, bench_indicators, bench_load, bench_pages, bench_payload, run_all
from benchmarks.common import Section

TINY = {"deals": 2, "scale": 0.02, "seed": 3}  # per deal 20 meetings, 400 attendance rows, 40 answers
BROWSER = Path("/usr/bin/chromium").exists()


@pytest.fixture(scope="module")
def tiny_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench")
    db, seconds = run_all.scale_db(TINY, out)
    assert seconds is not None  # built now, through the real loader
    again, cached = run_all.scale_db(TINY, out)
    assert (again, cached) == (db, None)  # the second call takes the cached file
    return db


@pytest.fixture
def page_env(tiny_db: Path):
    """bench_pages.app_env sets STUURHUT_DB/STUURHUT_ACCOUNTS for in-process AppTests: restore them after."""
    saved = {k: os.environ.get(k) for k in ("STUURHUT_DB", "STUURHUT_ACCOUNTS")}
    yield tiny_db
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def test_cache_key_follows_the_parameters_and_the_models() -> None:
    assert run_all.cache_key(TINY) == run_all.cache_key(dict(TINY))
    assert run_all.cache_key(TINY) != run_all.cache_key({**TINY, "deals": 3})


def test_the_scale_dataset_has_its_deals_and_rows(tiny_db: Path) -> None:
    import duckdb

    with duckdb.connect(str(tiny_db), read_only=True) as con:
        assert con.sql("SELECT count(DISTINCT deal) FROM meta.deliveries").fetchall() == [(2,)]
        assert con.sql("SELECT count(*) FROM raw.attendance").fetchall() == [(800,)]
        assert con.sql("SELECT count(*) FROM raw.meetings").fetchall() == [(40,)]


def test_naive_reference_gives_the_warehouse_figures(tiny_db: Path) -> None:
    """The naive Python grouping must answer the same question as the mart, or the ratio means nothing."""
    import duckdb

    naive = bench_pages.naive(tiny_db, ("meetings", "attendance"), "SC01")
    with duckdb.connect(str(tiny_db), read_only=True) as con:
        rates = con.sql("SELECT deal, year, organisation, sum(present) / sum(attendance_rows) "
                        "FROM attendance_summary('SC01', NULL) GROUP BY ALL").fetchall()
        held = con.sql("SELECT deal, year, meeting_kind, count(*) FROM stg_meetings('SC01', NULL) GROUP BY ALL").fetchall()
    assert len(rates) > 5
    assert naive["attendance"] == pytest.approx({(d, y, o): r for d, y, o, r in rates})
    assert naive["meetings"] == {(d, y, k): n for d, y, k, n in held}
    assert sum(naive["meetings"].values()) == 20


def test_pages_benchmark_reports_warm_reruns_and_ratios(page_env: Path) -> None:
    rows = bench_pages.measure(page_env, "SC01", repeat=1, naive_repeat=1,
                               pages=["overzicht", "bijeenkomsten", "enquete", "vergelijking", "beheer"])
    by_page = {r["page"]: r for r in rows}
    assert list(by_page) == ["overzicht", "bijeenkomsten", "enquete", "vergelijking", "beheer"]
    assert all("error" not in r for r in rows), rows
    assert by_page["bijeenkomsten"]["facts"] == ("meetings", "attendance")
    assert by_page["bijeenkomsten"]["naive"] > 0 and by_page["overzicht"]["warm"] > 0
    assert by_page["beheer"]["naive"] is None  # a page without facts has no naive reference


def test_pages_benchmark_names_the_pages_below_the_streamlit_floor(page_env: Path, monkeypatch) -> None:
    """A one-line app's rerun is measured in the same run; a page whose naive tenth is below it is named."""
    floor = bench_pages.floor_rerun(2)
    assert 0 < floor < 1
    rows = [{"page": "begroting", "warm": 0.009, "naive": 0.006, "facts": ("budget",), "runs": 3, "rows": 1500},
            {"page": "bijeenkomsten", "warm": 0.014, "naive": 1.0, "facts": ("meetings",), "runs": 3, "rows": 10**6}]
    monkeypatch.setattr(bench_pages, "measure", lambda *a, **k: rows)
    monkeypatch.setattr(bench_pages, "floor_rerun", lambda repeat: 0.003)
    sec = bench_pages.run(page_env, small=True)
    ratios = {f.name.split(":")[0]: f.ok for f in sec.figures if "naïeve" in f.name}
    assert ratios == {"begroting": False, "bijeenkomsten": True}  # not met stays not met: the note only explains
    assert any(n.startswith("ondergrens: ") and "3.0 ms" in n for n in sec.notes)
    below = [n for n in sec.notes if "minder dan die ondergrens" in n]
    assert len(below) == 1 and below[0].startswith("begroting (0.6 ms, 1.500 rijen)") and "bijeenkomsten" not in below[0]


def test_payload_benchmark_counts_chart_rows(page_env: Path) -> None:
    found = bench_payload.measure(page_env, "SC01", pages=["bijeenkomsten", "presentatie"])
    titles = [t for t, _ in found["bijeenkomsten"]]
    assert len(titles) == 4  # held vs target, timeline, attendance per partner type and per organisation
    timeline = [r for t, r in found["bijeenkomsten"] if "gehouden" in t and "gepland" in t]
    assert timeline and 0 < timeline[0] <= 20  # the year's meetings of SC01, at most its 20 meetings
    assert any(t.startswith("dia ") for t, _ in found["presentatie"])  # stepped through the slides
    assert max(r for items in found.values() for _, r in items) <= bench_payload.MAX_ROWS


def test_survey_without_organisation_type_groups_as_unknown(tiny_db: Path) -> None:
    """Found by the scale benchmark: a survey without Organisatiesoort made the Enquête page fail (a NULL group)."""
    from dashboard.db import Warehouse

    wh = Warehouse(tiny_db)
    groups = wh.sql("survey_group_means", deal="SC01", wave="2021-11", group_type="organisatiesoort")
    assert groups.select("group_value", "respondents", "suppressed").rows() == [("onbekend", 1, True)]
    wh.close()


def test_indicators_benchmark(tiny_db: Path) -> None:
    sec = bench_indicators.run(tiny_db, "SC01", small=True)
    assert isinstance(sec, Section) and len(sec.figures) == 1
    assert sec.figures[0].name.startswith("alle 18 indicatoren van SC01 in ")


def test_deck_benchmark(tiny_db: Path) -> None:
    times = bench_deck.measure(tiny_db, deal="SC01", repeat=1)
    assert times["slides"][0] >= 8 and times["total"][0] > 0


def test_load_benchmark_on_a_small_workbook(tmp_path: Path) -> None:
    path = bench_load.write_attendance_workbook(tmp_path / "att.xlsx", 300, meetings=20)
    load_s, bare_s, peak = bench_load.measure(path, 1)
    assert load_s > 0 and bare_s > 0 and peak > 10


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.skipif(not BROWSER, reason="needs /usr/bin/chromium")
def test_first_view_and_memory_with_a_real_server(tiny_db: Path) -> None:
    from benchmarks import bench_first_view, bench_memory

    ours, ref = bench_first_view.measure(tiny_db, repeat=1)
    assert len(ours) == len(ref) == 1 and ours[0] > 0 and ref[0] > 0
    m = bench_memory.measure(tiny_db, "SC01", pages=["overzicht", "bijeenkomsten"])
    assert [k for k, _ in m["visited"]] == ["overzicht", "bijeenkomsten"]
    assert m["failed"] == [] and 50 < m["rss"] < 2000


def test_run_all_writes_results(tiny_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tiny_db.parent
    monkeypatch.setattr(run_all, "SMALL", TINY)  # the cached tiny warehouse, not a new small one
    results = tmp_path / "RESULTS.md"
    assert run_all.main(["--small", "--only", "indicators", "--out", str(out), "--results", str(results)]) == 0
    text = results.read_text(encoding="utf-8")
    assert text.startswith("# Benchmark results")
    assert "## Indicatoren (`indicators()`, schaaldataset)" in text
    assert "| figure | value | target | met |" in text
    assert results.with_suffix(".json").exists()
    shutil.rmtree(tmp_path, ignore_errors=True)
