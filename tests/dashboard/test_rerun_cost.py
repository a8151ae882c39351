"""What a warm rerun of a page may skip: frames derived once per data version, values kept per frame object or per
run, page objects copied, the table behind a chart drawn only while its expander is open."""

from __future__ import annotations

import datetime as dt
import gc
import json
import shutil
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import memo
from dashboard.db import Warehouse
from dashboard.queries import survey, teams
from tests.dashboard.conftest import D, load

# --- memo.derived / frame_digest: kept per frame object while it lives ---------------------------------------


def test_derived_is_computed_once_per_object_and_dropped_with_it() -> None:
    calls = []
    df = pl.DataFrame({"a": [1, 2]})
    assert memo.derived(df, "x", lambda: calls.append(1) or "eerste") == "eerste"
    assert memo.derived(df, "x", lambda: calls.append(1) or "tweede") == "eerste"  # the same object: kept
    assert memo.derived(df, "y", lambda: "ander vak") == "ander vak"  # another slot is another value
    equal = pl.DataFrame({"a": [1, 2]})  # equal rows, another object: computed again
    assert memo.derived(equal, "x", lambda: calls.append(1) or "derde") == "derde"
    assert len(calls) == 2
    keys = {id(df), id(equal)}
    assert keys <= set(memo._DERIVED)
    del df, equal
    gc.collect()
    assert not keys & set(memo._DERIVED)  # nothing outlives its frame: the cache is bounded by the live frames


def test_frame_digest_is_reused_for_the_same_frame_and_tells_other_rows_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    df = pl.DataFrame({"deal": ["A", "B"], "n": [1, 2]})
    first = memo.frame_digest(df)
    monkeypatch.setattr(pl.DataFrame, "hash_rows", lambda *a, **k: pytest.fail("hashed the same frame again"))
    assert memo.frame_digest(df) is first
    monkeypatch.undo()
    assert memo.frame_digest(pl.DataFrame({"deal": ["A", "B"], "n": [1, 3]})) != first
    assert memo.frame_digest(pl.DataFrame({"deal": ["A", "B"], "n": [1, 2]})) == first


# --- the page views: once per (arguments, data version), bounded with the query cache ------------------------


@pytest.fixture
def wh(full_db: Path, tmp_path: Path):
    db = tmp_path / "copy.duckdb"
    shutil.copy(full_db, db)
    w = Warehouse(db)
    yield w
    w.close()


def test_teams_view_is_derived_once_per_data_version(wh: Warehouse, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = teams.overview_table
    monkeypatch.setattr(teams, "overview_table", lambda *a: calls.append(a[1:]) or real(*a))
    first = teams.view(wh, "TST", teams.ALL, 2022)
    assert teams.view(wh, "TST", teams.ALL, 2022) is first and len(calls) == 1  # a rerun: nothing derived again
    assert list(first.overview["part"]) == ["OT1", "OT2"]
    assert list(first.overview_table.columns)[:2] == ["Team", "Naam"]
    english = teams.view(wh, "TST", teams.ALL, 2022, lang="en")
    assert english is not first and list(english.overview_table.columns)[:2] == ["Team", "Name"]
    assert teams.view(wh, "TST", teams.ALL, 2021) is not first and calls[-1] == (2021, "nl")
    one = teams.view(wh, "TST", "OT1", 2022)
    assert list(one.overview["part"]) == ["OT1"] and one.overview_table is None and one.meetings_table is None
    earlier = teams.view(wh, "TST", teams.ALL, 2022, as_of=D(2021, 12, 31))
    assert earlier is not first
    load(wh.path, tmp_path / "extra.xlsx", {"Deal": [["Code", "Naam", "Peildatum"], ["TST", "Testdeal", D(2022, 7, 31)]]})
    assert teams.view(wh, "TST", teams.ALL, 2022) is not first  # a new delivery: derived again


def test_survey_view_follows_wave_grouping_language_and_permission(wh: Warehouse) -> None:
    options, first = survey.wave_choice(wh, "TST", 2022)
    assert options == ["2022-05", "2021-11"] and first == 0
    assert survey.wave_choice(wh, "TST", 2021) == (options, 1)  # the newest wave of 2021
    v = survey.view(wh, "TST", 2022, "2022-05", "organisatiesoort")
    assert survey.view(wh, "TST", 2022, "2022-05", "organisatiesoort") is v
    assert v.text_table is None  # not asked for: no permission
    assert v.means["wave"].to_list() and set(v.means["wave"]) <= {"2021-11", "2022-05"}
    older = survey.view(wh, "TST", 2022, "2021-11", "organisatiesoort")
    assert set(older.means["wave"]) == {"2021-11"}  # waves after the chosen one are left out
    by_part = survey.view(wh, "TST", 2022, "2022-05", "onderdeel")
    assert by_part is not v and set(by_part.groups["group_value"]) <= {"OT1", "OT2", None}
    english = survey.view(wh, "TST", 2022, "2022-05", "organisatiesoort", lang="en")
    assert "Mean (1-5)" in english.means_table.columns and "Gemiddelde (1-5)" in v.means_table.columns


def test_views_share_the_bounded_query_cache(full_db: Path) -> None:
    w = Warehouse(full_db, cache_entries=4)
    for year in (2021, 2022, 2023):
        for lang in ("nl", "en"):
            teams.view(w, "TST", teams.ALL, year, lang=lang)
    assert len(w._cache) == 4
    w.close()


def test_view_without_a_memo_is_computed_each_time(full_db: Path) -> None:
    class Bare:  # a warehouse stand-in with only .sql (as some callers pass)
        def __init__(self, inner: Warehouse) -> None:
            self.sql = inner.sql

    w = Warehouse(full_db)
    bare = Bare(w)
    assert teams.view(bare, "TST", teams.ALL, 2022) is not teams.view(bare, "TST", teams.ALL, 2022)
    w.close()


# --- per run: answered once in a run, again in the next --------------------------------------------------------


def _per_run_app() -> None:
    import streamlit as st

    from dashboard import memo

    st.session_state["runs"] = st.session_state.get("runs", 0) + 1
    seen = st.session_state.setdefault("computed", [])
    first = memo.per_run("vraag", lambda: seen.append(st.session_state["runs"]) or st.session_state["runs"])
    second = memo.per_run("vraag", lambda: seen.append(-1) or -1)
    st.write(f"{first} {second}")


def test_per_run_answers_once_per_run() -> None:
    at = AppTest.from_function(_per_run_app, default_timeout=30).run()
    assert at.markdown[0].value == "1 1"
    at.run()
    assert at.markdown[0].value == "2 2"
    assert at.session_state["computed"] == [1, 2]
    assert memo.per_run("buiten", lambda: "elke keer") == "elke keer"  # outside a run: no caching


# --- st.Page copies ------------------------------------------------------------------------------------------


def _navigation_app() -> None:
    import streamlit as st

    from dashboard import navigation

    before = len(navigation._PAGE_TEMPLATES)
    page, spec = navigation.build("beheer", "nl")
    again, _ = navigation.build("beheer", "en")
    st.session_state["result"] = (before, len(navigation._PAGE_TEMPLATES), spec.key, page.title, again.title,
                                  page is again)


def test_navigation_pages_are_fresh_copies_of_bounded_templates() -> None:
    from dashboard import navigation

    at = AppTest.from_function(_navigation_app, default_timeout=30).run()
    assert not at.exception, [e.value for e in at.exception]
    before, after, key, title_nl, title_en, same = at.session_state["result"]
    assert key == "overzicht" and title_nl == "Overzicht" and title_en == "Overview" and not same
    at.run()
    again = at.session_state["result"]
    assert again[1] == after <= 4 * len(navigation.PAGES)  # a rerun adds no templates
    assert again[3:5] == ("Overzicht", "Overview")


# --- the table behind a chart: drawn only while its expander is open ----------------------------------------------


def _chart_app() -> None:
    import altair as alt
    import polars as pl

    from dashboard import components

    data = pl.DataFrame({"Organisatie": ["Gemeente Aadorp", "Gemeente Bedum"], "Opkomst": [0.78, 0.5]})
    figure = alt.Chart(data).mark_bar().encode(x="Opkomst:Q", y="Organisatie:N").properties(description="2 staven")
    components.chart(figure, data, name="opkomst", key="opkomst", lang="nl")


def test_chart_data_is_drawn_when_its_expander_is_opened() -> None:
    at = AppTest.from_function(_chart_app, default_timeout=30).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.label for e in at.expander] == ["Gegevens achter deze grafiek"]
    assert len(at.get("vega_lite_chart")) == 1 and at.caption[0].value == "2 staven"
    assert not at.dataframe and not at.download_button  # closed: nothing of the table is sent
    assert at.session_state["opkomst_data"] is False
    at.session_state["opkomst_data"] = True  # what a click on the expander does
    at.run()
    assert list(at.dataframe[0].value["Organisatie"]) == ["Gemeente Aadorp", "Gemeente Bedum"]
    assert [b.label for b in at.download_button] == ["CSV (Excel)", "Excel"]
    at.run()  # it stays open on later reruns
    assert len(at.dataframe) == 1
    at.session_state["opkomst_data"] = False
    at.run()
    assert not at.dataframe


def _titled_chart_app() -> None:
    import altair as alt
    import polars as pl

    from dashboard import components

    data = pl.DataFrame({"Organisatie": ["Gemeente Aadorp"], "Opkomst": [0.78]})
    figure = alt.Chart(data).mark_bar().encode(x="Opkomst:Q", y="Organisatie:N").properties(
        title=alt.Title("Opkomst 78%", subtitle="per organisatie"), description="Opkomst 78%")
    components.chart(figure, data, name="opkomst", key="opkomst", lang="nl")


def test_a_finding_the_chart_shows_as_its_title_is_not_written_under_it_again() -> None:
    at = AppTest.from_function(_titled_chart_app, default_timeout=30).run()
    assert not at.exception, [e.value for e in at.exception]
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert (spec["title"]["text"], spec["description"]) == ("Opkomst 78%", "Opkomst 78%")  # shown, and its name
    assert [c.value for c in at.caption] == []


def test_as_of_dates_are_part_of_the_view_key(wh: Warehouse) -> None:
    now = teams.view(wh, "TST", teams.ALL, 2021)
    then = teams.view(wh, "TST", teams.ALL, 2021, as_of=dt.date(2021, 12, 31))
    assert now is not then
    assert then is teams.view(wh, "TST", teams.ALL, 2021, as_of=dt.date(2021, 12, 31))


# --- styled tables: worked out once, drawn the same ----------------------------------------------------------


def _marshalled(style) -> tuple:
    import pyarrow as pa
    from streamlit.elements.lib.pandas_styler_utils import marshall_styler
    from streamlit.proto.ArrowData_pb2 import ArrowData as Arrow

    proto = Arrow()
    marshall_styler(proto, style, "vast")
    shown = pa.ipc.open_stream(proto.styler.display_values).read_all().to_pylist()
    return proto.styler.uuid, proto.styler.styles, shown


def test_a_styler_is_worked_out_once_and_streamlit_draws_it_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    frame = pl.DataFrame({
        "Deal": ["CDAA", "CDBB", "CDCC"], "Status": ["✓ gereed", "! loopt", "✗ vertraagd"],
        "Voortgang": [100, 40, None], "Score": [3.5, None, 4.25], "Toelichting": ["", None, "Wacht op <b>teams</b>"],
    }).to_pandas()
    colour = {"✓ gereed": "color: green", "✗ vertraagd": "color: red"}

    def styled(style):
        return style.set_uuid("vast").map(lambda v: colour.get(v, ""), subset=["Status"])

    plain = _marshalled(styled(frame.style))
    once = styled(memo.styler(frame))
    assert _marshalled(once) == plain  # same styles, same display texts (3.500000, nan, ...), cell for cell
    assert "color: green" in plain[1] and plain[2][0]["Score"] == "3.500000"
    from pandas.io.formats.style import Styler

    monkeypatch.setattr(Styler, "_translate", lambda *a, **k: pytest.fail("styles worked out again"))
    monkeypatch.setattr(Styler, "_compute", lambda *a, **k: pytest.fail("styles computed again"))
    assert _marshalled(once) == plain  # a rerun: nothing of the Styler is worked out again
    assert type(once) is Styler  # Streamlit recognises a Styler by its exact class
