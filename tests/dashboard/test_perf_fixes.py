"""Performance fixes: indicators cached per data version, charts validated once per distinct spec, lazy downloads."""

from __future__ import annotations

import shutil
from pathlib import Path

import altair as alt
import polars as pl
import pytest
from altair.utils.schemapi import SchemaValidationError
from streamlit.testing.v1 import AppTest

from dashboard import components
from dashboard.db import Warehouse
from dashboard.queries import indicators as ind_mod
from dashboard.queries.indicators import indicators
from tests.dashboard.conftest import D, load


def test_indicators_are_assessed_once_per_data_version(full_db: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "copy.duckdb"
    shutil.copy(full_db, db)
    wh = Warehouse(db)
    calls = []
    real = ind_mod.evaluate
    monkeypatch.setattr(ind_mod, "evaluate", lambda *a: calls.append(a[1:]) or real(*a))
    first = indicators(wh, "TST", 2022)
    assert len(calls) == 2  # now and the day before the peildatum
    again = indicators(wh, "TST", 2022)
    assert again is first and len(calls) == 2  # a rerun: no Python post-processing again
    indicators(wh, "TST", 2021)
    assert len(calls) == 4  # another year is another key
    # a new delivery replaces the file: the cached frame must not survive it
    load(db, tmp_path / "extra.xlsx", {"Deal": [["Code", "Naam", "Peildatum"], ["TST", "Testdeal", D(2022, 7, 31)]]})
    after = indicators(wh, "TST", 2022)
    assert after is not first and len(calls) == 6
    assert after["peildatum"][0] == D(2022, 7, 31)
    wh.close()


def test_memo_is_bounded_with_the_query_cache(full_db: Path) -> None:
    wh = Warehouse(full_db, cache_entries=3)
    for i in range(5):
        assert wh.memo(("k", i), lambda i=i: i * 10) == i * 10
    assert len(wh._cache) == 3
    assert wh.memo(("k", 4), lambda: "recomputed") == 40  # still cached
    assert wh.memo(("k", 0), lambda: "recomputed") == "recomputed"  # evicted
    wh.close()


def _bars(values: list[int]) -> alt.Chart:
    df = pl.DataFrame({"x": ["a", "b", "c"][: len(values)], "y": values})
    return alt.Chart(df).mark_bar().encode(x="x:N", y="y:Q").properties(description="3 staven")


def test_spec_carries_arrow_data_and_description() -> None:
    spec = components.vega_lite_spec(_bars([1, 2, 3]))
    assert spec["description"] == "3 staven"
    assert spec["mark"]["type"] == "bar"
    (name, data), = spec["datasets"].items()
    assert spec["data"] == {"name": name}
    import pyarrow as pa

    table = pa.ipc.open_stream(data).read_all()
    assert table.num_rows == 3 and table.column("y").to_pylist() == [1, 2, 3]


def test_schema_validation_once_per_distinct_spec(monkeypatch: pytest.MonkeyPatch) -> None:
    components._VALIDATED.clear()
    seen = []
    real = alt.Chart.to_dict

    def spy(self, *a, **kw):
        seen.append(kw.get("validate", True))
        return real(self, *a, **kw)

    monkeypatch.setattr(alt.Chart, "to_dict", spy)
    components.vega_lite_spec(_bars([1, 2, 3]))
    components.vega_lite_spec(_bars([1, 2, 3]))  # the same chart on a rerun
    assert seen == [False, True, False]
    components.vega_lite_spec(_bars([4, 5, 6]))  # other data: validated again
    assert seen[3:] == [False, True]


def test_a_broken_chart_still_raises() -> None:
    components._VALIDATED.clear()
    broken = alt.Chart(pl.DataFrame({"x": [1]})).mark_bar().encode(x="x:Q")
    broken.height = "hoog"  # set after construction, as a builder bug would slip past the constructor
    with pytest.raises(SchemaValidationError):
        components.vega_lite_spec(broken)


def _table_app() -> None:
    import polars as pl

    from dashboard import components, downloads

    downloads.calls = getattr(downloads, "calls", 0)
    real = downloads.to_xlsx

    def counting(df):
        downloads.calls += 1
        return real(df)

    downloads.to_xlsx = counting
    components.table(pl.DataFrame({"Organisatie": ["Gemeente Aadorp"], "Opkomst": [0.78]}), "opkomst", key="t", lang="nl")


def test_downloads_are_built_on_click_not_on_every_rerun() -> None:
    from dashboard import downloads

    real = downloads.to_xlsx
    try:
        at = AppTest.from_function(_table_app, default_timeout=30).run()
        at.run()
        assert not at.exception
        assert [b.label for b in at.download_button] == ["CSV (Excel)", "Excel"]
        assert downloads.calls == 0
    finally:
        downloads.to_xlsx = real


def test_pages_directory_mode_is_detected_without_inspect_stack(monkeypatch: pytest.MonkeyPatch) -> None:
    import inspect

    import streamlit as st
    from streamlit.runtime.pages_manager import PagesManager

    from dashboard import navigation

    reruns = []
    monkeypatch.setattr(st, "rerun", lambda: reruns.append(1))
    monkeypatch.setattr(PagesManager, "uses_pages_directory", True)
    monkeypatch.setattr(inspect, "stack", lambda *a, **k: pytest.fail("inspect.stack is slow"))
    navigation.leave_pages_directory_mode()  # a normal st.navigation run: nothing to do
    assert reruns == [] and PagesManager.uses_pages_directory is True

    def _mpa_v1() -> None:  # the name of Streamlit's pages-directory runner
        navigation.leave_pages_directory_mode()

    _mpa_v1()
    assert reruns == [1] and PagesManager.uses_pages_directory is False


def test_altair_builds_its_class_table_once() -> None:
    from altair.utils import schemapi

    from dashboard import altair_speed

    assert schemapi._FromDict.__init__ is altair_speed._cached_init
    a = schemapi._FromDict(alt.X._default_wrapper_classes())
    b = schemapi._FromDict(alt.X._default_wrapper_classes())
    assert a.class_dict is b.class_dict
    # shorthand still resolves to the same classes and spec
    spec = alt.Chart(pl.DataFrame({"rate": [0.5]})).mark_bar().encode(x="rate:Q", y=alt.value(0)).to_dict()
    assert spec["encoding"] == {"x": {"field": "rate", "type": "quantitative"}, "y": {"value": 0}}
    assert type(alt.Chart().encode(x="rate:Q").encoding.x) is alt.X


def test_builders_are_memoised_on_rows_and_arguments() -> None:
    from dashboard import charts, memo

    assert hasattr(charts.attendance_rate, "__memoised__")  # wrapped when components is imported
    assert not hasattr(charts.describe_attendance_rate, "__memoised__")  # findings are cheap strings
    df = pl.DataFrame({"organisation": ["Gemeente Aadorp", "Gemeente Bedum"], "partner_kind": ["gemeente", None],
                       "rate": [0.5, 0.9], "present": [5, 9], "invitations": [10, 10]})
    first = charts.attendance_rate(df, "organisation", 0.7)
    assert charts.attendance_rate(df.clone(), "organisation", 0.7) is first  # equal rows: the same chart
    assert charts.attendance_rate(df, "organisation", 0.8) is not first  # another target
    assert charts.attendance_rate(df.reverse(), "organisation", 0.7) is not first  # row order matters
    changed = df.with_columns(rate=pl.Series([0.5, 0.91]))
    other = charts.attendance_rate(changed, "organisation", 0.7)
    assert other is not first and other.to_dict()["title"]["text"] == first.to_dict()["title"]["text"]
    assert memo.frame_digest(df) == memo.frame_digest(df.clone())
    assert memo.frame_digest(df) != memo.frame_digest(changed)


def test_unhashable_arguments_run_the_builder() -> None:
    from dashboard import memo

    calls = []
    f = memo.memoise(lambda x, opts: calls.append(1) or len(opts))
    assert f(1, {"a": [1, 2]}) == 1 and f(1, {"a": [1, 2]}) == 1
    assert len(calls) == 1  # dicts and lists are keyed by value
    assert f(1, {object()}) == 1 and f(1, {object()}) == 1  # a set of objects: keyed by the objects
    assert len(calls) == 3


def test_the_same_chart_object_reuses_its_spec() -> None:
    chart = _bars([7, 8, 9])
    first = components.vega_lite_spec(chart)
    first.pop("datasets")  # what Streamlit does with the dict it gets
    again = components.vega_lite_spec(chart)
    assert set(again["datasets"]) and again["mark"] == first["mark"]


def test_prewarm_asks_what_the_first_overview_asks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dashboard import prewarm
    from tests.pages.conftest import APP, build_page_db

    db = build_page_db(tmp_path)  # a fresh path: no Warehouse cached for it by earlier tests
    prewarm.start(db).join(60)
    wh = prewarm._ready[str(db.resolve())]
    warmed = set(wh._cache)
    assert {k[0] for k in warmed} >= {"deals", "deal_activity", "peildata", "deal_years", "indicator_values",
                                      "freshness", "bottlenecks_by_severity", "bottlenecks_open", "memo"}
    monkeypatch.setenv("STUURHUT_DB", str(db))
    monkeypatch.setenv("STUURHUT_ACCOUNTS", str(tmp_path / "accounts.json"))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception and at.title[0].value == "Overzicht — Testdeal Openbare Ruimte"
    assert str(db.resolve()) not in prewarm._ready  # the app took the warmed Warehouse
    assert set(wh._cache) == warmed  # and found every answer of its first run there


def test_newest_indicator_values_are_a_table_refreshed_by_each_load(full_db: Path, tmp_path: Path) -> None:
    import duckdb

    db = tmp_path / "copy.duckdb"
    shutil.copy(full_db, db)
    macro = "SELECT * FROM indicator_values('TST', NULL) ORDER BY year, sort_order"
    table = "SELECT * FROM indicator_values_now WHERE deal = 'TST' ORDER BY year, sort_order"
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.sql(table).fetchall() == con.sql(macro).fetchall()
        assert len(con.sql(table).fetchall()) == 54  # 18 indicators x 2021-2023
    load(db, tmp_path / "later.xlsx", {"Deal": [["Code", "Naam", "Peildatum"], ["TST", "Testdeal", D(2022, 7, 31)]]})
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.sql("SELECT DISTINCT ref_date FROM indicator_values_now WHERE deal = 'TST'").fetchall() == [
            (D(2022, 7, 31),)]
        assert con.sql(table).fetchall() == con.sql(macro).fetchall()


def test_a_file_without_the_table_falls_back_to_the_macro(full_db: Path, tmp_path: Path) -> None:
    import duckdb

    db = tmp_path / "old.duckdb"
    shutil.copy(full_db, db)
    ref = Warehouse(full_db)
    expected = indicators(ref, "TST", 2022)
    ref.close()
    with duckdb.connect(str(db)) as con:
        con.execute("DROP TABLE indicator_values_now")
    wh = Warehouse(db)
    got = indicators(wh, "TST", 2022)
    assert got.equals(expected)
    assert {k[0] for k in wh._cache} >= {"indicator_values"}  # answered by the macro
    wh.close()


def _arrow_table_app() -> None:
    import datetime as dt

    import polars as pl

    from dashboard import components

    def no_pandas(*a, **k):
        raise AssertionError("st.dataframe converted the table through pandas")

    pl.DataFrame.to_pandas = no_pandas
    components.table(pl.DataFrame({"Organisatie": ["Gemeente Aadorp", "Gemeente Bedum"], "Opkomst": [0.78, None],
                                   "Datum": [dt.date(2022, 3, 15), None]}), "opkomst", key="t", lang="nl")


def test_tables_go_to_the_browser_as_arrow() -> None:
    real = pl.DataFrame.to_pandas
    try:
        at = AppTest.from_function(_arrow_table_app, default_timeout=30).run()
    finally:
        pl.DataFrame.to_pandas = real
    assert not at.exception, [e.value for e in at.exception]
    shown = at.dataframe[0].value
    assert list(shown.columns) == ["Organisatie", "Opkomst", "Datum"]
    assert shown["Organisatie"].tolist() == ["Gemeente Aadorp", "Gemeente Bedum"]
    assert shown["Opkomst"].iloc[0] == 0.78
    assert "DD-MM-YYYY" in str(at.dataframe[0].proto)  # the Dutch date format still applies


def test_table_height_shows_short_tables_whole_and_boxes_long_ones() -> None:
    from dashboard.components import FULL_TABLE_ROWS, SCROLL_ROWS, table_height

    assert table_height(0) == table_height(FULL_TABLE_ROWS) == "content"
    box = table_height(FULL_TABLE_ROWS + 1)
    assert isinstance(box, int) and box == (SCROLL_ROWS + 1) * 35 + 3  # header + SCROLL_ROWS rows of 35 px, frame
    assert table_height(FULL_TABLE_ROWS + 1, row_height=100) == 35 + 8 * 100 + 3  # eight wrapped rows of 100 px
    assert table_height(FULL_TABLE_ROWS + 1, row_height=50) == box  # a box never shorter than 16 one-line rows


def test_wrapped_gives_long_texts_fixed_widths_and_rows_tall_enough() -> None:
    """Registers of titles fit beside the menu: long text columns get a width and rows as many lines as needed."""
    short = pl.DataFrame({"ID": ["ER-1", "ER-2"], "Resultaat": ["Werkboek", "Monitor"]})
    config, row_height = components.wrapped(short, {"ID": 70, "Resultaat": 200, "Toelichting": 150})
    assert row_height is None  # everything fits on one line: the grid keeps its one-line rows
    assert set(config) == {"ID", "Resultaat"}  # a column the frame lacks is left out
    assert config["Resultaat"]["width"] == 200

    # 200 px holds (200 - 17) / 6.5 = 28 characters a line: 90 characters take four lines
    four = pl.DataFrame({"Resultaat": ["x" * 90, "kort", None]})
    config, row_height = components.wrapped(four, {"Resultaat": 200}, helps={"Resultaat": "uitleg"})
    assert row_height == 10 + 4 * 18 and row_height > 64  # Streamlit wraps only in rows taller than 64 px
    assert config["Resultaat"]["help"] == "uitleg"

    # a very long text is capped at MAX_LINES (clicking the cell shows it whole); two lines still wrap (> 64 px)
    assert components.wrapped(pl.DataFrame({"R": ["x" * 1000]}), {"R": 200})[1] == 10 + components.MAX_LINES * 18
    assert components.wrapped(pl.DataFrame({"R": ["x" * 40]}), {"R": 200})[1] == 65
    # wrapped at spaces, as the grid does: six words of 14 characters take a 28-character line each (89
    # characters would fill four lines), so five lines, the cap
    words = " ".join(["abcdefghijklmn"] * 6)
    assert len(words) == 89 and components.wrapped(pl.DataFrame({"R": [words]}), {"R": 200})[1] == 10 + 5 * 18
    assert components.wrapped(pl.DataFrame({"R": [words]}), {"R": 200}, max_lines=8)[1] == 10 + 6 * 18
    assert components.wrapped(pl.DataFrame({"R": [None, ""]}, schema={"R": pl.String}), {"R": 200})[1] is None


def test_side_by_side_fits_up_to_four_deals_and_pins_the_rows_for_more() -> None:
    """Vergelijking's tables with the deals side by side: the deals share what the first column leaves of 818 px."""
    two = pl.DataFrame({"Indicator": ["Kernteamoverleggen gehouden"], "CDAA": ["5 · doel 6 · ! risico"],
                        "CDBB": ["6 · doel 6 · ✓ op koers"]})
    config, row_height = components.side_by_side(two)
    assert {name: c["width"] for name, c in config.items()} == {"Indicator": 200, "CDAA": 309, "CDBB": 309}
    assert row_height is None  # every text fits on one line at these widths
    four = pl.DataFrame({"Indicator": ["x"], **{f"D{i}": ["y"] for i in range(4)}})
    assert {c["width"] for c in list(components.side_by_side(four)[0].values())[1:]} == {154}
    five = pl.DataFrame({"Indicator": ["x"], **{f"D{i}": ["y"] for i in range(5)}})
    config, row_height = components.side_by_side(five)  # 200 + 5 x 150 > 818: one line a cell, scrolling sideways
    assert row_height is None and list(config) == ["Indicator"] and config["Indicator"]["pinned"] is True
