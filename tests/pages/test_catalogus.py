"""AppTest of the Catalogus eindresultaten page: search box, deal/part/status filters, export, empty state."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.conftest import APP, ROOT
from tests.pages.test_vergelijking import cmp_env, compare_db, ok, plain  # noqa: F401  (cmp_env and compare_db are fixtures)

PAGE = str(ROOT / "pages" / "catalogus.py")


def open_page() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    at.switch_page(PAGE).run()
    ok(at)
    return at


def shown(at: AppTest) -> list[tuple[str, str]]:
    df = at.dataframe[0].value
    return list(zip(df["Deal"], df["ID"], strict=True))


@pytest.mark.usefixtures("cmp_env")
def test_catalogue_lists_every_deal() -> None:
    at = open_page()
    assert at.title[0].value == "Catalogus eindresultaten"
    assert at.header[0].value == "3 van 3 eindresultaten"
    assert shown(at) == [("CDAA", "ER-1"), ("CDAA", "ER-2"), ("CDBB", "ER-1")]
    df = at.dataframe[0].value
    assert list(df["Status"]) == ["▶ loopt", "✓ gereed", "▶ loopt"]
    assert list(df["Voortgang"]) == [40, 100, 50]
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["CSV (Excel)", "Excel"]


@pytest.mark.usefixtures("cmp_env")
def test_search_box_is_case_and_accent_insensitive() -> None:
    at = open_page()
    at.text_input(key="cat_q").input("CAFE").run()
    ok(at)
    assert shown(at) == [("CDAA", "ER-2")]
    assert at.header[0].value == "1 van 3 eindresultaten"
    at.text_input(key="cat_q").input("kader").run()
    assert shown(at) == [("CDAA", "ER-1"), ("CDBB", "ER-1")]
    at.text_input(key="cat_q").input("bestaat niet").run()
    ok(at)
    assert [plain(i.value) for i in at.info] == ["Geen eindresultaten met deze zoekterm of keuze."]


@pytest.mark.usefixtures("cmp_env")
def test_filters_by_deal_part_and_status() -> None:
    at = open_page()
    at.multiselect(key="cat_status").select("gereed").run()
    ok(at)
    assert shown(at) == [("CDAA", "ER-2")]
    at.multiselect(key="cat_status").unselect("gereed").run()
    at.multiselect(key="cat_deals").select("CDBB").run()
    ok(at)
    assert shown(at) == [("CDBB", "ER-1")]
    assert at.multiselect(key="cat_parts").options == ["CDBB · W1 — Warmteteam"]
    at.multiselect(key="cat_parts").select("CDBB/W1").run()
    ok(at)
    assert shown(at) == [("CDBB", "ER-1")]
    # choosing the other deal drops the part of CDBB from the choice instead of failing
    at.multiselect(key="cat_deals").unselect("CDBB").select("CDAA").run()
    ok(at)
    assert at.multiselect(key="cat_parts").value == []
    assert shown(at) == [("CDAA", "ER-1"), ("CDAA", "ER-2")]


def test_without_end_results_the_page_says_which_sheet_to_deliver(app_env: Path) -> None:
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    at.switch_page(PAGE).run()
    ok(at)
    assert [plain(i.value) for i in at.info] == ["Nog geen gegevens over eindresultaten — lever het tabblad Eindresultaten aan."]
