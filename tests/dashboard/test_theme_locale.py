"""Chart number/date locale follows the language switch: nl-NL from the theme, en-US on English pages."""

from __future__ import annotations

import json
from pathlib import Path

import altair as alt
import polars as pl
from streamlit.testing.v1 import AppTest

from dashboard import theme
from tests.pages.conftest import APP, ROOT, app_env, page_db  # noqa: F401  (fixtures)


def _spec() -> dict:
    return alt.Chart(pl.DataFrame({"euro": [12500.0]})).mark_bar().encode(
        x=alt.X("euro:Q", axis=alt.Axis(format=theme.FMT_EURO))).to_dict()


def test_dutch_keeps_the_theme_locale() -> None:
    spec = _spec()
    assert theme.localise_spec(spec, "nl") is spec
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert spec["config"]["locale"]["number"]["thousands"] == "."
    assert spec["usermeta"]["embedOptions"]["timeFormatLocale"]["months"][9] == "oktober"


def test_english_gets_en_us_numbers_and_month_names_without_touching_the_cached_spec() -> None:
    spec = _spec()
    before = json.dumps(spec, sort_keys=True)
    en = theme.localise_spec(spec, "en")
    assert en["config"]["locale"]["number"] == {"decimal": ".", "thousands": ",", "grouping": [3],
                                                 "currency": ["€ ", ""], "minus": "-"}
    assert en["config"]["locale"]["time"]["months"][9] == "October"
    assert en["usermeta"]["embedOptions"]["formatLocale"]["thousands"] == ","
    assert en["usermeta"]["embedOptions"]["renderer"] == "svg"  # the theme's other embed options stay
    assert en["config"]["font"] == spec["config"]["font"]
    assert json.dumps(spec, sort_keys=True) == before


def _chart_locales(at: AppTest) -> list[str]:
    def walk(node):
        for child in getattr(node, "children", {}).values():
            yield child
            yield from walk(child)

    specs = [json.loads(e.proto.spec) for e in walk(at.main) if getattr(e, "type", "") == "vega_lite_chart"]
    return [s["config"]["locale"]["number"]["decimal"] for s in specs]


def test_an_english_page_draws_its_charts_with_english_number_format(app_env: Path) -> None:  # noqa: F811
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update({"deal": "CDTS", "taal": "en"})
    at.run()
    at.switch_page(str(ROOT / "pages/bijeenkomsten.py")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert _chart_locales(at) and set(_chart_locales(at)) == {"."}


def test_legend_entries_have_room_between_them_and_long_labels_are_not_cut() -> None:
    legend = _spec()["config"]["legend"]
    assert (legend["columnPadding"], legend["labelLimit"]) == (24, 260)  # "maatschappelijke organisatie" fits
