"""The Toegankelijkheid page: the statement in Dutch and English with the recorded axe results per page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import a11y
from tests.pages.conftest import APP, ROOT
from tests.pages.test_smoke import no_errors

PAGE = str(ROOT / "pages" / "toegankelijkheid.py")
ZERO = {"critical": 0, "serious": 0, "moderate": 0, "minor": 0}


@pytest.fixture
def results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "toegankelijkheid.json"
    path.write_text(json.dumps({
        "axe": "4.14.1", "tested": "2026-03-02",
        "pages": {"overzicht": {"nl": ZERO, "en": {**ZERO, "moderate": 2}},
                  "begroting": {"nl": {**ZERO, "serious": 1}, "en": ZERO},
                  a11y.PRESENTING: {"nl": {**ZERO, "minor": 3}}},
    }), encoding="utf-8")
    monkeypatch.setattr(a11y, "RESULTS", path)
    return path


def run(lang: str = "nl") -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update({"taal": lang})
    at.run()
    at.switch_page(PAGE).run()
    no_errors(at)
    return at


def test_statement_in_dutch_with_results_per_page(app_env: Path, results: Path) -> None:
    at = run()
    assert at.title[0].value == "Toegankelijkheidsverklaring"
    assert [h.value for h in at.header] == ["Stand van zaken", "Hoe is getoetst", "Resultaten per pagina",
                                            "Wat we daarvoor gedaan hebben", "Bekende beperkingen", "Iets gevonden?"]
    assert "**voldoet gedeeltelijk**" in at.markdown[1].value
    assert "axe-core 4.14.1" in at.markdown[2].value
    assert at.caption[0].value.startswith("Aantal ernstige en kritieke bevindingen van axe-core per pagina "
                                          "(getoetst op 2 maart 2026).")
    table = at.table[0].value
    assert list(table.columns) == ["Pagina", "Nederlands: ernstig of kritiek", "Engels: ernstig of kritiek",
                                   "Matig of gering (NL + EN)"]
    rows = table.values.tolist()
    assert rows[0] == ["Overzicht", 0, 0, 2]
    assert rows[1] == ["Begroting", 1, 0, 0]
    assert rows[2][0] == "Presentatiemodus (alle dia's)" and rows[2][1] == 0 and rows[2][3] == 3


def test_statement_in_english(app_env: Path, results: Path) -> None:
    at = run("en")
    assert at.title[0].value == "Accessibility statement"
    assert at.table[0].value.values.tolist()[0] == ["Overview", 0, 0, 2]
    assert "**partially meets**" in at.markdown[1].value


def test_without_recorded_results_says_how_to_get_them(app_env: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(a11y, "RESULTS", tmp_path / "missing.json")
    at = run()
    assert at.info[0].value.startswith("Nog geen toetsresultaten vastgelegd")
    assert not at.table


def test_the_committed_results_have_every_registered_page() -> None:
    from dashboard.navigation import PAGES

    recorded = a11y.load_results()
    assert recorded is not None and recorded["tags"] == ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
    missing = ({p.key for p in PAGES} | {a11y.PRESENTING}) - set(recorded["pages"])
    assert not missing, f"not in docs/toegankelijkheid.json: {missing}; run STUURHUT_A11Y_RECORD=1 pytest tests/browser/test_axe.py"
    blocking = {(k, lang): sum(c[i] for i in a11y.BLOCKING) for k, per in recorded["pages"].items()
                for lang, c in per.items()}
    assert set(blocking.values()) == {0}
