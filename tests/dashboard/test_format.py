"""Dutch formatting helpers, KPI tile texts, and the locale files."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import polars as pl

from dashboard.components import change_text, md_escape, source_text, target_text, tile_value
from dashboard.format import fmt_change, fmt_count, fmt_date, fmt_money, fmt_number, fmt_ratio, fmt_target
from dashboard.queries.overview import Freshness, months_before, stale_sheets

ROOT = Path(__file__).resolve().parents[2]


def test_numbers_money_ratios_and_dates_in_dutch() -> None:
    assert fmt_count(6) == "6"
    assert fmt_count(12500) == "12.500"
    assert fmt_ratio(0.78) == "78%"
    assert fmt_money(12500) == "€ 12.500"
    assert fmt_money(12500.5) == "€ 12.500,50"
    assert fmt_money(-300) == "-€ 300"
    assert fmt_number(1234567.891, 2) == "1.234.567,89"
    assert fmt_number(-0.001) == "0"
    assert fmt_date(dt.date(2021, 12, 17)) == "17 december 2021"
    assert fmt_date(dt.date(2021, 12, 17), "en") == "17 December 2021"
    assert fmt_count(None) == "–"


def test_changes_and_targets_in_words() -> None:
    assert fmt_change(2, "count") == "+2"
    assert fmt_change(-0.05, "ratio") == "-5 procentpunt"
    assert fmt_change(1000, "euro") == "+€ 1.000"
    assert fmt_change(0.001, "ratio") == "0 procentpunt"
    assert fmt_target(6, 9, "count") == "6 tot 9"
    assert fmt_target(0.8, None, "ratio") == "minstens 80%"
    assert fmt_target(None, None, "euro") == "geen doel"


def test_tile_texts() -> None:
    row = {"value": 4.0, "unit": "count", "target_min": 6.0, "target_max": 6.0, "expected_to_date": 5.0,
           "previous_value": 2.0, "change": 2.0}
    assert tile_value(row) == "4 van 6"
    assert target_text(row) == "Doel: 6 · verwacht op de peildatum: 5"
    assert change_text(row) == "+2 sinds vorige levering"
    assert tile_value({**row, "target_max": 9.0}) == "4"
    assert change_text({**row, "change": 0.0}) == "geen verandering sinds vorige levering"
    assert change_text({**row, "previous_value": None, "change": None}) is None
    ratio = {"value": 0.78, "unit": "ratio", "target_min": 0.7, "target_max": None, "change": 0.02, "previous_value": 0.76}
    assert (tile_value(ratio), change_text(ratio, "en")) == ("78%", "+2 percentage points since previous delivery")


def test_source_caption_and_markdown_escaping() -> None:
    assert source_text("levering.xlsx", "Begroting", dt.datetime(2021, 12, 17, 9, 30)) == (
        "Bron: levering.xlsx · tabblad Begroting · geleverd 17 december 2021")
    assert source_text(None, None, None) == "Bron: nog niet geleverd"
    # a file name full of Markdown must show literally, not as a link or emphasis
    assert md_escape("[klik](http://x) *vet*") == r"\[klik\]\(http\:\/\/x\) \*vet\*".replace(r"\/", "/")


def test_stale_sheets_are_three_months_older_than_the_peildatum() -> None:
    assert months_before(dt.date(2022, 5, 31), 3) == dt.date(2022, 2, 28)
    sheets = pl.DataFrame({"sheet": ["Begroting", "Partners", "Vragen"], "state": ["actueel", "actueel", "ontbreekt"],
                           "peildatum": [dt.date(2022, 10, 31), dt.date(2022, 7, 30), None],
                           "loaded_at": [dt.datetime(2022, 11, 1)] * 3})
    fresh = Freshness(dt.date(2022, 10, 31), None, ["Vragen"], [], sheets)
    assert stale_sheets(fresh, dt.date(2022, 10, 31)) == [("Partners", dt.date(2022, 7, 30))]


def _locale_files(lang: str) -> list[Path]:
    """locales/<lang>.json and the per-area locales/<area>.<lang>.json files, as dashboard.i18n merges them."""
    folder = ROOT / "dashboard/locales"
    return [folder / f"{lang}.json", *sorted(folder.glob(f"*.{lang}.json"))]


def test_locales_have_the_same_keys_and_every_used_key_exists() -> None:
    nl, en = ({k: v for f in _locale_files(lang) for k, v in json.loads(f.read_text(encoding="utf-8")).items()}
              for lang in ("nl", "en"))
    assert nl.keys() == en.keys()
    for key in nl:  # same placeholders in both languages
        assert set(re.findall(r"{(\w+)}", nl[key])) == set(re.findall(r"{(\w+)}", en[key])), key
    sources = [ROOT / "streamlit_app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("dashboard/*.py")]
    used = {k for p in sources for k in re.findall(r"\bt\(\"([a-z_]+\.[a-z_.]+)\"", p.read_text(encoding="utf-8"))}
    assert used and not used - nl.keys(), sorted(used - nl.keys())


def test_a_change_too_small_to_show_is_no_change() -> None:
    row = {"value": 0.7134, "unit": "ratio", "target_min": 0.7, "target_max": None,
           "previous_value": 0.7117, "change": 0.0017}
    assert change_text(row) == "geen verandering sinds vorige levering"
    assert change_text({**row, "change": 0.006}) == "+1 procentpunt sinds vorige levering"
