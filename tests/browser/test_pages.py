"""Every registered page in headless Chromium against a freshly built demo database: no exception, Dutch figures."""

from __future__ import annotations

import contextlib
import re

import pytest

from dashboard.navigation import PAGES
from tests.browser.conftest import NEEDS_CHROMIUM, chromium_page, shots

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    NEEDS_CHROMIUM,
]


DUTCH_EURO = re.compile(r"^-?€ \d{1,3}(\.\d{3})+$")  # "€ 12.500", "-€ 114.050"
EURO_AXIS_DRAWN = "p => [...document.querySelectorAll('svg text')].some(e => new RegExp(p).test(e.textContent.trim()))"


@pytest.fixture(scope="module")
def site(demo_base: str):
    with chromium_page({"width": 1440, "height": 2400}) as page:
        yield demo_base, page


@contextlib.contextmanager
def screen(page, width: int):
    """The page at `width` px wide for the test's visits, then back at the site's 1440 px for the next test."""
    page.set_viewport_size({"width": width, "height": 2400})
    try:
        yield page
    finally:
        page.set_viewport_size({"width": 1440, "height": 2400})


def problems(page) -> tuple[list[str], bool]:
    exceptions = page.eval_on_selector_all('[data-testid="stException"]', "els => els.map(e => e.innerText.slice(0, 400))")
    return exceptions, "Traceback" in page.inner_text("body")


def test_deep_link_on_a_fresh_server_goes_through_the_shell(site) -> None:
    """The very first request of the process asks for a page URL (Streamlit's pages/ mode must not take over)."""
    base, page = site
    page.goto(f"{base}/gegevens?deal=CDOR&peildatum=2022-06-30")
    shots.settle(page)
    assert problems(page) == ([], False)
    assert page.locator("h1").first.inner_text() == "Gegevens"
    assert "Peildatum: 30 juni 2022." in page.inner_text("body")
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert "Overzicht" in sidebar and "streamlit app" not in sidebar  # our navigation, not the pages/ folder


def test_typed_overview_url_lands_on_the_overview_without_a_dialog(site) -> None:
    """/overzicht (the default page lives at /) goes to / with its filters, not to "Page not found"."""
    base, page = site
    page.goto(f"{base}/overzicht?deal=CDKW&jaar=2022")
    shots.settle(page)
    page.wait_for_function("() => location.pathname === '/'", timeout=30000)
    shots.settle(page)
    assert page.locator('[role="dialog"]').count() == 0
    assert "Page not found" not in page.inner_text("body")
    assert page.locator("h1").first.inner_text().startswith("Overzicht — City Deal Klimaatadaptieve Wijken")
    assert "deal=CDKW" in page.url and "jaar=2022" in page.url
    assert problems(page) == ([], False)


@pytest.mark.parametrize("spec", PAGES, ids=[p.key for p in PAGES])
def test_every_page_renders_without_errors(site, spec) -> None:
    base, page = site
    page.goto(f"{base}/{spec.url_path}?deal=CDOR")
    shots.settle(page)
    assert problems(page) == ([], False)
    assert page.locator("h1").first.inner_text().startswith(spec.title_nl)


def test_overview_figures_and_dutch_chart_axes(site) -> None:
    base, page = site
    page.goto(f"{base}/?deal=CDOR&jaar=2022")
    shots.settle(page)
    assert page.locator("h1").first.inner_text() == "Overzicht — City Deal Openbare Ruimte"
    body = page.inner_text("body")
    assert "sinds vorige levering" in body and "op koers" in body
    # 18 indicators, one without a target (the budget carried over, "ter informatie"): 17 are judged
    assert re.search(r"\d+ van 17 indicatoren op koers", body)
    # each chart is drawn only once its "Als grafiek" expander is open, and opening one reruns the page and adds a
    # nested "Gegevens achter deze grafiek": open them last to first (so no index shifts), one rerun at a time
    charts = page.locator('[data-testid="stExpander"] summary', has_text="Als grafiek")
    for i in reversed(range(charts.count())):
        charts.nth(i).click()
        shots.settle(page)
    page.wait_for_function(EURO_AXIS_DRAWN, arg=DUTCH_EURO.pattern, timeout=30000)
    texts = [t.strip() for t in page.eval_on_selector_all("svg text", "els => els.map(e => e.textContent)")]
    euros = [t for t in texts if DUTCH_EURO.match(t)]
    assert euros, [t for t in texts if "€" in t][:10]  # e.g. the euro axis of the change chart: "-€ 100.000"
    assert not [t for t in texts if re.match(r"^-?€ ?\d{1,3}(,\d{3})+$", t)]  # never English separators
    assert problems(page) == ([], False)


def test_filters_live_in_the_url_and_back_restores_the_view(site) -> None:
    base, page = site
    page.goto(f"{base}/?deal=CDOR&jaar=2022&peildatum=2022-10-31&taal=nl")
    shots.settle(page)
    assert "peildatum 31 oktober 2022" in page.inner_text("body")
    # choose another Peildatum in the sidebar, as a person would
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').nth(1).click()
    page.get_by_role("option", name="30 juni 2022").click()
    page.wait_for_function("() => location.search.includes('peildatum=2022-06-30')", timeout=30000)
    shots.settle(page)
    assert "peildatum 30 juni 2022" in page.inner_text("body")
    page.go_back()
    page.wait_for_function("() => location.search.includes('peildatum=2022-10-31')", timeout=30000)
    shots.settle(page)
    assert "peildatum 31 oktober 2022" in page.inner_text("body")


@pytest.mark.parametrize("width", [1440, 1280])
@pytest.mark.parametrize("path", ["eindresultaten?deal=CDOR", "eindresultaten?deal=CDOR&taal=en", "catalogus",
                                  "catalogus?taal=en", "ontwikkelteams?deal=CDOR&team=OT1"])
def test_registers_fit_beside_the_menu_with_their_texts_wrapped(site, path, width) -> None:
    """The end results register (eight columns, also for one team on Ontwikkelteams) and the catalogue (eight) show
    every column at 1440 and 1280 px: titles, linked milestones and explanations wrap onto more lines in taller rows
    instead of running off to the right (at 1280 px the register was 975 px wide in 818, the catalogue 950)."""
    base, page = site
    with screen(page, width):
        page.goto(f"{base}/{path}")
        shots.settle(page)
        assert problems(page) == ([], False)
        page.locator('[data-testid="stDataFrame"] table[role="grid"]').first.wait_for(state="attached", timeout=30000)
        scroll_width, client_width = page.eval_on_selector('[data-testid="stDataFrame"] .dvn-scroller',
                                                           "e => [e.scrollWidth, e.clientWidth]")
        height = page.eval_on_selector('[data-testid="stDataFrame"] .dvn-scroller', "e => e.scrollHeight")
        rows = int(page.locator('[data-testid="stDataFrame"] table[role="grid"]').first.get_attribute("aria-rowcount")) - 1
    assert scroll_width <= client_width + 1, f"the register is {scroll_width} px wide in {client_width} px"
    # every row taller than 64 px, the height from which Streamlit's grid wraps text (the header is 35 px)
    assert (height - 35) / rows > 64, f"{rows} rows in {height} px: the texts are not wrapped"


@pytest.mark.parametrize(("lang", "width"), [("nl", 1440), ("en", 1440), ("nl", 1280)])
def test_comparison_shows_the_three_demo_deals_side_by_side_without_scrolling(site, lang, width) -> None:
    """Vergelijking puts the deals side by side, a column each: with the three demo deals every table is in view
    at 1440 and 1280 px (the indicator table was 18 indicator columns wide, 4002 px; the self-assessment 1203 px)."""
    base, page = site
    with screen(page, width):
        page.goto(f"{base}/vergelijking?taal={lang}")
        shots.settle(page)
        grids = _comparison_grids(page)
    assert [g for g in grids if g[0] > g[1] + 1] == [], f"tables wider than the page: {grids}"


@pytest.mark.parametrize("width", [1440, 1280])
@pytest.mark.parametrize("path", ["ontwikkelteams?deal=CDOR", "ontwikkelteams?deal=CDOR&taal=en",
                                  "bijeenkomsten?deal=CDOR", "bijeenkomsten?deal=CDOR&taal=en", "vergelijking",
                                  "vergelijking?taal=en"])
def test_tables_fit_beside_the_menu_on_a_laptop_screen(site, path, width) -> None:
    """Every table drawn on these pages is in view at 1440 and 1280 px: the team overview (was 969 px wide in 818 at
    1280 px, its last column "Eindresultaten gereed" a scroll away), "Wie blijft weg" (937 px) and the benchmark
    (907 px) wrap their long texts in fixed-width columns with short headers instead of scrolling sideways."""
    base, page = site
    with screen(page, width):
        page.goto(f"{base}/{path}")
        shots.settle(page)
        assert problems(page) == ([], False)
        frames = page.locator('[data-testid="stDataFrame"]:visible')  # not those in a closed expander
        frames.first.wait_for(state="attached", timeout=30000)
        for i in range(frames.count()):  # a grid far down the page is drawn once it scrolls into view
            frames.nth(i).scroll_into_view_if_needed()
            frames.nth(i).locator(".dvn-scroller").wait_for(state="attached", timeout=30000)
        grids = page.eval_on_selector_all('[data-testid="stDataFrame"]', """els => els.filter(e => e.checkVisibility())
          .map(e => [e.querySelector('table[role="grid"] thead th')?.innerText.trim(),
            e.querySelector('.dvn-scroller').scrollWidth, e.querySelector('.dvn-scroller').clientWidth])""")
    assert grids, "no table on the page"
    assert [g for g in grids if g[1] > g[2] + 1] == [], f"tables wider than the page: {grids}"


def _comparison_grids(page) -> list:
    """[scroll width, width] of each table with the deals side by side (a column per demo deal)."""
    assert problems(page) == ([], False)
    page.locator('[data-testid="stDataFrame"] table[role="grid"]').first.wait_for(state="attached", timeout=30000)
    grids = page.eval_on_selector_all('[data-testid="stDataFrame"]', """els => els.map(e => [
        [...e.querySelectorAll('table[role="grid"] thead th')].map(th => th.innerText.trim()),
        e.querySelector('.dvn-scroller').scrollWidth, e.querySelector('.dvn-scroller').clientWidth])""")
    side = [g[1:] for g in grids if g[0][1:] == ["CDCB", "CDKW", "CDOR"]]
    assert [g[0][0] for g in grids if g[0][1:] == ["CDCB", "CDKW", "CDOR"]] in (["Indicator", "Thema"],
                                                                                ["Indicator", "Theme"])
    return side


CUT_OFF_TEXT = """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"] svg')].flatMap(svg => {
  const box = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('text')].filter(t => {
    const r = t.getBoundingClientRect();
    return r.width > 0 && (r.left < box.left - 2 || r.right > box.right + 2);
  }).map(t => t.textContent);
})"""


# pairs of axis labels of one axis drawn over each other (Vega hides some labels itself: those have opacity 0)
OVERLAPPING_LABELS = """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"] svg')].flatMap(svg =>
  [...svg.querySelectorAll('.role-axis-label')].flatMap(axis => {
    const boxes = [...axis.querySelectorAll('text')].filter(t => getComputedStyle(t).opacity !== '0')
      .map(t => [t.textContent, t.getBoundingClientRect()]).filter(([, r]) => r.width > 0);
    const out = [];
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const [a, ra] = boxes[i], [b, rb] = boxes[j];
      if (ra.left < rb.right - 1 && rb.left < ra.right - 1 && ra.top < rb.bottom - 1 && rb.top < ra.bottom - 1) {
        out.push(a + ' | ' + b);
      }
    }
    return out;
  }))"""


@pytest.mark.parametrize("width", [1440, 1280])
@pytest.mark.parametrize("path", ["?deal=CDOR", "begroting?deal=CDOR", "bijeenkomsten?deal=CDOR", "enquete?deal=CDOR",
                                  "ontwikkelteams?deal=CDOR", "eindresultaten?deal=CDOR", "communicatie?deal=CDOR",
                                  "vergelijking"])
def test_no_chart_text_is_cut_off_at_the_chart_edges(site, path, width) -> None:
    """Axis labels and legends stay inside their chart on every page with charts, at 1440 and 1280 px: Vega measures
    them in the font the page draws them in (theme.FONT quoted; unquoted "Source Sans 3" made it measure in 10px
    sans-serif, and "Overleggen van het minst actieve ontwikkelteam" ran 17 px past the left edge) and a long legend
    wraps (nine partner kinds ran off the right edge). No two labels of an axis overlap (at 1280 px the budget
    waterfall's ten steps ran into each other: each now takes two lines), and none is cut short with "…" (survey
    statements were cut after about 50 characters, milestone names after 36: both now take up to two lines)."""
    base, page = site
    with screen(page, width):
        page.goto(f"{base}/{path}")
        shots.settle(page)
        opened = page.locator('[data-testid="stExpander"] summary', has_text="Als grafiek")  # the overview's charts
        for i in reversed(range(opened.count())):
            opened.nth(i).click()
            shots.settle(page)
        charts = page.locator('[data-testid="stVegaLiteChart"] svg')
        for i in range(charts.count()):  # a chart far down the page is drawn once it scrolls into view
            charts.nth(i).scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        assert charts.count() >= 1
        cut, overlapping = page.evaluate(CUT_OFF_TEXT), page.evaluate(OVERLAPPING_LABELS)
        shortened = page.eval_on_selector_all('[data-testid="stVegaLiteChart"] svg .role-axis-label text',
                                              "els => els.map(e => e.textContent).filter(s => s.endsWith('…'))")
    assert cut == []
    assert overlapping == []
    assert shortened == []


@pytest.mark.parametrize(("path", "rows"), [("catalogus", 23), ("eindresultaten?deal=CDOR", 14), ("gegevens?deal=CDOR", 16)])
def test_short_registers_show_every_row_without_scrolling_inside(site, path, rows) -> None:
    """A register of a few dozen rows is in view at once, not in a ten-row box with its own scroll bar."""
    base, page = site
    page.goto(f"{base}/{path}")
    shots.settle(page)
    assert problems(page) == ([], False)
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.locator('table[role="grid"]').wait_for(state="attached", timeout=30000)
    assert int(grid.locator('table[role="grid"]').get_attribute("aria-rowcount")) == rows + 1  # with the header
    height, client = page.eval_on_selector('[data-testid="stDataFrame"] .dvn-scroller',
                                           "e => [e.scrollHeight, e.clientHeight]")
    assert height <= client + 1, f"{rows} rows in a {client} px box that scrolls to {height} px"


TILE_BOXES = """() => [...document.querySelectorAll('[data-testid="stMetric"]')].map(m => {
  let e = m.parentElement;  // the bordered tile around the figure (metrics without a border have none)
  while (e && !(parseFloat(getComputedStyle(e).borderTopWidth) > 0 && getComputedStyle(e).borderTopStyle !== 'none'))
    e = e.parentElement;
  if (!e) return null;
  const r = e.getBoundingClientRect();
  return [Math.round(r.top), Math.round(r.height)];
}).filter(Boolean)"""


def test_overview_tiles_in_a_row_are_equally_tall(site) -> None:
    """A heading on two lines or a longer target makes one tile taller: the others in its row grow with it."""
    base, page = site
    page.goto(f"{base}/?deal=CDOR&jaar=2022")
    shots.settle(page)
    rows: dict[int, set[int]] = {}
    for top, height in page.evaluate(TILE_BOXES):
        rows.setdefault(top, set()).add(height)
    assert len(rows) >= 6, rows  # 18 indicators, three per row
    assert {top: heights for top, heights in rows.items() if len(heights) > 1} == {}
