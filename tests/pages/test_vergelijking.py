"""AppTest of the Vergelijking page on the two-deal fixture: deal choice, year, calendar/deal-year switch, benchmark."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboard.test_compare import build_compare_db
from tests.pages.conftest import APP, ROOT, chart_findings

PAGE = str(ROOT / "pages" / "vergelijking.py")
KERN = "Kernteamoverleggen gehouden"
YEAR_ROWS = ("Dealjaar", "Kalenderjaar", "Deal year", "Calendar year")


def heat(at: AppTest, first: str = "Indicator"):
    """The deals-side-by-side table, indexed by its first column: a row saying which year each deal's column
    describes, then one row per indicator; a column per deal."""
    for d in at.dataframe:
        v = d.value
        if list(v.columns)[0] == first and v.iloc[0, 0] in YEAR_ROWS:
            return v.set_index(first)
    raise AssertionError("no table with the deals side by side")


@pytest.fixture(scope="module")
def compare_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_compare_db(tmp_path_factory.mktemp("cmp_pages"))


@pytest.fixture
def cmp_env(compare_db: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("STUURHUT_DB", str(compare_db))
    monkeypatch.setenv("STUURHUT_ACCOUNTS", str(tmp_path / "accounts.json"))
    return compare_db


def open_page() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    at.switch_page(PAGE).run()
    ok(at)
    return at


def ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def plain(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def table_with(at: AppTest, column: str):
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert found, f"no table with column {column!r}"
    return found[0]


def captions(at: AppTest) -> list[str]:
    return [plain(c.value) for c in at.caption] + chart_findings(at)  # what the page says in words


def test_default_view_compares_all_deals_in_the_latest_shared_calendar_year(cmp_env: Path) -> None:
    at = open_page()
    assert at.title[0].value == "Vergelijking van City Deals"
    assert at.multiselect(key="cmp_deals").value == []  # nothing picked = every deal
    assert at.segmented_control(key="cmp_mode").value == "calendar"
    assert at.selectbox(key="cmp_year").value == 2022
    assert at.selectbox(key="cmp_year").options == ["2020", "2021", "2022"]
    h = heat(at)
    assert list(h.columns) == ["CDAA", "CDBB"]  # the deals side by side
    assert list(h.loc["Dealjaar"]) == ["3", "2"]
    assert list(h.loc[KERN]) == ["5 · doel 6 · ! risico", "6 · doel 6 · ✓ op koers"]
    deals = table_with(at, "Peildatum")
    assert list(deals["Dealjaar"]) == [3, 2]
    subheaders = [s.value for s in at.subheader]
    assert subheaders[0] == "CDBB het vaakst op koers: 29% (2 van 7 indicatoren met gegevens), CDAA het minst vaak: 0% (0 van 7)"
    assert subheaders[1] == "CDAA ligt op 1 van 7 indicatoren boven de mediaan van de andere deals, op 1 eronder"
    bench = table_with(at, "Mediaan andere deals")
    row = bench[bench["Indicator"] == KERN].iloc[0]
    assert (row["Waarde"], row["Mediaan andere deals"], row["Verschil met de mediaan"]) == ("5", "6", "1 lager")
    assert any(c.startswith("Bron: 2 bestanden: CDAA.xlsx, CDBB.xlsx · geleverd ") for c in captions(at))


def test_deal_year_switch_aligns_year_2(cmp_env: Path) -> None:
    at = open_page()
    at.segmented_control(key="cmp_mode").set_value("deal").run()
    ok(at)
    assert at.selectbox(key="cmp_year").value == 2  # the latest deal year both deals have reached
    h = heat(at)
    assert list(h.loc["Kalenderjaar"]) == ["2021", "2022"]  # CDAA began in 2020, CDBB in 2021
    assert list(h.loc[KERN]) == ["4 · doel 6 · ✗ uit koers", "6 · doel 6 · ✓ op koers"]
    at.selectbox(key="cmp_year").set_value(3).run()
    ok(at)
    assert list(heat(at).columns) == ["CDAA"]
    assert "Geen cijfers voor Dealjaar 3: CDBB (nog niet begonnen of al afgelopen)." in captions(at)


def test_choosing_deals_and_the_benchmark_deal(cmp_env: Path) -> None:
    at = open_page()
    at.selectbox(key="cmp_year").set_value(2021).run()
    at.selectbox(key="cmp_focus").set_value("CDBB").run()
    ok(at)
    bench = table_with(at, "Mediaan andere deals")
    row = bench[bench["Indicator"] == KERN].iloc[0]
    assert (row["Waarde"], row["Mediaan andere deals"], row["Verschil met de mediaan"]) == ("3", "4", "1 lager")
    at.multiselect(key="cmp_deals").select("CDBB").run()
    ok(at)
    assert list(heat(at).columns) == ["CDBB"]
    bench = table_with(at, "Mediaan andere deals")
    assert set(bench["Verschil met de mediaan"]) == {"geen andere deal met een waarde"}
    assert at.selectbox(key="cmp_year").options == ["2021", "2022"]


def test_self_assessment_section(cmp_env: Path) -> None:
    at = open_page()
    at.selectbox(key="cmp_focus").set_value("CDAA").run()
    ok(at)
    table = table_with(at, "Thema").set_index("Thema")  # the deals side by side, one theme per row
    assert list(table.columns) == ["CDAA", "CDBB"]
    assert list(table.loc["Laatste meting"]) == ["2022-06", "2022-05"]
    assert list(table.loc["Gedeelde ambitie"]) == ["4 (+1 sinds 2021-06)", "2"]
    assert ("CDAA scoort zichzelf op 1 van 2 thema's hoger dan de mediaan van de andere deals, op 1 lager"
            in captions(at))
    assert any(c.startswith("Bron: 2 bestanden: CDAA.xlsx, CDBB.xlsx · tabblad Zelfevaluatie") for c in captions(at))


def test_trend_follows_the_indicator_and_mode(cmp_env: Path) -> None:
    at = open_page()
    at.segmented_control(key="cmp_mode").set_value("deal").run()
    at.selectbox(key="cmp_trend").set_value("kernteam_meetings").run()
    ok(at)
    assert "Kernteamoverleggen gehouden: hoogste waarde 6 (CDAA, dealjaar 1)" in captions(at)


def test_english(cmp_env: Path) -> None:
    at = open_page()
    at.segmented_control(key="f_lang").set_value("en").run()
    ok(at)
    assert at.title[0].value == "Comparison of City Deals"
    h = heat(at)
    assert list(h.loc["Core team meetings held"]) == ["5 · target 6 · ! at risk", "6 · target 6 · ✓ on target"]


def test_without_self_assessment_the_page_says_which_sheet_to_deliver(app_env: Path) -> None:
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    at.switch_page(PAGE).run()
    ok(at)
    infos = [plain(i.value) for i in at.info]
    assert "Nog geen gegevens over de zelfevaluatie — lever het tabblad Zelfevaluatie aan." in infos
