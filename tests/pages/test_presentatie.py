"""The Presentatie page in AppTest: choose deal and Peildatum, start, navigate forward and back, stop; slide content."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.conftest import APP, ROOT

PAGE = str(ROOT / "pages" / "presentatie.py")
TIMEOUT = 60
# CDTS as of 31 October 2022 (tests/pages/conftest.py): Deal, Bijeenkomsten and Knelpunten only.
TITLES = [
    "Testdeal Openbare Ruimte",
    "0 van 5 sturingsindicatoren op koers",
    "Overige indicatoren 2022: 1 uit koers",
    "1 indicator veranderd sinds de vorige levering",
    "Atelier en bijeenkomsten 2022: achter op directeurenoverleg en werksessies atelier",
    "2 open knelpunten, 1 met ernst hoog",
    "5 punten voor besluit en aandacht",
    "Tot 30 april 2023: 0 mijlpalen en 1 bijeenkomst gepland",
]


def open_page(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    if query:
        at.query_params.update(query)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def title(at: AppTest) -> str:
    """The first heading as shown: the page escapes Markdown in text that comes from spreadsheets."""
    return re.sub(r"\\(.)", r"\1", at.title[0].value)


def counter(at: AppTest) -> str:
    found = [m.value for m in at.markdown if m.value.startswith("**") and " / " in m.value]
    assert len(found) == 1, [m.value for m in at.markdown]
    return found[0].strip("*")


def walk(node):
    for child in getattr(node, "children", {}).values():
        yield child
        yield from walk(child)


def charts(at: AppTest) -> list:
    return [e for e in walk(at.main) if getattr(e, "type", "") == "vega_lite_chart"]


def start(at: AppTest) -> AppTest:
    at.button(key="pres_start").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_setup_defaults_to_the_global_filters(app_env: Path) -> None:
    at = open_page({"deal": "CDTS"})
    assert title(at) == "Presentatie — Testdeal Openbare Ruimte"
    assert at.selectbox(key="pres_deal").value == "CDTS"
    assert at.selectbox(key="pres_as_of").value == dt.date(2022, 10, 31)
    assert "8 dia's, peildatum 31 oktober 2022." in [c.value for c in at.caption]
    assert [b.label for b in at.get("download_button")] == ["PowerPoint", "PDF"]
    assert "slide" not in at.query_params


def test_start_then_forward_and_back(app_env: Path) -> None:
    at = start(open_page({"deal": "CDTS"}))
    assert at.query_params["slide"] == ["1"] or at.query_params["slide"] == "1"
    assert counter(at) == "1 / 8"
    assert title(at) == "Testdeal Openbare Ruimte"
    assert at.button(key="pres_prev").disabled and at.button(key="pres_first").disabled
    seen = [title(at)]
    for n in range(2, 9):
        at.button(key="pres_next").click().run()
        assert counter(at) == f"{n} / 8"
        seen.append(title(at))
    assert seen == TITLES
    assert at.button(key="pres_next").disabled
    at.button(key="pres_prev").click().run()
    at.button(key="pres_prev").click().run()
    assert counter(at) == "6 / 8"
    assert title(at) == "2 open knelpunten, 1 met ernst hoog"
    at.button(key="pres_first").click().run()
    assert counter(at) == "1 / 8"
    at.button(key="pres_last").click().run()
    assert counter(at) == "8 / 8"


def test_contents_lists_every_slide_and_starts_at_the_one_chosen(app_env: Path) -> None:
    """Before starting, the slides' titles (their findings) are listed in order: the meeting's summary on one screen;
    a title starts the presentation at that slide."""
    at = open_page({"deal": "CDTS"})
    listed = [re.sub(r"\\(.)", r"\1", at.button(key=f"pres_goto_{n}").label) for n in range(1, 9)]
    assert listed == [f"{n}. {title}" for n, title in enumerate(TITLES, start=1)]
    at.button(key="pres_goto_6").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert counter(at) == "6 / 8"
    assert title(at) == TITLES[5]


def test_keyboard_shortcuts_are_on_the_buttons(app_env: Path) -> None:
    at = open_page({"deal": "CDTS", "slide": "2"})
    shortcuts = {k: at.button(key=k).proto.shortcut for k in
                 ("pres_prev", "pres_next", "pres_first", "pres_last", "pres_pgup", "pres_pgdn")}
    assert shortcuts == {"pres_prev": "left", "pres_next": "right", "pres_first": "home", "pres_last": "end",
                         "pres_pgup": "pageup", "pres_pgdn": "pagedown"}
    at.button(key="pres_pgdn").click().run()
    assert counter(at) == "3 / 8"


def test_slide_figures_equal_the_indicators(app_env: Path) -> None:
    at = open_page({"deal": "CDTS", "slide": "2"})  # the URL keeps the place: a reload lands here
    assert counter(at) == "2 / 8"
    tiles = {m.label: (m.value, m.delta) for m in at.metric}
    assert tiles["Kernteamoverleggen gehouden"] == ("4 van 6", "+1 sinds vorige levering")
    assert tiles["Directeurenoverleggen gehouden"] == ("0 van 2", "gelijk sinds vorige levering")
    assert ":orange-badge[! risico]" in [m.value for m in at.markdown]  # status in words and icon
    notes = [t.value for t in at.text]
    assert len(notes) == 1 and notes[0].startswith("Waarden van het lopende jaar tot de peildatum")
    assert "Bron: CDTS_2022-10-31.xlsx" in notes[0]


def test_chart_and_table_slides(app_env: Path) -> None:
    at = open_page({"deal": "CDTS", "slide": "5"})
    assert title(at).startswith("Atelier en bijeenkomsten 2022")
    found = charts(at)
    assert len(found) == 1
    at = open_page({"deal": "CDTS", "slide": "6"})
    table = at.table[0].value
    assert list(table.columns) == ["Sinds", "Onderdeel", "Knelpunt", "Ernst", "Status", "Actie"]
    assert list(table["Knelpunt"]) == ["Te weinig financieel strategen", "Eigenaar na 2023 onduidelijk"]


def test_stop_returns_to_the_setup(app_env: Path) -> None:
    at = open_page({"deal": "CDTS", "slide": "4"})
    at.button(key="pres_stop").click().run()
    assert "slide" not in at.query_params
    assert title(at) == "Presentatie — Testdeal Openbare Ruimte"


def test_choosing_another_deal_and_date_before_starting(app_env: Path) -> None:
    at = open_page({"deal": "CDTS"})
    at.selectbox(key="pres_as_of").set_value(dt.date(2022, 6, 30)).run()
    assert "8 dia's, peildatum 30 juni 2022." in [c.value for c in at.caption]
    start(at)
    assert at.query_params["peildatum"] in ("2022-06-30", ["2022-06-30"])
    at.button(key="pres_next").click().run()
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Kernteamoverleggen gehouden"] == "3 van 6"  # the June delivery
    other = open_page({"deal": "CDTS"})
    other.selectbox(key="pres_deal").set_value("CDXX").run()
    start(other)
    assert title(other) == "Andere deal (fictief)"
    assert other.query_params["deal"] in ("CDXX", ["CDXX"])


def test_a_slide_number_past_the_end_shows_the_last(app_env: Path) -> None:
    at = open_page({"deal": "CDTS", "slide": "99"})
    assert counter(at) == "8 / 8"


@pytest.fixture(scope="module")
def full_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.dashboard.conftest import build_full_db

    return build_full_db(tmp_path_factory.mktemp("presentatie_full"))


def test_every_slide_of_a_full_deck_renders(full_db: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Deal TST has every sheet: team, end-result, budget (waterfall), meeting and survey (score) charts."""
    monkeypatch.setenv("STUURHUT_DB", str(full_db))
    monkeypatch.setenv("STUURHUT_ACCOUNTS", str(tmp_path / "accounts.json"))
    at = open_page({"deal": "TST", "slide": "1"})
    found = 0
    for n in range(1, 13):
        assert counter(at) == f"{n} / 12"
        assert not at.exception and not at.error
        found += len(charts(at))
        if n < 12:
            at.button(key="pres_next").click().run()
    assert found == 5
    assert title(at) == "Tot 30 december 2022: 0 mijlpalen en 1 bijeenkomst gepland"
