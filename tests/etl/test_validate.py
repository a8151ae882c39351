"""Validation per sheet: literal Dutch messages, Excel row numbers and Dutch column names."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

import polars as pl
import pytest

from etl.contract import (
    Attendance,
    Budget,
    Contribution,
    Deal,
    Meeting,
    Milestone,
    Part,
    SelfAssessment,
    SurveyAnswer,
)
from etl.problems import RawSheet
from etl.validate import MAX_MESSAGES, Context, validate


def raw(model, data: dict, first_row: int = 2, **extra) -> RawSheet:
    n = len(next(iter(data.values())))
    frame = pl.DataFrame({"__row": list(range(first_row, first_row + n)), **data}, strict=False)
    return RawSheet("levering.xlsx", model.sheet, model, frame, "0" * 64, first_row - 1, extra)


def errors(problems):
    return [(p.row, p.column, p.message) for p in problems if p.severity == "error"]


def warnings(problems):
    return [(p.row, p.column, p.message) for p in problems if p.severity == "warning"]


PARTS = Context(refs={"Onderdelen.code": pl.Series(["OT1", "OT2", "KT"])})


def test_budget_good_typed_frame():
    typed, problems = validate(raw(Budget, {
        "year": [2022, 2022], "cost_type": ["Ontwikkeling", "basis"], "post": ["Atelier", "Secretariaat"],
        "part": ["ot1", None], "budgeted": [10000, 2500.5], "realised": [4000.25, None],
    }), PARTS)
    assert problems == []
    assert typed.columns == ["source_row", "year", "cost_type", "post", "part", "budgeted", "realised", "note"]
    assert typed["source_row"].to_list() == [2, 3]
    assert typed["cost_type"].to_list() == ["ontwikkeling", "basis"]
    assert typed["part"].to_list() == ["OT1", None]  # case-only difference takes the Onderdelen spelling
    assert typed["budgeted"].to_list() == [Decimal("10000.00"), Decimal("2500.50")]
    assert typed.schema["year"] == pl.Int32


def test_budget_bad_values():
    _, problems = validate(raw(Budget, {
        "year": [2022, 1899, 2022, 2022], "cost_type": ["ontwikkeling", "reiskosten", "basis", "basis"],
        "post": ["Atelier", "Reizen", None, "Huur"], "part": ["OT1", None, None, "OT9"],
        "budgeted": ["twaalf", 10, 5, -5], "realised": [None, None, None, None],
    }, first_row=5), PARTS)
    assert errors(problems) == [
        (6, "Jaar", "Jaar 1899 ligt niet tussen 2000 en 2100; vul een jaartal zoals 2022 in"),
        (6, "Kostensoort", "'reiskosten' is geen geldige Kostensoort; kies uit: basis, ontwikkeling"),
        (7, "Post", "Kolom Post is verplicht: vul een tekst in"),
        (5, "Begroot", "'twaalf' is geen bedrag; verwacht een bedrag zoals 1.234,56 of € 1.234"),
        (8, "Begroot", "Begroot -5 is negatief; vul een bedrag van 0 of meer in"),
        (8, "Onderdeel", "Onderdeel 'OT9' staat niet op het tabblad Onderdelen (kolom Code); "
                         "gebruik een bestaande Code of voeg de rij daar toe"),
    ]
    assert all(p.sheet == "Begroting" and p.file == "levering.xlsx" for p in problems)


def test_required_empty_message_names_the_kind():
    _, problems = validate(raw(Budget, {
        "year": [2022], "cost_type": ["basis"], "post": ["Huur"], "budgeted": [None],
    }), PARTS)
    assert errors(problems) == [(2, "Begroot", "Kolom Begroot is verplicht: vul een bedrag in")]


def test_missing_required_column_is_one_sheet_problem():
    _, problems = validate(raw(Budget, {"year": [2022, 2023], "cost_type": ["basis", "basis"], "post": ["a", "b"]}),
                           PARTS)
    assert errors(problems) == [(None, "Begroot", "Kolom Begroot ontbreekt op dit tabblad: voeg een kolom Begroot toe")]


def test_duplicate_key_names_both_rows():
    _, problems = validate(raw(Meeting, {
        "id": ["M-11", "M-12", "M-13", "M-12"], "date": [dt.date(2022, 1, d) for d in (3, 4, 5, 6)],
        "kind": ["kernteam"] * 4,
    }, first_row=5), Context())
    assert errors(problems) == [
        (8, "ID", "ID M-12 komt twee keer voor (rij 6 en 8); elke ID mag maar één keer voorkomen"),
    ]


def test_duplicate_composite_key_counts_three():
    _, problems = validate(raw(Budget, {
        "year": [2022] * 3, "cost_type": ["basis"] * 3, "post": ["Huur"] * 3, "budgeted": [1, 2, 3],
    }), PARTS)
    assert errors(problems) == [
        (3, "Jaar", "De combinatie Jaar 2022, Kostensoort basis, Post Huur, Onderdeel (leeg) komt drie keer voor "
                    "(rij 2, 3 en 4); maak de rijen uniek of voeg ze samen"),
    ]


def test_meeting_status_kept_as_delivered():
    typed, problems = validate(raw(Meeting, {
        "id": ["M-1", "M-2"], "date": [dt.date(2022, 1, 3), dt.date(2030, 1, 1)], "kind": ["Kernteam", "werksessie"],
        "status": [None, "Geannuleerd"], "form": ["online", "op de maan"],
    }), Context())
    assert typed["status"].to_list() == [None, "geannuleerd"]
    assert errors(problems) == [(3, "Vorm", "'op de maan' is geen geldige Vorm; kies uit: online, fysiek, hybride")]


def test_attendance_references_meetings():
    ctx = Context(refs={"Bijeenkomsten.id": pl.Series(["M-1", "M-2"])})
    typed, problems = validate(raw(Attendance, {
        "meeting": ["M-1", "M-3", None], "participant": ["Deelnemer 1", "Deelnemer 2", "Deelnemer 3"],
        "organisation": ["Gemeente A", "Gemeente B", "Gemeente C"], "present": ["ja", None, "misschien"],
    }), ctx)
    assert errors(problems) == [
        (4, "Bijeenkomst", "Kolom Bijeenkomst is verplicht: vul een code in"),
        (4, "Aanwezig", "'misschien' is geen geldige Aanwezig; kies uit: ja, nee, afgemeld"),
        (3, "Bijeenkomst", "Bijeenkomst 'M-3' staat niet op het tabblad Bijeenkomsten (kolom ID); "
                           "gebruik een bestaande ID of voeg de rij daar toe"),
    ]


def test_reference_to_undelivered_sheet_is_a_warning():
    _, problems = validate(raw(Budget, {
        "year": [2022], "cost_type": ["basis"], "post": ["Huur"], "part": ["OT1"], "budgeted": [5],
    }), Context())
    assert errors(problems) == []
    assert warnings(problems) == [(None, "Onderdeel", "Onderdeel kon niet worden gecontroleerd: het tabblad "
                                                      "Onderdelen is nog niet aangeleverd voor deze deal")]


def test_contribution_references_partners_case_insensitively():
    ctx = Context(refs={"Partners.organisation": pl.Series(["Gemeente Utrecht", "Ministerie van BZK"])})
    typed, problems = validate(raw(Contribution, {
        "year": [2022, 2022], "organisation": ["gemeente utrecht", "Gemeente Urk"], "cost_type": ["basis", "basis"],
        "promised": [100, 200],
    }), ctx)
    assert typed["organisation"][0] == "Gemeente Utrecht"
    assert errors(problems) == [
        (3, "Organisatie", "Organisatie 'Gemeente Urk' staat niet op het tabblad Partners (kolom Organisatie); "
                           "gebruik een bestaande Organisatie of voeg de rij daar toe"),
    ]


def test_deal_must_have_one_row():
    _, problems = validate(raw(Deal, {"code": ["CDOR", "CDX"], "name": ["a", "b"]}), Context())
    assert errors(problems) == [
        (3, None, "Tabblad Deal heeft 2 rijen (rij 2 en 3); laat er één over: één deal per levering"),
    ]
    _, problems = validate(raw(Deal, {"code": [], "name": []}), Context())
    assert errors(problems) == [(None, None, "Tabblad Deal is leeg: vul één rij in met Code en Naam van de deal")]


def test_milestone_done_after_peildatum_is_a_warning_only():
    ctx = Context(peildatum=dt.date(2022, 6, 30), refs={"Onderdelen.code": pl.Series(["OT1"]),
                                                       "Eindresultaten.id": pl.Series(["ER-1"])})
    typed, problems = validate(raw(Milestone, {
        "part": ["OT1", "OT1"], "milestone": ["Kader af", "Pilot"],
        "planned": [dt.date(2022, 3, 31), dt.date(2022, 1, 31)], "done": [dt.date(2022, 9, 1), dt.date(2022, 5, 1)],
        "status": ["gereed", "gereed"], "progress": [1.0, 140], "end_result": ["ER-1", None],
    }), ctx)
    assert errors(problems) == [(3, "Voortgang", "Voortgang 140 ligt niet tussen 0% en 100%; "
                                                 "vul een percentage zoals 40% in")]
    assert warnings(problems) == [(2, "Gereed", "Gereed 01-09-2022 ligt na de Peildatum 30-06-2022; klopt de datum?")]


def test_self_assessment_score_range():
    _, problems = validate(raw(SelfAssessment, {
        "wave": ["2022-06", "2022-06"], "theme": ["Samenwerking", "Kennisdeling"], "score": [4, 7],
    }), Context())
    assert errors(problems) == [(3, "Score", "Score 7 ligt niet tussen 1 en 5; vul een score van 1 tot en met 5 in")]


def test_survey_gets_score_and_accepts_question_texts():
    typed, problems = validate(raw(SurveyAnswer, {
        "respondent": ["R1", "R1", "R2"], "wave": ["2021-11"] * 3,
        "question": ["V01", "Hoe tevreden bent u over het atelier?", "V01"], "answer": ["Eens", "4", "nee"],
    }), Context())
    assert problems == []
    assert typed.columns[-1] == "score"
    assert typed["score"].to_list() == [4.0, 4.0, 0.0]


def test_survey_wave_from_forms_extra():
    typed, problems = validate(raw(SurveyAnswer, {
        "respondent": ["R1"], "question": ["V01"], "answer": ["eens"],
    }, wave="2021-11"), Context())
    assert problems == []
    assert typed["wave"].to_list() == ["2021-11"]


def test_messages_are_capped_per_column():
    n = MAX_MESSAGES + 812
    _, problems = validate(raw(Part, {"code": [f"P{i}" for i in range(n)], "name": [None] * n, "kind": ["casus"] * n}),
                           Context())
    assert len(problems) == MAX_MESSAGES + 1
    assert problems[-1].row is None
    assert problems[-1].message == "... en nog 812 rijen met hetzelfde probleem"


@pytest.mark.parametrize("n", [100_000])
def test_validation_of_100k_rows_is_fast(n):
    frame = {
        "meeting": [f"M-{i % 500}" for i in range(n)], "participant": [f"Deelnemer {i % 3000}" for i in range(n)],
        "organisation": ["Gemeente A"] * n, "present": ["ja", "nee", None, "afgemeld"] * (n // 4),
    }
    ctx = Context(refs={"Bijeenkomsten.id": pl.Series([f"M-{i}" for i in range(500)])})
    sheet = raw(Attendance, frame)
    start = time.perf_counter()
    typed, problems = validate(sheet, ctx)
    elapsed = time.perf_counter() - start
    assert problems == []
    assert typed.height == n
    assert elapsed < 1.0, elapsed
