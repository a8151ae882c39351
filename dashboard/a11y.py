"""Accessibility fixes for every page (WCAG 2.1 AA): contrast, visible focus, document language, nav semantics.

Streamlit draws its own chrome; what it gets wrong for WCAG we correct here, once, from the app shell
(streamlit_app.py calls `apply(lang)` on every run). docs/TOEGANKELIJKHEID.md says why each rule exists.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import streamlit as st

from dashboard import theme

FOCUS = "#1f5f8b"  # the app's primary colour: 6.9:1 on white, 6.3:1 on the sidebar grey

# Static CSS (no data in it).
# - Captions, metric help and keyboard hints: Streamlit fades them (opacity 0.6: #76797c, 4.4:1), below 4.5:1;
#   MUTED is 7.4:1 on white and 6.7:1 on the sidebar grey.
# - Code blocks: the syntax colours (#1c83e1 3.7:1, #00a4d4 2.8:1) fail; code shows in the text colour.
#   Same for st.table cells, which Streamlit greys (#808495, 3.9:1).
# - Visible focus (2.4.7): a 3px outline on whatever has keyboard focus, also where Streamlit removes it.
CSS = f"""<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stSidebar"] [data-testid="stCaptionContainer"] p,
[data-testid="stMetricDelta"] [data-testid="stCaptionContainer"] p,
[data-testid="stWidgetLabel"] small, kbd {{color: {theme.MUTED} !important; opacity: 1 !important;}}
[data-testid="stCode"] code .token, [data-testid="stTable"] td, [data-testid="stTable"] th {{
  color: {theme.TEXT} !important;
}}
:focus-visible, [data-testid="stSidebarNavLink"]:focus-visible, button:focus-visible, a:focus-visible,
[role="tab"]:focus-visible, summary:focus-visible, input:focus-visible, [tabindex]:focus-visible {{
  outline: 3px solid {FOCUS} !important; outline-offset: 2px !important;
}}
</style>"""

# Runs in the page itself (st.html with JavaScript, no iframe). No angle brackets inside the script, not even in
# comments: Streamlit's HTML sanitiser (DOMPurify) drops a script whose text looks like markup. Idempotent: the observer is installed once
# per browser tab; the language is set again whenever the switch changes (the script text changes with it).
_SCRIPT = """<script>
(function () {
  var lang = "%(lang)s";
  document.documentElement.setAttribute("lang", lang);
  window.__stuurhutLang = lang;
  if (window.__stuurhutA11y) { return; }
  window.__stuurhutA11y = true;
  var queued = false;
  function fix() {
    queued = false;
    if (document.documentElement.getAttribute("lang") !== window.__stuurhutLang) {
      document.documentElement.setAttribute("lang", window.__stuurhutLang);
    }
    // Streamlit's sidebar nav puts section divs straight inside its ul (axe: list, listitem):
    // the links keep their names and the nav landmark, only the broken list semantics go.
    document.querySelectorAll('[data-testid="stSidebarNavItems"]').forEach(function (ul) {
      if (ul.getAttribute("role") !== "none") { ul.setAttribute("role", "none"); }
      ul.querySelectorAll("li").forEach(function (li) {
        if (li.getAttribute("role") !== "none") { li.setAttribute("role", "none"); }
      });
    });
  }
  new MutationObserver(function () {
    if (!queued) { queued = true; window.requestAnimationFrame(fix); }
  }).observe(document.body, {childList: true, subtree: true, attributes: true, attributeFilter: ["lang"]});
  fix();
})();
</script>"""


def script(lang: str) -> str:
    """The page script for a language ("nl" or "en"; anything else falls back to Dutch)."""
    return _SCRIPT % {"lang": "en" if lang == "en" else "nl"}


def apply(lang: str) -> None:
    """Inject the CSS and the page script (call once per run, before the page draws anything)."""
    st.html(CSS)
    st.sidebar.html(script(lang), unsafe_allow_javascript=True)


# --- the recorded axe results (docs/toegankelijkheid.json, written by tests/browser/test_axe.py) -----------

RESULTS = Path(__file__).resolve().parent.parent / "docs" / "toegankelijkheid.json"
PRESENTING = "presentatie-modus"  # the results key of the presentation mode (every slide together)
BLOCKING = ("critical", "serious")
LESSER = ("moderate", "minor")


def load_results(path: Path | None = None) -> dict | None:
    """The recorded run: {"axe", "tested", "pages": {key: {lang: {impact: count}}}, "before": ...}; None if absent."""
    try:
        return json.loads((path or RESULTS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _count(counts: dict | None, impacts: tuple[str, ...]) -> int | None:
    return None if counts is None else sum(int(counts.get(i, 0)) for i in impacts)


def results_table(results: dict, lang: str = "nl") -> pl.DataFrame:
    """One row per page (registry order, then the presentation mode): serious+critical per language, lesser."""
    from dashboard.i18n import t
    from dashboard.navigation import BY_KEY

    rows = []
    for key, per_lang in results.get("pages", {}).items():
        spec = BY_KEY.get(key)
        title = spec.title(lang) if spec else t("a11y.presenting", lang) if key == PRESENTING else key
        lesser = [_count(per_lang.get(lg), LESSER) for lg in ("nl", "en")]
        rows.append({
            t("a11y.col.page", lang): title,
            t("a11y.col.nl", lang): _count(per_lang.get("nl"), BLOCKING),
            t("a11y.col.en", lang): _count(per_lang.get("en"), BLOCKING),
            t("a11y.col.lesser", lang): sum(x for x in lesser if x is not None),
        })
    return pl.DataFrame(rows, schema={t(k, lang): dtype for k, dtype in (
        ("a11y.col.page", pl.String), ("a11y.col.nl", pl.Int64), ("a11y.col.en", pl.Int64),
        ("a11y.col.lesser", pl.Int64))})
