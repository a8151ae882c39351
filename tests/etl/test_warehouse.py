"""Warehouse models (etl/sql): given tiny hand-made deliveries loaded by the real loader, expect hand-counted marts."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from etl.catalogue import CODES
from etl.contract import SHEETS
from etl.load import rollback
from etl.warehouse import SQL_DIR, model_files
from tests.dashboard.conftest import D, build_budget_db, build_full_db


@pytest.fixture(scope="module")
def dbs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("wh")
    return {"full": build_full_db(d), "budget": build_budget_db(d)}


@pytest.fixture(scope="module")
def con(dbs: dict[str, Path]) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(dbs["full"]), read_only=True)


@pytest.fixture(scope="module")
def bud(dbs: dict[str, Path]) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(dbs["budget"]), read_only=True)


def rows(con: duckdb.DuckDBPyConnection, sql: str, **params) -> list[tuple]:
    return con.execute(sql, params).fetchall() if params else con.execute(sql).fetchall()


# --- the models themselves ------------------------------------------------------------------------------


def test_every_model_file_has_a_grain_comment_and_only_create_or_replace() -> None:
    files = model_files()
    assert len(files) >= 30
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("-- grain: "), path.name
        statements = [s for s in re.sub(r"--[^\n]*", "", text).split(";") if s.strip()]
        assert len(statements) == 1 and statements[0].strip().startswith("CREATE OR REPLACE MACRO"), path.name


def test_indicator_and_sheet_lists_mirror_catalogue_and_contract() -> None:
    iv = (SQL_DIR / "marts" / "90_indicator_values.sql").read_text(encoding="utf-8")
    spec = iv[iv.index("spec(indicator"):iv.index("kinds(indicator")]
    assert re.findall(r"\('(\w+)', '\w+', '\w+', \d+\)", spec) == list(CODES)
    fr = (SQL_DIR / "marts" / "10_freshness.sql").read_text(encoding="utf-8")
    assert re.findall(r"\('(\w+)', '(\w+)', \d+\)", fr) == [(m.sheet, m.table) for m in SHEETS]


# --- as-of semantics -------------------------------------------------------------------------------------


def test_current_delivery_as_of_a_date(bud: duckdb.DuckDBPyConnection) -> None:
    q = "SELECT file, peildatum FROM stg_deliveries('BUD', CAST($d AS DATE)) WHERE sheet = 'Begroting'"
    assert [(f, str(p)) for f, p in rows(bud, q, d=None)] == [("bud2.xlsx", "2023-12-31")]
    assert [(f, str(p)) for f, p in rows(bud, q, d="2023-12-30")] == [("bud1.xlsx", "2022-12-31")]
    assert [(f, str(p)) for f, p in rows(bud, q, d="2022-12-31")] == [("bud1.xlsx", "2022-12-31")]
    assert rows(bud, q, d="2022-12-30") == []


def test_a_rolled_back_delivery_is_no_longer_current(tmp_path: Path, dbs: dict[str, Path]) -> None:
    db = tmp_path / "rb.duckdb"
    shutil.copy(dbs["budget"], db)
    with duckdb.connect(str(db), read_only=True) as c:
        (did,) = c.execute("SELECT delivery_id FROM meta.deliveries WHERE file = 'bud2.xlsx' AND sheet = 'Begroting'"
                           ).fetchone()
    rollback(db, did)
    with duckdb.connect(str(db), read_only=True) as c:
        got = c.execute("SELECT year, realised FROM budget_carry_over('BUD', NULL) "
                        "WHERE cost_type = 'ontwikkeling' ORDER BY year").fetchall()
    assert [(y, None if r is None else int(r)) for y, r in got] == [(2021, 80000), (2022, 140000), (2023, None)]


# --- staging ----------------------------------------------------------------------------------------------


def test_meeting_status_is_derived_from_the_peildatum(con: duckdb.DuckDBPyConnection) -> None:
    got = rows(con, "SELECT meeting_id, status, status_derived FROM stg_meetings('TST', NULL) "
                    "WHERE meeting_id IN ('K22-3', 'K22-X', 'K22-4') ORDER BY meeting_id")
    assert got == [("K22-3", "gehouden", True), ("K22-4", "gepland", True), ("K22-X", "geannuleerd", False)]


def test_attendance_present_defaults_to_ja(con: duckdb.DuckDBPyConnection) -> None:
    got = rows(con, "SELECT present, partner_kind FROM stg_attendance('TST', NULL) "
                    "WHERE meeting_id = 'K22-1' AND organisation = 'Gemeente Cestrum'")
    assert got == [("ja", "gemeente")]


def test_deal_years(con: duckdb.DuckDBPyConnection) -> None:
    got = rows(con, "SELECT deal, year, CAST(cutoff AS VARCHAR), year_started, round(year_fraction, 4) "
                    "FROM stg_deal_years(NULL, NULL) ORDER BY deal, year")
    assert got == [
        ("MIN", 2022, "2022-06-30", True, 0.4959),  # no Start/Einde: the years in the data (181/365)
        ("TST", 2021, "2021-12-31", True, 1.0),
        ("TST", 2022, "2022-06-30", True, 0.4959),
        ("TST", 2023, "2022-06-30", False, 0.0),
    ]


# --- marts -----------------------------------------------------------------------------------------------


def test_meetings_summary(con: duckdb.DuckDBPyConnection) -> None:
    got = rows(con, "SELECT held, planned, cancelled, meetings FROM meetings_summary('TST', NULL) "
                    "WHERE year = 2022 AND meeting_kind = 'kernteam'")
    assert got == [(3, 1, 1, 5)]


def test_attendance_summary_per_organisation(con: duckdb.DuckDBPyConnection) -> None:
    got = rows(con, "SELECT organisation, partner_kind, attendance_rows, present, absent, excused, "
                    "round(attendance_rate, 4) FROM attendance_summary('TST', NULL) WHERE year = 2022 ORDER BY organisation")
    assert got == [
        ("Gemeente Aadorp", "gemeente", 2, 2, 0, 0, 1.0),  # K22-X (cancelled) and K22-4 (planned) left out
        ("Gemeente Cestrum", "gemeente", 1, 1, 0, 0, 1.0),
        ("Kennisinstituut", "kennisinstelling", 1, 0, 0, 1, 0.0),  # afgemeld is absent, shown apart
        ("Ministerie van Voorbeelden", "rijk", 2, 1, 1, 0, 0.5),
    ]


def test_budget_carry_over_three_years_with_overspending_and_a_correction(bud: duckdb.DuckDBPyConnection) -> None:
    q = ("SELECT year, cost_type, budgeted, realised, carried_in, available, surplus, overspent, unspent "
         "FROM budget_carry_over('BUD', CAST($d AS DATE)) ORDER BY cost_type DESC, year")

    def money(r: tuple) -> tuple:
        return tuple(None if v is None else int(v) if not isinstance(v, bool | str) else v for v in r)

    # after the correction (peildatum 31-12-2023)
    assert [money(r) for r in rows(bud, q, d=None)] == [
        (2021, "ontwikkeling", 100000, 70000, 0, 100000, 30000, False, None),
        (2022, "ontwikkeling", 100000, 140000, 30000, 130000, -10000, True, None),
        (2023, "ontwikkeling", 100000, 85000, -10000, 90000, 5000, False, 5000),  # unspent after the last year
        (2021, "basis", 50000, 40000, 0, 50000, 10000, False, None),
        (2022, "basis", 50000, 50000, 0, 50000, 0, False, None),  # basis does not carry the 10.000 over
    ]
    # as of a date before the correction: the first delivery
    assert [money(r) for r in rows(bud, q, d="2023-06-30")][:3] == [
        (2021, "ontwikkeling", 100000, 80000, 0, 100000, 20000, False, None),
        (2022, "ontwikkeling", 100000, 140000, 20000, 120000, -20000, True, None),
        (2023, "ontwikkeling", 100000, None, -20000, 80000, None, None, None),  # realised not yet known
    ]


def test_unknown_realised_makes_the_rest_of_the_chain_unknown(con: duckdb.DuckDBPyConnection) -> None:
    got = rows(con, "SELECT year, CAST(carried_in AS INTEGER), CAST(available AS INTEGER), CAST(surplus AS INTEGER), "
                    "posts_unknown FROM budget_carry_over('TST', NULL) WHERE cost_type = 'ontwikkeling' ORDER BY year")
    assert got == [(2021, 0, 100000, 10000, 0), (2022, 10000, 130000, None, 1), (2023, None, None, None, 1)]


def test_contributions_by_funder(con: duckdb.DuckDBPyConnection) -> None:
    got = rows(con, "SELECT organisation, partner_kind, CAST(promised AS INTEGER), CAST(received AS INTEGER), "
                    "CAST(outstanding AS INTEGER) FROM contributions_by_funder('TST', NULL) ORDER BY organisation")
    assert got == [("Gemeente Aadorp", "gemeente", 25000, 25000, 0),
                   ("Ministerie van Voorbeelden", "rijk", 75000, 50000, 25000)]


def test_survey_marts(con: duckdb.DuckDBPyConnection) -> None:
    assert rows(con, "SELECT wave, respondents, previous_respondents, change FROM survey_waves('TST', NULL) ORDER BY wave") \
        == [("2021-11", 6, None, None), ("2022-05", 5, 6, -1)]
    assert rows(con, "SELECT wave, question_code, theme, respondents, mean_score, change, suppressed "
                     "FROM survey_questions('TST', NULL) ORDER BY question_code, wave") == [
        ("2021-11", "V1", "Samenwerking", 6, 3.5, None, False),  # 3,3,4,4,3,4
        ("2022-05", "V1", "Samenwerking", 5, 4.0, 0.5, False),  # 4,4,5,3,4
        ("2021-11", "V2", "Kennis", 6, 4.0, None, False),
    ]
    assert rows(con, "SELECT answer, answers, share FROM survey_distribution('TST', NULL) "
                     "WHERE wave = '2022-05' ORDER BY score") == [("neutraal", 1, 0.2), ("eens", 3, 0.6), ("helemaal eens", 1, 0.2)]
    assert rows(con, "SELECT group_type, group_value, respondents, suppressed FROM survey_groups('TST', NULL) "
                     "WHERE wave = '2022-05' ORDER BY group_type, group_value") == [
        ("onderdeel", "OT2", 5, False),
        ("organisatiesoort", "gemeente", 3, True),  # fewer than 5: pages must not show it
        ("organisatiesoort", "rijk", 2, True),
    ]
    assert rows(con, "SELECT respondents, mean_score, change FROM survey_themes('TST', NULL) "
                     "WHERE wave = '2022-05' AND theme = 'Samenwerking'") == [(5, 4.0, 0.5)]


def test_milestones_by_part(con: duckdb.DuckDBPyConnection) -> None:
    got = rows(con, "SELECT part, milestones, due, done, late, done_on_time, round(on_time_share, 4) "
                    "FROM milestones_by_part('TST', NULL) ORDER BY part")
    assert got == [
        ("AT", 1, 0, 0, 0, 0, None),  # vervallen: never due
        ("OT1", 4, 3, 3, 1, 2, 0.6667),  # Toetsingskader gereed after its planned date
        ("OT2", 4, 4, 3, 1, 3, 0.75),  # Volwassenheidsmodel (2022-Q1) still loopt
    ]
    late = rows(con, "SELECT milestone FROM milestone_flags('TST', NULL) WHERE is_late ORDER BY milestone")
    assert late == [("Toetsingskader concept",), ("Volwassenheidsmodel v1",)]


def test_end_results_by_part(con: duckdb.DuckDBPyConnection) -> None:
    got = rows(con, "SELECT part, end_results, ready, running, dropped, ready_share, round(mean_progress, 4) "
                    "FROM end_results_by_part('TST', NULL) ORDER BY part")
    assert got == [("AT", 1, 0, 0, 1, None, None), ("OT1", 2, 1, 1, 0, 0.5, 0.75), ("OT2", 1, 0, 1, 0, 0.0, 0.4)]


def test_open_bottlenecks_most_severe_first(con: duckdb.DuckDBPyConnection) -> None:
    assert rows(con, "SELECT severity, status FROM bottlenecks_open('TST', NULL)") == [
        ("hoog", "open"), ("middel", "in behandeling")]
    assert rows(con, "SELECT severity, open_bottlenecks, in_progress FROM bottlenecks_by_severity('TST', NULL) "
                     "ORDER BY severity_rank") == [("hoog", 1, 0), ("middel", 1, 1)]


def test_communication_contacts_partners_self_assessment(con: duckdb.DuckDBPyConnection) -> None:
    assert rows(con, "SELECT channel, items, reach FROM communication_by_channel('TST', NULL) WHERE year = 2022 "
                     "ORDER BY channel") == [("nieuwsbrief", 4, 1350), ("teamupdate", 1, 120), ("werkboek", 1, None)]
    assert rows(con, "SELECT tag, contacts FROM contacts_by_tag('TST', NULL) ORDER BY tag NULLS LAST") == [
        ("OT1", 2), ("OT2", 1), ("kernteam", 2), (None, 1)]
    assert rows(con, "SELECT year, partner_kind, active, joined, \"left\" FROM partners_by_year('TST', NULL) "
                     "WHERE partner_kind = 'gemeente' ORDER BY year") == [(2021, "gemeente", 2, 2, 0),
                                                                          (2022, "gemeente", 2, 1, 1),
                                                                          (2023, "gemeente", 0, 0, 0)]
    assert rows(con, "SELECT wave, theme, score, previous_score, change FROM self_assessment_scores('TST', NULL) "
                     "ORDER BY theme, wave") == [("2022-06", "Kennisdeling", 2, None, None),
                                                 ("2021-12", "Samenwerking", 3, None, None),
                                                 ("2022-06", "Samenwerking", 4, 3, 1)]


def test_freshness(con: duckdb.DuckDBPyConnection) -> None:
    q = "SELECT sheet, file, rows, state FROM freshness($deal, CAST($d AS DATE)) ORDER BY sheet_order"
    tst = rows(con, q, deal="TST", d="2022-07-15")
    assert len(tst) == 16 and {r[3] for r in tst} == {"actueel"}
    assert tst[5] == ("Bijeenkomsten", "tst.xlsx", 39, "actueel")  # 25 meetings in 2021, 14 in 2022
    assert {r[3] for r in rows(con, q, deal="TST", d="2022-10-01")} == {"verouderd"}  # peildatum > 3 months before
    small = rows(con, q, deal="MIN", d=None)
    assert [r[0] for r in small if r[3] == "ontbreekt"] == [m.sheet for m in SHEETS if m.sheet not in ("Deal", "Bijeenkomsten")]


def test_theme_means_use_likert_answers_only(tmp_path: Path) -> None:
    # a theme with a Likert question and an hours question: the 1-5 mean must not include the hours
    from tests.dashboard.conftest import load

    db = tmp_path / "s.duckdb"
    load(db, tmp_path / "s.xlsx", {
        "Deal": [["Code", "Naam", "Peildatum"], ["SRV", "Enquêtedeal (fictief)", D(2022, 6, 30)]],
        "Vragen": [["Code", "Vraag", "Schaal", "Thema"], ["V1", "Tevreden", "likert5", "Netwerk"],
                   ["V2", "Uren per maand", "getal", "Netwerk"]],
        "Enquete": [["Respondent", "Meting", "Vraag", "Antwoord"], ["R1", "2022-05", "V1", "eens"],
                    ["R1", "2022-05", "V2", "40"], ["R2", "2022-05", "V1", "helemaal eens"], ["R2", "2022-05", "V2", "8"]],
    })
    con = duckdb.connect(str(db), read_only=True)
    assert rows(con, "SELECT respondents, mean_score FROM survey_themes('SRV', NULL)") == [(2, 4.5)]  # (4 + 5) / 2
