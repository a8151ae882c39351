"""Accessible charts and theme: every chart builder names its finding, colours meet WCAG AA, the page script.

The slow test runs every page of the registry (and every slide of the presentation) on the demo data under
AppTest with each builder in dashboard/charts.py wrapped, so a builder a page really uses is checked with
real data; builders no page calls are checked directly below.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import altair as alt
import polars as pl
import pytest

from dashboard import a11y, charts, theme
from tests.pages.conftest import open_chart_data

WHITE, SIDEBAR = "#ffffff", "#f2f5f8"  # page and sidebar background (.streamlit/config.toml)


def contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio of two #rrggbb colours."""
    def lum(h: str) -> float:
        c = [int(h.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def builders() -> list[str]:
    """Every public function of dashboard/charts.py that returns an Altair chart (by its return annotation)."""
    return sorted(name for name, f in inspect.getmembers(charts, inspect.isfunction)
                  if f.__module__ == charts.__name__ and not name.startswith("_")
                  and "alt." in str(inspect.signature(f).return_annotation))


def description(chart: alt.TopLevelMixin) -> str:
    return (chart.to_dict().get("description") or "").strip()


# --- colour and contrast -------------------------------------------------------------------------------

def test_contrast_helper_matches_known_ratios() -> None:
    assert round(contrast("#000000", WHITE), 1) == 21.0
    assert round(contrast("#76797c", WHITE), 2) == 4.38  # Streamlit's faded caption grey: below 4.5
    assert round(contrast(theme.MUTED, WHITE), 2) == 7.36


def test_every_category_colour_has_3_to_1_against_white() -> None:
    """WCAG 1.4.11: bars, lines and points must stand out from the background."""
    for colour in (*theme.PALETTE, *charts.CATEGORY_COLOURS):
        assert contrast(colour, WHITE) >= 3.0, colour
    assert len(set(charts.CATEGORY_COLOURS)) == 10  # ten categories, ten different colours


def test_likert_answers_with_a_direction_have_3_to_1_the_neutral_middle_is_documented() -> None:
    lo1, lo2, middle, hi1, hi2 = theme.LIKERT_COLOURS
    assert all(contrast(c, WHITE) >= 3.0 for c in (lo1, lo2, hi1, hi2))
    assert contrast(middle, WHITE) < 3.0  # the known exception named on the Toegankelijkheid page
    assert "neutraal" in a11y_text("a11y.limits.text")


def test_status_words_and_icons_in_colours_with_4_5_to_1() -> None:
    for s in (*theme.STATUSES.values(), *charts.WORK_STATUSES.values()):
        assert contrast(s.colour, WHITE) >= 4.5 and contrast(s.colour, s.background) >= 4.5, s.code
        assert s.icon.strip() and s.word("nl") and s.word("en")  # never colour alone
    assert [s.label("nl") for s in theme.STATUSES.values()] == ["✗ uit koers", "! risico", "✓ op koers",
                                                                 "– geen gegevens"]


def test_text_and_focus_colours_of_the_app() -> None:
    for background in (WHITE, SIDEBAR):
        assert contrast(theme.TEXT, background) >= 4.5
        assert contrast(theme.MUTED, background) >= 4.5
        assert contrast(a11y.FOCUS, background) >= 3.0  # the focus outline is a non-text indicator
    assert f"color: {theme.MUTED} !important; opacity: 1 !important;" in a11y.CSS  # Streamlit fades captions
    assert f"outline: 3px solid {a11y.FOCUS} !important" in a11y.CSS


# --- the page script -------------------------------------------------------------------------------------

def test_page_script_sets_the_language_and_survives_the_sanitiser() -> None:
    assert 'var lang = "en";' in a11y.script("en")
    assert 'var lang = "nl";' in a11y.script("nl")
    assert 'var lang = "nl";' in a11y.script("fr")  # anything unknown: Dutch
    body = a11y.script("nl").removeprefix("<script>").removesuffix("</script>")
    # DOMPurify drops a script whose text contains markup-like angle brackets (found the hard way)
    assert "<" not in body and ">" not in body
    assert 'querySelectorAll(\'[data-testid="stSidebarNavItems"]\')' in body


# --- chart semantics -------------------------------------------------------------------------------------

def test_theme_leaves_the_accessible_name_to_the_description() -> None:
    config = theme.theme()["config"]
    assert config["aria"] is False and config["mark"] == {"aria": False}


def test_rendered_svg_has_no_unnamed_graphics() -> None:
    """Vega's per-mark ARIA would leave empty mark groups without a name (axe svg-img-alt): marks are hidden."""
    import vl_convert as vlc

    df = pl.DataFrame({"category": ["2021", "2022"], "actual": [6, 2], "target": [6, 6]})
    svg = vlc.vegalite_to_svg(charts.target_vs_actual(df).properties(width=400).to_dict())
    symbols = re.findall(r"<g [^>]*role=\"graphics-symbol\"[^>]*>", svg)  # axe checks these for a name
    assert [g for g in symbols if "aria-label=" not in g] == []
    assert "X-axis" not in svg and "Y-axis" not in svg  # no English axis ARIA on a Dutch page
    assert svg.count('aria-hidden="true"') >= 10


def a11y_text(key: str) -> str:
    from dashboard.i18n import t

    return t(key, "nl")


def test_builders_no_page_calls_still_describe_their_finding() -> None:
    labels = ["helemaal oneens", "oneens", "neutraal", "eens", "helemaal eens"]
    likert = pl.DataFrame({"question": ["V1"] * 5, "answer": labels, "score": [1, 2, 3, 4, 5],
                           "respondents": [1, 1, 2, 4, 2]})
    assert description(charts.likert(likert)) == "60% van de antwoorden is positief"
    steps = pl.DataFrame({"step": ["Begroot", "Besteed", "Over"], "amount": [100000.0, -90000.0, None],
                          "kind": ["start", "delta", "total"]})
    assert description(charts.waterfall(steps)) == "Over: € 10.000"
    pairs = pl.DataFrame({"category": ["2021", "2022"], "actual": [6, 2], "target": [6, 6]})
    assert description(charts.target_vs_actual(pairs)) == "1 van 2 op of boven het doel"


def test_a_slide_chart_without_alt_text_is_described_by_its_figures() -> None:
    from dashboard.slides.model import ChartSpec

    spec = ChartSpec(kind="bar", categories=("OT1", "OT2"), series=(("Overleggen", (9, 4)),),
                     number_format="count")
    assert description(charts.slide_chart(spec)) == "Staafdiagram. Overleggen: OT1 9, OT2 4."
    titled = ChartSpec(kind="bar", categories=("OT1",), series=(("Overleggen", (9,)),), number_format="count",
                       alt_text="Overleggen per ontwikkelteam")
    assert description(charts.slide_chart(titled)) == "Overleggen per ontwikkelteam"


# --- every builder, as the pages use it (slow: the demo database and every page under AppTest) -----------------

@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """builder name -> the descriptions of every chart it drew while every page and slide ran on the demo."""
    from streamlit.testing.v1 import AppTest

    from dashboard.navigation import PAGES
    from etl.demo import build_demo_db
    from tests.pages.conftest import APP, ROOT

    tmp = tmp_path_factory.mktemp("a11y_charts")
    db = tmp / "demo.duckdb"
    assert build_demo_db(db).ok
    seen: dict[str, list[str]] = {}
    patch = pytest.MonkeyPatch()
    patch.setenv("STUURHUT_DB", str(db))
    patch.setenv("STUURHUT_ACCOUNTS", str(tmp / "accounts.json"))
    for name in builders():
        original = getattr(charts, name)

        def wrapper(*args, _name=name, _original=original, **kwargs):
            chart = _original(*args, **kwargs)
            seen.setdefault(_name, []).append(description(chart))
            return chart

        patch.setattr(charts, name, wrapper)
    try:
        for spec in PAGES:
            at = AppTest.from_file(str(APP), default_timeout=120)
            at.query_params.update({"deal": "CDOR"})
            at.run()
            at.switch_page(str(ROOT / spec.path)).run()
            open_chart_data(at)  # charts drawn only while their expander is open
            assert not at.exception, (spec.key, [e.value for e in at.exception])
        for number in range(1, 13):
            at = AppTest.from_file(str(APP), default_timeout=120)
            at.query_params.update({"deal": "CDOR", "slide": str(number)})
            at.run()
            at.switch_page(str(ROOT / "pages/presentatie.py")).run()
            assert not at.exception, (number, [e.value for e in at.exception])
    finally:
        patch.undo()
    return seen


@pytest.mark.slow
def test_every_chart_on_every_page_has_a_description(recorded: dict[str, list[str]]) -> None:
    empty = {name: found for name, found in recorded.items() if not all(found)}
    assert empty == {}
    assert sum(len(v) for v in recorded.values()) >= 30


@pytest.mark.slow
def test_every_builder_is_checked_by_a_page_or_directly(recorded: dict[str, list[str]]) -> None:
    """A new builder must be drawn by some page on the demo, or get a direct case above."""
    direct = {"likert", "waterfall", "target_vs_actual", "slide_chart"}
    assert set(builders()) - set(recorded) - direct == set()
    assert "indicator_status" in recorded and "slide_chart" in recorded


def test_builders_are_found() -> None:
    found = builders()
    assert {"indicator_status", "budget_by_year", "slide_chart", "compare_trend"} <= set(found)
    assert not [n for n in found if n.startswith("describe_")]
    assert Path(charts.__file__).name == "charts.py"
