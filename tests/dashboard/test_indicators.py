"""Steering indicators: values, targets, status rules, history and the `stuurhut indicators`/`deals` commands."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import polars as pl
import pytest

from dashboard.db import MissingDatabase, UnknownQuery, Warehouse
from dashboard.queries.indicators import (
    UnknownDeal,
    deals,
    format_value,
    indicator_changes,
    indicators,
    status_of,
)
from etl.catalogue import BY_CODE, CODES
from etl.cli import main
from tests.dashboard.conftest import D, load

# Deal TST (tests/dashboard/conftest.py), peildatum 30-06-2022: (value, target_min, target_max, status).
# 2022 is in progress: "sum" targets are scaled to 181/365 of the year (6 -> 2.975 -> expected 3).
EXPECTED_2022 = {
    "kernteam_meetings": (3, 6, 6, "on_target"),  # 3 held; expected 3
    "directors_meetings": (1, 2, 2, "on_target"),  # expected round(0.99) = 1
    "work_sessions": (2, 6, 9, "at_risk"),  # expected 3; one below
    "atelier_days": (1, 2, 2, "on_target"),
    "team_meetings": (1, 6, 12, "off_target"),  # OT1 4, OT2 1 -> 1; expected 3, two below
    "lead_meetings": (0, 3, 4, "at_risk"),  # expected round(1.49) = 1; one below
    "newsletters": (4, 6, 8, "on_target"),  # 3 nieuwsbrief + 1 teamupdate by 30-06 (the August one not yet)
    "team_updates": (1, 6, 6, "off_target"),  # expected 3
    "workbook_updates": (1, 2, 2, "on_target"),
    "survey_respondents": (5, 6, None, "at_risk"),  # wave 2022-05: 5; previous wave 2021-11: 6
    "dev_budget_spent": (None, 0.3959, 1.0, "no_data"),  # 2022 realised not yet known
    "dev_budget_surplus": (None, None, None, "no_data"),
    "milestones_on_time": (5 / 7, 0.8, None, "at_risk"),  # 5 of 7 due on time = 0.714: within 10 points
    "end_results_ready": (1 / 3, 1.0, None, "on_target"),  # before the final year: none vertraagd
    "partners": (4, 2, 3, "at_risk"),  # Doelen 2022: 2 to 3; 4 is above the maximum
    "municipalities": (2, 11, None, "off_target"),
    "contacts": (4, 462, None, "off_target"),
    "attendance_rate": (4 / 6, 0.6, None, "on_target"),  # Doelen 2022: 60 -> 0.6
}
EXPECTED_2021 = {
    "kernteam_meetings": (6, 6, 6, "on_target"),
    "directors_meetings": (2, 2, 2, "on_target"),
    "work_sessions": (0, 6, 9, "off_target"),
    "atelier_days": (2, 2, 2, "on_target"),
    "team_meetings": (5, 6, 12, "at_risk"),  # OT1 7, OT2 5
    "lead_meetings": (3, 3, 4, "on_target"),
    "newsletters": (6, 6, 8, "on_target"),  # 4 nieuwsbrief + 2 teamupdate
    "team_updates": (2, 6, 6, "off_target"),
    "workbook_updates": (2, 2, 2, "on_target"),
    "survey_respondents": (6, 33, None, "off_target"),  # no earlier wave: the default 33
    "dev_budget_spent": (0.9, 0.9, 1.0, "on_target"),  # 90.000 of 100.000; plan 100% less 10 points
    "dev_budget_surplus": (10000, None, None, "on_target"),
    "milestones_on_time": (0.5, 0.8, None, "off_target"),  # 1 of 2
    "end_results_ready": (1 / 3, 1.0, None, "on_target"),  # before the final year: none vertraagd
    "partners": (4, 3, 4, "on_target"),  # Doelen without year: 3 to 4
    "municipalities": (2, 11, None, "off_target"),  # Aadorp and Bedum on 31-12-2021
    "contacts": (None, 462, None, "no_data"),  # the only export has peildatum 30-06-2022
    "attendance_rate": (0.5, 0.7, None, "off_target"),  # 1 of 2 rows
}


@pytest.fixture(scope="module")
def wh(full_db: Path) -> Warehouse:
    return Warehouse(full_db)


@pytest.fixture(scope="module")
def tst(wh: Warehouse) -> pl.DataFrame:
    return indicators(wh, "TST")


def _row(frame: pl.DataFrame, year: int, code: str) -> dict:
    rows = frame.filter((pl.col("year") == year) & (pl.col("indicator") == code)).to_dicts()
    assert len(rows) == 1, (year, code)
    return rows[0]


@pytest.mark.parametrize("year,expected", [(2021, EXPECTED_2021), (2022, EXPECTED_2022)])
def test_every_indicator_on_a_hand_made_delivery(tst: pl.DataFrame, year: int, expected: dict) -> None:
    assert set(expected) == set(CODES)
    for code, (value, lo, hi, status) in expected.items():
        row = _row(tst, year, code)
        got = (row["value"], row["target_min"], row["target_max"], row["status"])
        assert got == (
            pytest.approx(value) if value is not None else None,
            pytest.approx(lo, abs=1e-4) if lo is not None else None,
            pytest.approx(hi) if hi is not None else None,
            status,
        ), code


def test_every_year_of_the_deal_and_every_code_in_catalogue_order(tst: pl.DataFrame) -> None:
    assert tst.height == 3 * 18
    assert tst.filter(pl.col("year") == 2022)["indicator"].to_list() == list(CODES)
    assert sorted(set(tst["year"].to_list())) == [2021, 2022, 2023]


def test_year_not_begun_is_no_data_never_zero(tst: pl.DataFrame) -> None:
    y2023 = tst.filter(pl.col("year") == 2023)
    assert y2023["status"].to_list() == ["no_data"] * 18
    assert y2023["value"].null_count() == 18
    assert _row(tst, 2023, "kernteam_meetings")["note_nl"] == "2023 is nog niet begonnen"


def test_labels_lineage_and_expected_to_date(tst: pl.DataFrame) -> None:
    row = _row(tst, 2022, "kernteam_meetings")
    assert row["label_nl"] == "Kernteamoverleggen gehouden"
    assert row["label_en"] == "Core team meetings held"
    assert row["unit"] == "count"
    assert row["expected_to_date"] == 3.0
    assert row["target_text_nl"] == "6 per jaar"
    assert row["status_nl"] == "op koers"
    assert row["source_sheet"] == "Bijeenkomsten"
    assert row["source_file"] == "tst.xlsx"
    assert row["delivered_at"] is not None
    assert str(row["peildatum"]) == "2022-06-30"
    assert _row(tst, 2022, "work_sessions")["target_text_nl"] == "6 tot 9 per jaar"
    assert _row(tst, 2022, "attendance_rate")["target_text_nl"] == "minstens 60%"
    assert _row(tst, 2021, "contacts")["note_nl"] == "Geen export van de mailinglijst met peildatum op of voor 31-12-2021"


def test_one_year_only(wh: Warehouse) -> None:
    df = indicators(wh, "TST", year=2022)
    assert df["year"].unique().to_list() == [2022]
    assert df.height == 18


@pytest.mark.parametrize("held,status", [(3, "on_target"), (2, "at_risk"), (1, "off_target")])
def test_partial_year_scales_sum_targets_to_the_peildatum(tmp_path: Path, held: int, status: str) -> None:
    # 6 kernteam meetings a year; by 30-06-2022 (181/365 of the year) 2.975 -> 3 are expected.
    rows = [["ID", "Datum", "Soort"]] + [[f"K{i}", D(2022, i + 1, 1), "kernteam"] for i in range(held)]
    load(tmp_path / "db.duckdb", tmp_path / "pj.xlsx", {
        "Deal": [["Code", "Naam", "Peildatum"], ["PJ", "Halfjaar", D(2022, 6, 30)]],
        "Bijeenkomsten": rows,
    })
    row = _row(indicators(Warehouse(tmp_path / "db.duckdb"), "PJ"), 2022, "kernteam_meetings")
    assert (row["value"], row["expected_to_date"], row["status"]) == (held, 3.0, status)


def test_deal_without_source_sheets_gives_no_data(wh: Warehouse) -> None:
    df = indicators(wh, "MIN")  # only Deal and Bijeenkomsten, peildatum 30-06-2022, no Start/Einde
    assert df["year"].unique().to_list() == [2022]
    assert df.height == 18
    assert _row(df, 2022, "kernteam_meetings")["value"] == 2
    assert _row(df, 2022, "kernteam_meetings")["status"] == "at_risk"
    for code in ("newsletters", "partners", "contacts", "survey_respondents", "dev_budget_spent",
                 "milestones_on_time", "end_results_ready", "attendance_rate"):
        row = _row(df, 2022, code)
        assert (row["value"], row["status"]) == (None, "no_data"), code
    assert _row(df, 2022, "newsletters")["note_nl"] == "Tabblad Communicatie is nog niet aangeleverd"
    # no Onderdelen: the development teams are those that met as ontwikkelteam; there are none
    assert _row(df, 2022, "team_meetings")["status"] == "no_data"


def test_as_of_before_a_correction_shows_the_old_value(budget_db: Path) -> None:
    wh = Warehouse(budget_db)
    old = indicators(wh, "BUD", as_of="2023-06-30")  # only the first delivery (peildatum 31-12-2022) is visible
    assert _row(old, 2021, "dev_budget_spent")["value"] == pytest.approx(0.8)  # 80.000 / 100.000
    assert _row(old, 2022, "dev_budget_surplus")["value"] == -20000  # 120.000 - 140.000
    assert _row(old, 2023, "dev_budget_surplus")["value"] is None  # realised 2023 not yet known
    new = indicators(wh, "BUD")
    assert _row(new, 2021, "dev_budget_spent")["value"] == pytest.approx(0.7)
    assert _row(new, 2022, "dev_budget_surplus")["value"] == -10000
    assert _row(new, 2022, "dev_budget_surplus")["status"] == "at_risk"  # overspent
    assert _row(new, 2022, "dev_budget_spent")["value"] == pytest.approx(140000 / 130000)
    assert _row(new, 2022, "dev_budget_spent")["status"] == "at_risk"  # above the available budget
    assert _row(new, 2023, "dev_budget_spent")["value"] == pytest.approx(85000 / 90000)
    assert _row(new, 2023, "dev_budget_surplus")["value"] == 5000
    assert indicators(wh, "BUD", as_of="2022-12-30").is_empty()  # nothing delivered describes that date


def test_change_since_the_previous_delivery(budget_db: Path) -> None:
    df = indicators(Warehouse(budget_db), "BUD")
    row = _row(df, 2021, "dev_budget_spent")
    assert (row["previous_value"], row["value"]) == (pytest.approx(0.8), pytest.approx(0.7))
    assert row["change"] == pytest.approx(-0.1)
    row = _row(df, 2022, "dev_budget_surplus")
    assert (row["previous_value"], row["value"], row["change"]) == (-20000, -10000, 10000)


def test_indicator_changes_lists_what_changed(budget_db: Path) -> None:
    ch = indicator_changes(Warehouse(budget_db), "BUD")
    got = {(r["year"], r["indicator"]): (r["previous_value"], r["value"]) for r in ch.to_dicts()}
    assert got[(2021, "dev_budget_surplus")] == (20000, 30000)
    assert got[(2023, "dev_budget_surplus")] == (None, 5000)  # unknown before, known now
    assert (2021, "kernteam_meetings") not in got  # no Bijeenkomsten: no data then and now
    assert str(ch["since"][0]) == "2023-12-30"
    assert len(got) == 6  # spent and surplus in 2021, 2022 and 2023


def test_first_delivery_has_no_previous_value(tst: pl.DataFrame) -> None:
    row = _row(tst, 2022, "kernteam_meetings")
    assert (row["previous_value"], row["change"]) == (None, None)


def test_unknown_deal(wh: Warehouse) -> None:
    with pytest.raises(UnknownDeal):
        indicators(wh, "NOPE")


def test_deals(wh: Warehouse) -> None:
    d = deals(wh).select("code", "name", "start", "end", "peildatum").to_dicts()
    assert [(r["code"], r["name"], str(r["start"]), str(r["peildatum"])) for r in d] == [
        ("MIN", "Kleine deal", "None", "2022-06-30"),
        ("TST", "Testdeal", "2021-01-01", "2022-06-30"),
    ]


# --- the rules on their own -----------------------------------------------------------------------------


def test_status_rules_above_maximum() -> None:
    # more meetings than the maximum is fine; more partners than the maximum needs attention
    assert status_of(BY_CODE["work_sessions"], 11, 6, 9) == "on_target"
    assert status_of(BY_CODE["partners"], 36, 25, 35) == "at_risk"
    assert status_of(BY_CODE["partners"], 35, 25, 35) == "on_target"


def test_status_bands_below_minimum() -> None:
    assert status_of(BY_CODE["attendance_rate"], 0.61, 0.7, None) == "at_risk"  # within 10 points
    assert status_of(BY_CODE["attendance_rate"], 0.59, 0.7, None) == "off_target"
    assert status_of(BY_CODE["contacts"], 416, 462, None) == "at_risk"  # band 10% of 462 = 46
    assert status_of(BY_CODE["contacts"], 415, 462, None) == "off_target"
    assert status_of(BY_CODE["kernteam_meetings"], 5, 6, 6) == "at_risk"  # band at least one
    assert status_of(BY_CODE["kernteam_meetings"], 4, 6, 6) == "off_target"
    assert status_of(BY_CODE["dev_budget_surplus"], -1, None, None) == "at_risk"
    assert status_of(BY_CODE["dev_budget_surplus"], None, None, None) == "no_data"


def test_dutch_number_format() -> None:
    assert format_value(0.78, "ratio") == "78%"
    assert format_value(12345.6, "euro") == "€ 12.346"
    assert format_value(-10000, "euro") == "-€ 10.000"
    assert format_value(1234, "count") == "1.234"
    assert format_value(None, "count") == "–"


# --- Warehouse --------------------------------------------------------------------------------------------


def test_warehouse_reopens_after_a_load_and_bounds_its_cache(tmp_path: Path, full_db: Path) -> None:
    db = tmp_path / "w.duckdb"
    shutil.copy(full_db, db)
    wh = Warehouse(db, cache_entries=2)
    before = wh.version
    assert wh.sql("deals")["code"].to_list() == ["MIN", "TST"]
    wh.sql("indicator_values", deal="TST", year=2021)
    wh.sql("indicator_values", deal="TST", year=2022)
    assert len(wh._cache) == 2
    load(db, tmp_path / "new.xlsx", {"Deal": [["Code", "Naam", "Peildatum"], ["NEW", "Nieuwe deal", D(2022, 1, 31)]]})
    assert wh.version != before
    assert wh.sql("deals")["code"].to_list() == ["MIN", "NEW", "TST"]


def test_warehouse_errors(tmp_path: Path, full_db: Path) -> None:
    with pytest.raises(MissingDatabase):
        Warehouse(tmp_path / "nope.duckdb")
    with pytest.raises(UnknownQuery):
        Warehouse(full_db).sql("../etc/passwd")


def test_warehouse_is_safe_across_threads(full_db: Path) -> None:
    wh = Warehouse(full_db, cache_entries=0)
    results: list[int] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            results.append(wh.sql("indicator_values", deal="TST").height)
            for _ in range(4):
                results.append(wh.sql("deals").height)
        except BaseException as e:  # noqa: BLE001 - collected and asserted below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results) == [2] * 16 + [54] * 4


# --- CLI ------------------------------------------------------------------------------------------------


def test_cli_indicators_json(full_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["indicators", "--deal", "TST", "--year", "2022", "--db", str(full_db), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out) == 18
    assert out[0] == {**out[0], "indicator": "kernteam_meetings", "year": 2022, "value": 3, "target_min": 6,
                      "target_max": 6, "status": "on_target"}
    assert {"indicator", "year", "value", "target_min", "target_max", "status"} <= set(out[0])
    assert {r["status"] for r in out} <= {"on_target", "at_risk", "off_target", "no_data"}
    spent = next(r for r in out if r["indicator"] == "dev_budget_spent")
    assert (spent["value"], spent["status"]) == (None, "no_data")


def test_cli_indicators_every_year_and_as_of(full_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["indicators", "--deal", "TST", "--db", str(full_db), "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 54
    assert main(["indicators", "--deal", "TST", "--db", str(full_db), "--as-of", "30-06-2022", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 54


def test_cli_indicators_text_in_dutch(full_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["indicators", "--deal", "TST", "--year", "2022", "--db", str(full_db)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("TST — Testdeal, peildatum 30-06-2022")
    line = next(x for x in out.splitlines() if x.startswith("Kernteamoverleggen gehouden"))
    assert "3 (verwacht tot nu: 3)" in line and "6 per jaar" in line and "op koers" in line
    line = next(x for x in out.splitlines() if x.startswith("Opkomst bij gehouden bijeenkomsten"))
    assert "67%" in line and "minstens 60%" in line
    assert "geen gegevens: Gerealiseerd is nog niet (voor alle posten) bekend" in out


def test_cli_errors(full_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["indicators", "--deal", "NOPE", "--db", str(full_db), "--json"]) == 1
    assert "deal 'NOPE' staat niet in de database (bekende deals: MIN, TST)" in capsys.readouterr().err
    assert main(["indicators", "--deal", "TST", "--db", str(tmp_path / "geen.duckdb"), "--json"]) == 1
    err = capsys.readouterr().err
    assert "bestaat niet" in err and "stuurhut demo" in err and "stuurhut load" in err
    assert main(["deals", "--db", str(tmp_path / "geen.duckdb"), "--json"]) == 1
    assert "stuurhut demo" in capsys.readouterr().err
    assert main(["indicators", "--deal", "TST", "--db", str(full_db), "--as-of", "gisteren"]) == 2
    assert "ongeldige datum" in capsys.readouterr().err
    assert main(["indicators", "--deal", "TST", "--year", "2030", "--db", str(full_db)]) == 1
    assert "geen gegevens voor 2030" in capsys.readouterr().err


def test_cli_deals_json(full_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deals", "--db", str(full_db), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {"code": "MIN", "name": "Kleine deal", "start": None, "end": None, "peildatum": "2022-06-30"},
        {"code": "TST", "name": "Testdeal", "start": "2021-01-01", "end": "2023-12-31", "peildatum": "2022-06-30"},
    ]
    assert main(["deals", "--db", str(full_db)]) == 0
    assert "TST   Testdeal     01-01-2021  31-12-2023  30-06-2022" in capsys.readouterr().out


def test_cli_start_does_not_import_streamlit() -> None:
    import subprocess
    import sys

    code = ("import sys, etl.cli, dashboard.queries.cli; "
            "print(any(m.split('.')[0] in ('streamlit', 'altair') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_status_words_match_the_dashboard_theme():
    # one status vocabulary for CLI, dashboard and slides
    from dashboard import theme
    from dashboard.queries.indicators import STATUS_EN, STATUS_NL

    for code, word in STATUS_NL.items():
        assert theme.STATUSES[code].word_nl == word
        assert theme.STATUSES[code].word_en == STATUS_EN[code]


@pytest.mark.parametrize("year,delayed,value,fraction,complete,status", [
    (2022, 0.0, 0.0, 0.5, False, "on_target"),  # nothing gereed yet, nothing late: fine before 2023
    (2022, 1 / 14, 0.0, 0.5, False, "at_risk"),  # one of 14 vertraagd
    (2022, 4 / 14, 0.0, 0.5, False, "off_target"),  # 29% vertraagd, at least a quarter
    (2023, 0.0, 5 / 14, 181 / 365, False, "off_target"),  # final year: expected 0.496; 0.357 is 14 points short
    (2023, 0.0, 0.45, 181 / 365, False, "at_risk"),  # 0.45 is below 0.496 but within 10 points
    (2023, 0.0, 0.5, 181 / 365, False, "on_target"),
    (2023, 0.0, 13 / 14, 1.0, True, "at_risk"),  # year complete: expected 100%; 0.929 within 10 points
    (2023, 0.0, 1.0, 1.0, True, "on_target"),
])
def test_end_results_interim_and_final_year(year, delayed, value, fraction, complete, status) -> None:
    from dashboard.queries.indicators import _assess

    row = {"indicator": "end_results_ready", "deal": "X", "year": year, "value": value, "reference_value": delayed,
           "has_override": False, "year_fraction": fraction, "year_complete": complete, "deal_fraction": 0.6,
           "last_year": 2023, "year_started": True, "source_file": "f.xlsx", "source_sheet": "Eindresultaten",
           "delivered_at": None, "ref_date": None, "cutoff": None}
    assert _assess(row)["status"] == status


def test_target_notes_explain_interim_and_untargeted_indicators() -> None:
    from dashboard.components import target_text
    from dashboard.queries.indicators import _assess

    base = {"deal": "X", "has_override": False, "year_fraction": 0.5, "year_complete": False, "deal_fraction": 0.5,
            "last_year": 2023, "year_started": True, "source_file": "f.xlsx", "source_sheet": "S",
            "delivered_at": None, "ref_date": None, "cutoff": None, "reference_value": 0.0}
    interim = _assess({**base, "indicator": "end_results_ready", "year": 2022, "value": 0.0})
    assert target_text(interim) == "Doel: minstens 100% in 2023; tot dan telt of er eindresultaten vertraagd zijn"
    surplus = _assess({**base, "indicator": "dev_budget_surplus", "year": 2022, "value": 1200.0})
    assert target_text(surplus) == "Ter informatie, geen doel; negatief betekent overbesteed"
    final = _assess({**base, "indicator": "end_results_ready", "year": 2023, "value": 0.5})
    assert target_text(final) == "Doel: minstens 100% · verwacht op de peildatum: 50%"
