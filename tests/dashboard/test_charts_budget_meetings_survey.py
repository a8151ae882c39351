"""Chart builders of the Begroting, Bijeenkomsten and Enquête pages through to_dict(): findings, rows, encodings."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from dashboard import charts


def data(spec: dict) -> list[dict]:
    """Every row of every inline dataset of a spec."""
    return [r for rows in spec["datasets"].values() for r in rows]


def dataset_with(spec: dict, column: str) -> list[dict]:
    found = [rows for rows in spec["datasets"].values() if rows and column in rows[0]]
    assert found, f"no dataset with {column!r}"
    return found[0]


# --- Begroting ---------------------------------------------------------------------------------------

BY_YEAR = pl.DataFrame({
    "year": [2021, 2021, 2022, 2022],
    "cost_type": ["basis", "ontwikkeling", "basis", "ontwikkeling"],
    "budgeted": [50000.0, 100000.0, 50000.0, 120000.0],
    "realised": [50000.0, 90000.0, None, None],
    "realised_so_far": [50000.0, 90000.0, 20000.0, 0.0],
    "posts_unknown": [0, 0, 1, 1],
})

# 2021: 100.000 budgeted, 80.000 spent -> 20.000 over; 2022: 100.000 + 20.000, 140.000 spent -> -20.000;
# 2023 (last year): 100.000 - 20.000 = 80.000 available, realised unknown.
CARRY = pl.DataFrame({
    "year": [2021, 2022, 2023],
    "budgeted": [100000.0, 100000.0, 100000.0],
    "carried_in": [0.0, 20000.0, -20000.0],
    "available": [100000.0, 120000.0, 80000.0],
    "realised": [80000.0, 140000.0, None],
    "realised_so_far": [80000.0, 140000.0, 0.0],
    "posts_unknown": [0, 0, 1],
    "surplus": [20000.0, -20000.0, None],
    "overspent": [False, True, None],
    "is_last_year": [False, False, True],
    "unspent": [None, None, None],
}, schema_overrides={"overspent": pl.Boolean})


def test_budget_by_year_states_the_year_and_marks_unknown_realisation() -> None:
    spec = charts.budget_by_year(BY_YEAR, 2021).to_dict()
    assert spec["title"]["text"] == "2021: € 140.000 van € 150.000 begroot gerealiseerd (93%)"
    rows = data(spec)
    assert len(rows) == 8  # two bars per cost type and year
    by = {(r["category"], r["what"]): r for r in rows}
    assert by[("ontwikkeling 2021", "gerealiseerd")]["label"] == "90%"
    assert by[("ontwikkeling 2022", "gerealiseerd (nog niet alle posten)")]["label"] == "nog onbekend"
    assert by[("basis 2022", "gerealiseerd (nog niet alle posten)")]["label"] == "40%"
    assert spec["layer"][0]["encoding"]["y"]["axis"]["format"] == "$,.0f"
    assert charts.describe_budget_by_year(BY_YEAR, 2022) == (
        "2022: € 20.000 van € 170.000 begroot gerealiseerd tot nu toe (12%); realisatie ontbreekt nog bij 2 post(en)")
    assert charts.describe_budget_by_year(BY_YEAR, 2030) == "Geen begroting voor 2030"


def test_carry_over_waterfall_steps_and_findings() -> None:
    spec = charts.budget_carry_over(CARRY, 2021).to_dict()
    assert spec["title"]["text"] == "€ 20.000 ontwikkelgeld schuift door naar 2022"
    rows = dataset_with(spec, "begin")
    assert [r["step"] for r in rows] == [
        "begroot 2021", "− besteed 2021", "= over 2021",
        "begroot 2022", "+ uit 2021", "− besteed 2022", "= over 2022",
        "begroot 2023", "+ uit 2022", "= beschikbaar 2023",
    ]
    ends = {r["step"]: r["end"] for r in rows}
    assert ends["= over 2021"] == 20000.0
    assert ends["= over 2022"] == -20000.0  # overspending drawn below zero
    assert ends["= beschikbaar 2023"] == 80000.0
    assert {r["step"]: r["label"] for r in rows}["+ uit 2022"] == "-€ 20.000"
    assert charts.describe_budget_carry_over(CARRY, 2022) == (
        "€ 20.000 meer ontwikkelgeld uitgegeven dan beschikbaar in 2022: gaat af van 2023")
    assert charts.describe_budget_carry_over(CARRY, 2023) == (
        "2023: nog niet bekend hoeveel ontwikkelgeld doorschuift (realisatie ontbreekt bij 1 post(en))")
    assert charts.describe_unspent(CARRY) == (
        "Wat er na 2023 onbesteed blijft, is nog niet bekend: van 2023 ontbreekt de realisatie van 1 post(en). "
        "Beschikbaar in 2023: € 80.000.")


def test_unspent_after_the_last_year_in_words() -> None:
    done = CARRY.with_columns(
        realised=pl.Series([80000.0, 140000.0, 75000.0]), surplus=pl.Series([20000.0, -20000.0, 5000.0]),
        unspent=pl.Series([None, None, 5000.0]), posts_unknown=pl.Series([0, 0, 0]))
    assert charts.describe_unspent(done) == "Na 2023, het laatste jaar van de deal, blijft € 5.000 ontwikkelgeld onbesteed."
    assert charts.describe_budget_carry_over(done, 2023) == "€ 5.000 ontwikkelgeld blijft onbesteed na 2023"
    spec = charts.budget_carry_over(done, 2023, lang="en").to_dict()
    assert spec["title"]["text"] == "€ 5,000 of development money left unspent after 2023"


def test_budget_posts_and_funders() -> None:
    posts = pl.DataFrame({"cost_type": ["ontwikkeling", "ontwikkeling", "basis"], "post": ["Ateliers", "OT1", "Secretariaat"],
                          "part": ["AT", "OT1", None], "budgeted": [60000.0, 40000.0, 50000.0],
                          "realised": [50000.0, 10000.0, 50000.0], "difference": [-10000.0, -30000.0, 0.0],
                          "note": [None, "Later gestart", None]})
    spec = charts.budget_posts(posts, 2021).to_dict()
    assert spec["title"]["text"] == "Alle 3 posten binnen de begroting in 2021; het minst besteed: OT1 (25%)"
    assert len(data(spec)) == 6
    over = posts.with_columns(realised=pl.Series([70000.0, 10000.0, 50000.0]))
    assert charts.describe_budget_posts(over, 2021) == "1 van 3 posten boven de begroting in 2021"

    funders = pl.DataFrame({"organisation": ["Ministerie van Voorbeelden", "Gemeente Aadorp"],
                            "partner_kind": ["rijk", "gemeente"], "promised": [75000.0, 25000.0],
                            "received": [50000.0, 25000.0], "outstanding": [25000.0, 0.0]})
    spec = charts.contributions_by_funder(funders, 2021).to_dict()
    assert spec["title"]["text"] == "€ 25.000 van € 100.000 toegezegd voor 2021 nog niet ontvangen (bij 1 financier(s))"
    assert sorted(r["money"] for r in data(spec)) == ["€ 25.000", "€ 25.000", "€ 50.000", "€ 75.000"]
    paid = funders.with_columns(received=pl.col("promised"), outstanding=pl.lit(0.0))
    assert charts.describe_contributions_by_funder(paid, 2021) == "Alle toegezegde bijdragen voor 2021 ontvangen (€ 100.000)"


# --- Bijeenkomsten -----------------------------------------------------------------------------------

VS_TARGET = pl.DataFrame({
    "indicator": ["kernteam_meetings", "directors_meetings", "team_meetings"],
    "meeting_kind": ["kernteam", "directeurenoverleg", "ontwikkelteam"],
    "year": [2022, 2022, 2022],
    "value": [2.0, 1.0, 7.0],
    "target_min": [6.0, 2.0, 6.0], "target_max": [6.0, 2.0, 12.0], "expected_to_date": [3.0, 1.0, 3.0],
    "status": ["off_target", "on_target", "on_target"],
})


def test_meetings_vs_target_title_and_status_words() -> None:
    spec = charts.meetings_vs_target(VS_TARGET, 2022).to_dict()
    assert spec["title"]["text"] == "2 van 6 kernteamoverleggen gehouden in 2022 · 2 van 3 soorten op koers"
    rows = dataset_with(spec, "label")
    assert [r["label"] for r in rows] == ["2022: ✗ uit koers · 2 (doel 6)", "2022: ✓ op koers · 1 (doel 2)",
                                          "2022: ✓ op koers · 7 (doel 6 tot 12)"]
    assert [r["kind"] for r in rows] == ["Kernteam", "Directeurenoverleg", "Ontwikkelteam (minst actieve)"]
    colour = spec["layer"][1]["encoding"]["color"]["scale"]
    assert colour["domain"] == ["uit koers", "risico", "op koers", "geen gegevens"]
    assert charts.describe_meetings_vs_target(VS_TARGET, 2023) == "Nog geen bijeenkomsten om te tellen in 2023"


def test_meetings_timeline_counts_and_rule_at_the_as_of_date() -> None:
    df = pl.DataFrame({
        "meeting_date": [dt.date(2022, 1, 18), dt.date(2022, 3, 15), dt.date(2022, 6, 10), dt.date(2022, 12, 13)],
        "meeting_kind": ["kernteam", "kernteam", "kernteam", "werksessie"],
        "title": ["Kernteam januari", None, "Kernteam juni", "Werksessie"], "part": [None] * 4,
        "form": [None] * 4, "status": ["gehouden", "gehouden", "geannuleerd", "gepland"],
    }, schema_overrides={"part": pl.String, "form": pl.String})
    spec = charts.meetings_timeline(df, 2022, dt.date(2022, 10, 31)).to_dict()
    assert spec["title"]["text"] == "2022: 2 gehouden, 1 gepland, 1 geannuleerd"
    marks = [layer["mark"] for layer in spec["layer"]]
    assert [m["filled"] for m in marks[:3]] == [True, False, True]  # held filled, planned open, cancelled cross
    assert spec["layer"][0]["encoding"]["shape"]["scale"]["range"] == ["circle", "circle", "cross"]
    rule = dataset_with(spec, "d")
    assert rule[0]["label"] == "peildatum 31 oktober 2022"
    assert charts.describe_meetings_timeline(df.head(0), 2022) == "Geen bijeenkomsten in 2022"


ORGS = pl.DataFrame({
    "organisation": ["Gemeente Cestrum", "Ministerie van Voorbeelden", "Gemeente Aadorp"],
    "partner_kind": ["gemeente", "rijk", "gemeente"],
    "invitations": [3, 3, 3], "present": [1, 2, 3], "excused": [1, 0, 0], "absent": [1, 1, 0],
    "rate": [1 / 3, 2 / 3, 1.0],
})


def test_attendance_rate_bars_with_target_line_and_words() -> None:
    spec = charts.attendance_rate(ORGS, "organisation", 0.7).to_dict()
    assert spec["title"]["text"] == "2 van 3 organisaties onder de 70% opkomst"
    rows = dataset_with(spec, "who")
    assert [r["label"] for r in rows] == ["33% (1 van 3) · onder doel", "67% (2 van 3) · onder doel", "100% (3 van 3)"]
    assert dataset_with(spec, "x")[0] == {"x": 0.7, "label": "doel 70%"}
    kinds = pl.DataFrame({"partner_kind": ["gemeente", None], "organisations": [2, 1], "invitations": [6, 3],
                          "present": [4, 3], "excused": [1, 0], "absent": [1, 0], "rate": [4 / 6, 1.0]})
    assert charts.describe_attendance_rate(kinds, "partner_kind", 0.6) == "Laagste opkomst per soort partner: gemeente (67%)"
    assert [r["who"] for r in dataset_with(charts.attendance_rate(kinds, "partner_kind", 0.6).to_dict(), "who")] == [
        "gemeente", "geen partner"]


def test_absentees_finding_names_an_organisation_never_a_person() -> None:
    assert charts.describe_absentees(ORGS) == "Gemeente Cestrum was het minst vaak aanwezig: 1 van 3 keer (33%)."
    assert charts.describe_absentees(ORGS.head(0)) == "Geen organisatie onder het doel: niemand blijft structureel weg."


# --- Enquête -----------------------------------------------------------------------------------------

MEANS = pl.DataFrame({
    "wave": ["2021-11", "2021-11", "2022-05", "2022-05", "2022-05"],
    "question_code": ["V1", "V2", "V1", "V2", "V5"],
    "question_text": ["Samenwerking", "Kennis", "Samenwerking", "Kennis", "Klein"],
    "theme": ["S", "K", "S", "K", "K"],
    "respondents": [6, 6, 11, 11, 3],
    "suppressed": [False, False, False, False, True],
    "mean_score": [3.5, 4.0, 4.0, 45 / 11, None],
    "previous_wave": [None, None, "2021-11", "2021-11", None],
    "previous_mean": [None, None, 3.5, 4.0, None],
    "change": [None, None, 0.5, 45 / 11 - 4.0, None],
}, schema_overrides={"previous_wave": pl.String, "previous_mean": pl.Float64, "change": pl.Float64})


def test_wave_means_compare_the_newest_wave_and_leave_out_suppressed() -> None:
    spec = charts.survey_wave_means(MEANS).to_dict()
    assert spec["title"]["text"] == "2 van 2 vragen hoger dan in 2021-11; grootste stijging: V1 (+0,5)"
    rows = dataset_with(spec, "mean")
    assert len(rows) == 4  # V5 (3 respondents) is not drawn
    assert {(r["question"], r["wave"]): r["delta"] for r in rows}[("V2 Kennis", "2022-05")] == "+0,1"
    assert spec["layer"][1]["encoding"]["color"]["scale"]["range"] == ["#5C6670", "#0072B2"]
    assert charts.describe_survey_wave_means(MEANS.filter(pl.col("wave") == "2021-11")) == (
        "Meting 2021-11: 2 vragen, nog geen eerdere meting om mee te vergelijken")


def test_themes_and_groups_show_means_from_one_never_suppressed_groups() -> None:
    themes = pl.DataFrame({"wave": ["2022-05"] * 2, "theme": ["Samenwerking", "Kennis"], "questions": [1, 2],
                           "respondents": [11, 11], "suppressed": [False, False], "mean_score": [4.0, 51 / 14],
                           "change": [0.5, None]})
    spec = charts.survey_themes(themes).to_dict()
    assert spec["title"]["text"] == "Hoogst: Samenwerking (4,0) · laagst: Kennis (3,6)"
    assert [r["label"] for r in dataset_with(spec, "who")] == ["4,0 (+0,5)", "3,6"]
    assert spec["layer"][0]["encoding"]["x2"] == {"datum": 1}
    assert spec["layer"][0]["encoding"]["x"]["scale"]["domain"] == [1, 5]

    groups = pl.DataFrame({"group_value": ["gemeente", "rijk", "provincie"], "respondents": [6, 3, 2],
                           "suppressed": [False, True, True], "mean_score": [11 / 3, None, None]})
    spec = charts.survey_groups(groups).to_dict()
    assert spec["title"]["text"] == "gemeente: gemiddeld 3,7"
    assert [r["who"] for r in dataset_with(spec, "who")] == ["gemeente"]  # suppressed groups are not even in the data
    all_hidden = groups.with_columns(suppressed=pl.lit(True), mean_score=pl.lit(None, pl.Float64))
    assert charts.survey_groups(all_hidden).to_dict()["title"]["text"] == "Alle groepen kleiner dan 5: niet getoond"


def test_survey_likert_keeps_the_shared_builder_and_sizes_per_question() -> None:
    df = pl.DataFrame({"question": ["V1 (n=5) Samen"] * 2 + ["V2 (n=5) Kennis"] * 2,
                       "answer": ["oneens", "eens", "neutraal", "helemaal eens"], "score": [2, 4, 3, 5],
                       "respondents": [1, 4, 2, 3]})
    spec = charts.survey_likert(df).to_dict()
    assert spec["title"]["text"] == "70% van de antwoorden is positief"
    assert spec["height"] == 2 * 36 + charts.DECORATION  # room for each statement on two lines
    assert "lastindexof(slice(datum.label, 0, 52), ' ')" in spec["layer"][0]["encoding"]["y"]["axis"]["labelExpr"]


@pytest.mark.parametrize("builder", [
    lambda d: charts.budget_by_year(d, 2022), lambda d: charts.attendance_rate(d, "organisation", 0.7),
])
def test_builders_refuse_more_than_5000_rows(builder) -> None:
    big = pl.DataFrame({"year": [2022] * 5001})
    with pytest.raises(ValueError, match="te veel voor een grafiek"):
        builder(big)


def test_carry_over_of_a_year_in_progress_is_called_provisional() -> None:
    # October 2022: what is left of 2022 is spending so far, not money that has carried over to 2023
    carry = CARRY.with_columns(provisional=pl.col("year") == 2022)
    assert charts.describe_budget_carry_over(carry, 2021) == "€ 20.000 ontwikkelgeld schuift door naar 2022"
    assert charts.describe_budget_carry_over(carry, 2022) == (
        "€ 20.000 meer ontwikkelgeld uitgegeven dan beschikbaar in 2022 (voorlopig: het jaar loopt nog)")
    underspent = carry.with_columns(surplus=pl.when(pl.col("year") == 2022).then(pl.lit(5000)).otherwise("surplus"))
    assert charts.describe_budget_carry_over(underspent, 2022) == (
        "€ 5.000 ontwikkelgeld nog niet besteed in 2022 (voorlopig: het jaar loopt nog)")


def test_absentees_below_target_lowest_first_and_kept_per_frame() -> None:
    from dashboard.queries import meetings

    away = meetings.absentees(ORGS, 0.7)
    assert away["organisation"].to_list() == ["Gemeente Cestrum", "Ministerie van Voorbeelden"]
    assert meetings.absentees(ORGS, None)["organisation"].to_list()[-1] == "Gemeente Aadorp"  # no target: all
    # the page asks again on every rerun: the same frame comes back, so its table and widths are not redone
    assert meetings.absentees(ORGS, 0.7) is away
    assert meetings.display(away, ["organisation", "rate"]) is meetings.display(away, ["organisation", "rate"])
