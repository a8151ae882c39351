"""AppTest over every page of the registry and the global filters, on a warehouse built by the real loader."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.format import fmt_date
from dashboard.navigation import PAGES
from etl.schema import create_schema
from tests.pages.conftest import APP, ROOT

TIMEOUT = 60


def run(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    if query:
        at.query_params.update(query)
    return at.run()


def metric(at: AppTest, label: str):
    found = [m for m in at.metric if m.label == label]
    assert found, f"no tile {label!r} among {[m.label for m in at.metric]}"
    return found[0]


def table_with(at: AppTest, column: str):
    """The first table on the page that has this column header."""
    found = [d.value for d in [*at.dataframe, *at.table] if column in d.value.columns]
    assert found, f"no table with column {column!r}"
    return found[0]


def plain(markdown: str) -> str:
    """Markdown as shown: backslash escapes removed (the app escapes text from spreadsheets)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def no_errors(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


@pytest.mark.parametrize("spec", PAGES, ids=[p.key for p in PAGES])
def test_every_registered_page_renders(app_env: Path, spec) -> None:
    at = run()
    at.switch_page(str(ROOT / spec.path)).run()
    no_errors(at)
    assert at.title[0].value.startswith(spec.title_nl)


def test_overview_shows_the_figures_of_the_newest_delivery(app_env: Path) -> None:
    at = run({"deal": "CDTS"})
    no_errors(at)
    assert at.title[0].value == "Overzicht — Testdeal Openbare Ruimte"
    tile = metric(at, "Kernteamoverleggen gehouden")
    assert tile.value == "4 van 6"
    assert (tile.delta, tile.proto.delta_description) == ("+1", "sinds vorige levering")
    assert metric(at, "Directeurenoverleggen gehouden").delta == "ongewijzigd"  # + "sinds vorige levering", fits a tile
    markdown = [plain(m.value) for m in at.markdown]
    assert "- Kernteamoverleggen gehouden: van 3 naar 4 (+1)" in markdown
    assert markdown[:2] == ["**Kernteamoverleggen gehouden**", ":orange-badge[! risico]"]  # at risk: icon + word
    assert plain(at.caption[1].value) == "Doel: 6 · verwacht op de peildatum: 5"
    assert plain(at.markdown[0].help) == f"Bron: CDTS_2022-10-31.xlsx · tabblad Bijeenkomsten · geleverd {fmt_date(dt.date.today())}"
    assert metric(at, "Ernst hoog").value == "1"
    assert metric(at, "Ernst middel").value == "1"
    assert metric(at, "Ernst laag").value == "0"  # the solved one does not count
    bottlenecks = table_with(at, "Knelpunt")
    assert list(bottlenecks["Knelpunt"]) == ["Te weinig financieel strategen", "Eigenaar na 2023 onduidelijk"]
    assert metric(at, "Peildatum").value == "31 oktober 2022"
    assert any(m.startswith("Nog nooit aangeleverd: Onderdelen, Partners, Begroting") for m in markdown)


def test_filters_change_the_figures_and_the_url(app_env: Path) -> None:
    at = run({"deal": "CDTS"})
    assert metric(at, "Kernteamoverleggen gehouden").value == "4 van 6"

    at.selectbox(key="f_as_of").set_value(dt.date(2022, 6, 30)).run()
    no_errors(at)
    tile = metric(at, "Kernteamoverleggen gehouden")
    assert tile.value == "3 van 6"
    assert (tile.delta, tile.proto.delta_description) == ("", "")  # nothing delivered before June
    assert at.query_params["peildatum"] == "2022-06-30"
    assert metric(at, "Ernst hoog").value == "1" and metric(at, "Ernst middel").value == "0"

    at.selectbox(key="f_year").set_value(2023).run()
    assert plain(at.info[0].value).startswith("Jaar 2023 was op de peildatum (30 juni 2022) nog niet begonnen")
    assert not [m for m in at.metric if m.label == "Kernteamoverleggen gehouden"]
    assert at.query_params["jaar"] == "2023"

    at.selectbox(key="f_deal").set_value("CDXX").run()
    no_errors(at)
    assert at.title[0].value == "Overzicht — Andere deal (fictief)"
    assert metric(at, "Kernteamoverleggen gehouden").value == "1 van 6"
    # a new deal starts at its own newest Peildatum and that year
    assert at.query_params["peildatum"] == "2022-09-30" and at.query_params["jaar"] == "2022"


def test_a_link_reproduces_the_view(app_env: Path) -> None:
    at = run({"deal": "CDTS", "jaar": "2022", "peildatum": "2022-06-30", "taal": "nl"})
    no_errors(at)
    assert at.selectbox(key="f_as_of").value == dt.date(2022, 6, 30)
    assert metric(at, "Kernteamoverleggen gehouden").value == "3 van 6"


def test_nonsense_in_the_url_falls_back_to_defaults(app_env: Path) -> None:
    at = run({"deal": "GEEN", "jaar": "twintig", "peildatum": "gisteren"})
    no_errors(at)
    assert at.selectbox(key="f_deal").value == "CDTS"  # the deal with the most deliveries
    assert metric(at, "Kernteamoverleggen gehouden").value == "4 van 6"


def test_language_switch_to_english(app_env: Path) -> None:
    at = run({"deal": "CDTS", "taal": "en"})
    no_errors(at)
    assert at.title[0].value == "Overview — Testdeal Openbare Ruimte"
    tile = metric(at, "Core team meetings held")
    assert tile.value == "4 of 6"
    assert (tile.delta, tile.proto.delta_description) == ("+1", "since previous delivery")
    at.segmented_control(key="f_lang").set_value("nl").run()
    assert at.title[0].value == "Overzicht — Testdeal Openbare Ruimte"


def test_gegevens_lists_deliveries_with_lineage(app_env: Path) -> None:
    at = run({"deal": "CDTS"})
    at.switch_page(str(ROOT / "pages/gegevens.py")).run()
    no_errors(at)
    sheets, history = table_with(at, "Stand"), table_with(at, "Zending")
    current = sheets.set_index("Tabblad")
    assert current.loc["Bijeenkomsten", "Bestand"] == "CDTS_2022-10-31.xlsx"
    assert current.loc["Bijeenkomsten", "Rijen"] == 5
    assert current.loc["Onderdelen", "Stand"] == "ontbreekt"
    assert current.loc["Bijeenkomsten", "Stand"] == "actueel"  # judged against the Peildatum, not today
    assert len(history) == 6  # two deliveries of three sheets, both kept
    assert list(history["Actueel"]).count(True) == 3
    # what counts first, in view beside the menu; the lineage of each delivery to the right of it
    assert list(history.columns)[:7] == ["Levering", "Tabblad", "Peildatum", "Rijen", "Waarschuwingen", "Actueel",
                                         "Teruggedraaid op"]
    assert list(history.columns)[7:] == ["Bestand", "Tabblad in bestand", "Geladen op", "Zending"]
    assert [b.label for b in at.download_button][-1] == "Download het sjabloon (Excel)"


def test_start_screen_without_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("STUURHUT_DB", str(tmp_path / "nergens.duckdb"))
    monkeypatch.setenv("STUURHUT_ACCOUNTS", str(tmp_path / "accounts.json"))
    at = run()
    no_errors(at)
    assert at.title[0].value == "Welkom bij Stuurhut"
    assert f"{tmp_path / 'nergens.duckdb'} bestaat niet" in at.info[0].value
    assert "stuurhut demo" in at.code[0].value


def test_start_screen_with_empty_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    db = tmp_path / "leeg.duckdb"
    with duckdb.connect(str(db)) as con:
        create_schema(con)  # tables but no data and no warehouse models: still no traceback
    monkeypatch.setenv("STUURHUT_DB", str(db))
    monkeypatch.setenv("STUURHUT_ACCOUNTS", str(tmp_path / "accounts.json"))
    at = run()
    no_errors(at)
    assert at.title[0].value == "Welkom bij Stuurhut"
    assert "bevat nog geen gegevens" in at.info[0].value
