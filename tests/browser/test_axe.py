"""WCAG 2.1 AA in a real browser: axe-core on every page (Dutch and English) and every slide of the presentation.

A page fails on any serious or critical axe finding. Also checked here: the document language follows the
switch, one h1 and no skipped heading levels, every chart carries its finding as accessible name, the chart's
data table is one click away as a grid with column headers, visible keyboard focus, and a keyboard-only start
of the presentation. Counts per page go to tests/browser/.axe/results.json; with STUURHUT_A11Y_RECORD=1 also to
docs/toegankelijkheid.json and the table in docs/TOEGANKELIJKHEID.md (the statement page shows them).

axe-core is the npm package (`npm install --prefix tests/browser/.axe axe-core@4`, done by .ci/run);
STUURHUT_AXE_JS may point at another axe.min.js.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import pytest

from dashboard.navigation import PAGES
from tests.browser.conftest import NEEDS_CHROMIUM, chromium_page, shots

ROOT = Path(__file__).resolve().parents[2]
AXE_DIR = Path(__file__).with_name(".axe")
AXE_JS = Path(os.environ.get("STUURHUT_AXE_JS") or AXE_DIR / "node_modules" / "axe-core" / "axe.min.js")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("critical", "serious")
LANGS = ("nl", "en")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    NEEDS_CHROMIUM,
    pytest.mark.skipif(not AXE_JS.is_file(), reason=f"needs axe-core: npm install --prefix {AXE_DIR} axe-core@4"),
]


# page key -> language -> impact -> number of violating nodes (filled by the tests, written at the end)
RESULTS: dict[str, dict[str, dict[str, int]]] = {}

RUN_AXE = """async (tags) => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return {version: axe.version, violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(' ') + ' | ' + (n.failureSummary || '').split('\\n').slice(1, 2).join(''))}))};
}"""

HEADINGS = """() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
  .filter(h => h.getClientRects().length > 0 && !h.closest('[aria-hidden="true"]'))
  .map(h => [Number(h.tagName[1]), h.innerText.trim().slice(0, 60)])"""


def url(base: str, spec, lang: str) -> str:
    path = "" if spec.default else spec.url_path  # the default page lives at "/"
    return f"{base}/{path}?deal=CDOR&taal={lang}"


def run_axe(page) -> dict:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(RUN_AXE, TAGS)


def counts(violations: list[dict]) -> dict[str, int]:
    out = {impact: 0 for impact in ("critical", "serious", "moderate", "minor")}
    for v in violations:
        out[v["impact"] or "minor"] += len(v["nodes"])
    return out


def blocking(violations: list[dict]) -> list[str]:
    """Readable lines for the failure message: rule, impact, help and the first nodes."""
    return [f"{v['id']} ({v['impact']}): {v['help']} -> {v['nodes'][:3]}" for v in violations if v["impact"] in BLOCKING]


def heading_problems(headings: list[list]) -> list[str]:
    """One h1, first; going deeper never skips a level (h1 -> h3 is a skip, h3 -> h2 is fine)."""
    levels = [level for level, _ in headings]
    problems = []
    if levels.count(1) != 1 or (levels and levels[0] != 1):
        problems.append(f"expected exactly one h1, first: {headings}")
    for (a, _), (b, text) in zip(headings, headings[1:], strict=False):
        if b > a + 1:
            problems.append(f"h{a} -> h{b} at {text!r}")
    return problems


def open_expanders(page) -> None:
    """Open every closed expander (charts and tables inside them render then) and wait for the charts."""
    page.evaluate("""() => document.querySelectorAll('[data-testid="stExpander"] details:not([open]) > summary')
        .forEach(s => s.click())""")
    shots.settle(page)  # each opened expander reruns the page (its table is drawn only while open): await the reruns
    page.wait_for_function("""() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')]
        .every(e => e.querySelector('svg'))""", timeout=30000)  # vega-embed names a chart when it draws it
    page.wait_for_timeout(500)


def add(key: str, lang: str, found: dict[str, int]) -> None:
    into = RESULTS.setdefault(key, {}).setdefault(lang, {i: 0 for i in found})
    for impact, n in found.items():
        into[impact] += n


@pytest.fixture(scope="module")
def site(demo_base: str):
    with chromium_page({"width": 1440, "height": 1000}) as page:
        yield demo_base, page
    write_results()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("spec", PAGES, ids=[p.key for p in PAGES])
def test_page_passes_axe_wcag21_aa(site, spec, lang: str) -> None:
    base, page = site
    page.goto(url(base, spec, lang))
    shots.settle(page)
    open_expanders(page)  # what sits behind "Gegevens achter deze grafiek" is tested too
    result = run_axe(page)
    add(spec.key, lang, counts(result["violations"]))
    RESULTS.setdefault("_axe", {"version": result["version"]})
    assert blocking(result["violations"]) == []
    assert page.evaluate("document.documentElement.lang") == lang
    assert heading_problems(page.evaluate(HEADINGS)) == []
    # every chart carries its finding (the Vega-Lite description) as the accessible name of its graphics document
    charts = page.eval_on_selector_all('[data-testid="stVegaLiteChart"]',
                                       "els => els.map(e => [e.getAttribute('role'), e.getAttribute('aria-label')])")
    assert [c for c in charts if c[0] != "graphics-document" or not (c[1] or "").strip()] == []


def test_chart_data_is_one_click_away_as_a_table_with_headers(site) -> None:
    base, page = site
    page.goto(f"{base}/begroting?deal=CDOR&taal=nl")
    shots.settle(page)
    page.wait_for_selector('[data-testid="stVegaLiteChart"] svg', timeout=30000)
    labels = page.eval_on_selector_all('[data-testid="stVegaLiteChart"]', "els => els.map(e => e.ariaLabel)")
    pattern = re.compile(r"^2022: € [\d.]+ van € [\d.]+ begroot gerealiseerd \(\d+%\)$")
    assert [label for label in labels if label and pattern.match(label)], labels
    page.locator('[data-testid="stExpander"] summary').filter(has_text="Gegevens achter deze grafiek").first.click()
    grid = page.locator('[data-testid="stExpander"] [data-testid="stDataFrame"] table[role="grid"]').first
    grid.wait_for(state="attached", timeout=30000)
    headers = grid.locator('th[role="columnheader"]').all_inner_texts()
    assert len(headers) >= 3 and all(h.strip() for h in headers), headers
    assert grid.locator('td[role="gridcell"]').count() >= len(headers)


def test_language_switch_sets_the_document_language(site) -> None:
    base, page = site
    page.goto(f"{base}/?deal=CDOR&taal=nl")
    shots.settle(page)
    assert page.evaluate("document.documentElement.lang") == "nl"
    page.locator('[data-testid="stSidebar"] [data-testid="stButtonGroup"] button').filter(has_text="EN").click()
    page.wait_for_function("() => document.documentElement.lang === 'en'", timeout=30000)
    shots.settle(page)
    assert page.locator("h1").first.inner_text().startswith("Overview")


def test_keyboard_focus_is_visible(site) -> None:
    base, page = site
    page.goto(f"{base}/?deal=CDOR&taal=nl")
    shots.settle(page)
    seen = []
    for _ in range(6):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("""() => { const e = document.activeElement; const s = getComputedStyle(e);
            return [e.tagName, (e.innerText || e.getAttribute('aria-label') || '').slice(0, 30), s.outlineStyle,
                    parseFloat(s.outlineWidth)]; }"""))
    focused = [s for s in seen if s[0] != "BODY"]
    assert focused, seen
    assert all(style != "none" and width >= 2 for _, _, style, width in focused), focused


def next_slide(page, number: int) -> None:
    """ArrowRight to slide `number`. Under a busy machine a key pressed while the page's rerun is still putting the
    shortcut buttons back can be missed (seen once in a full parallel run): press again, but only while the page
    still shows the slide before it (a late first press must not skip a slide)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    wanted, before = f"slide={number}&", f"slide={number - 1}&"
    url = "() => (location.search + '&').includes('{}')"
    for _ in range(3):
        page.keyboard.press("ArrowRight")
        try:
            page.wait_for_function(url.format(wanted), timeout=15000)
            return
        except PlaywrightTimeout:
            if not page.evaluate(url.format(before)):
                break
    page.wait_for_function(url.format(wanted), timeout=15000)


def test_presentation_by_keyboard_only_and_every_slide_passes_axe(site) -> None:
    base, page = site
    page.goto(f"{base}/presentatie?deal=CDOR&taal=nl")
    shots.settle(page)
    start = page.get_by_role("button", name="Presentatie starten")
    for _ in range(60):  # Tab until the start button has focus, then Enter: no mouse
        page.keyboard.press("Tab")
        if start.evaluate("e => e === document.activeElement"):
            break
    else:
        pytest.fail("the start button cannot be reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.search.includes('slide=1')", timeout=30000)
    shots.settle(page)
    total = int(re.search(r"/ (\d+)", page.locator('[data-testid="stMarkdownContainer"] strong')
                          .filter(has_text=re.compile(r"^\d+ / \d+$")).first.inner_text()).group(1))
    assert total >= 10
    failures = {}
    for number in range(1, total + 1):
        if number > 1:
            next_slide(page, number)
            shots.settle(page)
        result = run_axe(page)
        add("presentatie-modus", "nl", counts(result["violations"]))
        if found := blocking(result["violations"]) + heading_problems(page.evaluate(HEADINGS)):
            failures[number] = found
    assert failures == {}


def write_results() -> None:
    """tests/browser/.axe/results.json always; the committed docs only when STUURHUT_A11Y_RECORD=1."""
    pages = {k: v for k, v in RESULTS.items() if not k.startswith("_")}
    if not pages:
        return
    record = {"axe": RESULTS.get("_axe", {}).get("version", "4"), "tested": dt.date.today().isoformat(),
              "tags": TAGS, "pages": pages}
    AXE_DIR.mkdir(exist_ok=True)
    (AXE_DIR / "results.json").write_text(json.dumps(record, indent=1), encoding="utf-8")
    if os.environ.get("STUURHUT_A11Y_RECORD") == "1":
        docs = ROOT / "docs" / "toegankelijkheid.json"
        old = json.loads(docs.read_text(encoding="utf-8")) if docs.is_file() else {}
        if "before" in old:
            record["before"] = old["before"]
        docs.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        update_markdown(record)


def update_markdown(record: dict) -> None:
    """Replace the results table between the markers in docs/TOEGANKELIJKHEID.md."""
    from dashboard.a11y import results_table

    md = ROOT / "docs" / "TOEGANKELIJKHEID.md"
    text = md.read_text(encoding="utf-8")
    table = results_table(record, "nl")
    lines = ["| " + " | ".join(table.columns) + " |", "|" + " --- |" * table.width]
    lines += ["| " + " | ".join("–" if v is None else str(v) for v in row) + " |" for row in table.iter_rows()]
    block = (f"<!-- axe-results -->\naxe-core {record['axe']}, getoetst op {record['tested']}:\n\n"
             + "\n".join(lines) + "\n<!-- /axe-results -->")
    md.write_text(re.sub(r"<!-- axe-results -->.*?<!-- /axe-results -->", lambda _: block, text, flags=re.S),
                  encoding="utf-8")
