"""The Enquête page in AppTest: Likert bars with n, waves and themes, groups under 5 suppressed, open answers by role."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from dashboard import accounts
from tests.dashboard.conftest import FULL, load
from tests.pages.conftest import APP, ROOT, chart_findings, open_chart_data

D = dt.date
TIMEOUT = 60
LIKERT = {1: "helemaal oneens", 2: "oneens", 3: "neutraal", 4: "eens", 5: "helemaal eens"}

QUESTIONS = [
    ["Code", "Vraag", "Schaal", "Thema"],
    ["V1", "Ik ben tevreden over de samenwerking", "likert5", "Samenwerking"],
    ["V2", "Ik heb nieuwe kennis opgedaan", "likert5", "Kennis"],
    ["V3", "Hoeveel uur per maand besteed je aan de deal?", "getal", "Inzet"],
    ["V4", "Wat kan er beter?", "tekst", None],
    ["V5", "Ik lees de werkboeken", "likert5", "Kennis"],
    ["V6", "Is er behoefte aan nieuwe partners?", "janee", "Partners"],
]


def _survey() -> list[list]:
    """2021-11: 6 respondents (4 gemeente, 2 rijk; all OT1). 2022-05: 11 respondents (6 gemeente, 3 rijk,
    2 provincie; OT1 5, OT2 6). V5 is answered by 3 respondents only (suppressed); V4 (open) by 6 and 4."""
    rows: list[list] = [["Respondent", "Meting", "Vraag", "Antwoord", "Organisatiesoort", "Onderdeel"]]
    kinds21 = ["gemeente"] * 4 + ["rijk"] * 2
    v1_21, v3_21 = [3, 3, 4, 4, 3, 4], [8, 10, 4, 6, 12, 8]  # V1 mean 3,5; V3 mean 8
    for i in range(6):
        r, k = f"Deelnemer {i + 1}", kinds21[i]
        rows += [[r, "2021-11", "V1", LIKERT[v1_21[i]], k, "OT1"], [r, "2021-11", "V2", "eens", k, "OT1"],
                 [r, "2021-11", "V3", str(v3_21[i]), k, "OT1"], [r, "2021-11", "V4", f"Antwoord {chr(70 - i)}", k, "OT1"],
                 [r, "2021-11", "V6", "ja" if i < 2 else "nee", k, "OT1"]]
        if i < 3:
            rows.append([r, "2021-11", "V5", "neutraal", k, "OT1"])
    kinds22 = ["gemeente"] * 6 + ["rijk"] * 3 + ["provincie"] * 2
    v1_22 = [4, 4, 5, 3, 4, 4, 4, 5, 3, 4, 4]  # mean 4,0 (+0,5)
    v2_22 = [5, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4]  # mean 45/11 = 4,09
    for i in range(11):
        r, k, part = f"Deelnemer {i + 1}", kinds22[i], "OT1" if i < 5 else "OT2"
        rows += [[r, "2022-05", "V1", LIKERT[v1_22[i]], k, part], [r, "2022-05", "V2", LIKERT[v2_22[i]], k, part],
                 [r, "2022-05", "V3", "10", k, part]]
        if i < 3:
            rows.append([r, "2022-05", "V5", "oneens", k, part])
        if i < 4:
            rows.append([r, "2022-05", "V4", f"Kort antwoord {i}", k, part])
    return rows


@pytest.fixture(scope="module")
def survey_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("enquete")
    db = directory / "enquete.duckdb"
    load(db, directory / "tst.xlsx", {**FULL, "Enquete": _survey(), "Vragen": QUESTIONS})
    deal = ["Code", "Naam", "Peildatum"]
    load(db, directory / "min.xlsx", {"Deal": [deal, ["MIN", "Kleine deal", D(2022, 6, 30)]],
                                      "Bijeenkomsten": [["ID", "Datum", "Soort"], ["M1", D(2022, 3, 1), "kernteam"]]})
    load(db, directory / "enq.xlsx", {"Deal": [deal, ["ENQ", "Deal zonder vragen", D(2022, 6, 30)]],
                                      "Enquete": _survey()[:4]})
    return db


@pytest.fixture
def env(survey_db: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("STUURHUT_DB", str(survey_db))
    monkeypatch.setenv("STUURHUT_ACCOUNTS", str(tmp_path / "accounts.json"))
    return tmp_path / "accounts.json"


def open_page(query: dict, session: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params.update(query)
    for key, value in (session or {}).items():
        at.session_state[key] = value
    at.run()
    at.switch_page(str(ROOT / "pages/enquete.py")).run()
    check(at)
    return at


def check(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def captions(at: AppTest) -> list[str]:
    return [re.sub(r"\\(.)", r"\1", c.value) for c in at.caption] + chart_findings(at)  # what the page says in words


def table_with(at: AppTest, *columns: str):
    open_chart_data(at)
    found = [d.value for d in at.dataframe if set(columns) <= set(d.value.columns)]
    assert found, f"no table with {columns}"
    return found[0]


def test_likert_waves_and_themes_without_number_questions(env: Path) -> None:
    at = open_page({"deal": "TST"})
    assert at.title[0].value == "Enquête — Testdeal"
    assert at.selectbox(key="survey_wave").value == "2022-05"
    assert [m.value for m in at.metric if m.label == "Respondenten enquête"] == ["11"]
    caps = captions(at)
    assert "91% van de antwoorden is positief" in caps  # V1 9 of 11, V2 11 of 11; V5 (n=3) left out
    assert "Niet getoond (minder dan 5 antwoorden): V5" in caps
    assert "2 van 2 vragen hoger dan in 2021-11; grootste stijging: V1 (+0,5)" in caps
    assert "Hoogst: Samenwerking (4,0) · laagst: Kennis (3,6)" in caps
    likert = table_with(at, "Antwoord", "Aandeel")
    assert sorted(set(likert["Vraag"])) == ["V1 (n=11) Ik ben tevreden over de samenwerking",
                                             "V2 (n=11) Ik heb nieuwe kennis opgedaan"]
    means = table_with(at, "Gemiddelde (1-5)", "Vraag").set_index(["Meting", "Vraag"])
    assert means.loc[("2022-05", "V1 Ik ben tevreden over de samenwerking"), "Gemiddelde (1-5)"] == "4,0"
    assert means.loc[("2022-05", "V1 Ik ben tevreden over de samenwerking"), "Verandering"] == "+0,5"
    assert means.loc[("2022-05", "V5 Ik lees de werkboeken"), "Gemiddelde (1-5)"] == "niet getoond (< 5)"
    assert not any(v.startswith(("V3", "V6")) for _, v in means.index)  # getal and janee are not Likert
    themes = table_with(at, "Thema", "Vragen")
    assert sorted(set(themes["Thema"])) == ["Kennis", "Samenwerking"]  # Inzet (getal), Partners (janee) left out
    assert list(themes[themes["Meting"] == "2022-05"]["Verandering"]) == ["0,0", "+0,5"]  # Kennis 3,67 -> 3,64
    other = table_with(at, "Uitkomst")
    assert list(other["Uitkomst"]) == ["gemiddeld 8,0", "gemiddeld 10,0", "33% ja"]
    assert list(other["Schaal"]) == ["getal", "getal", "janee"]


def test_groups_under_five_are_suppressed_with_a_note(env: Path) -> None:
    at = open_page({"deal": "TST"})
    caps = captions(at)
    assert "gemeente: gemiddeld 3,7" in caps
    assert "provincie, rijk: groep kleiner dan 5: niet getoond" in caps
    groups = table_with(at, "Groep")
    assert list(groups["Groep"]) == ["gemeente", "provincie", "rijk"]  # shown first, the hidden ones alphabetically
    assert list(groups["Gemiddelde (1-5)"]) == ["3,7", "niet getoond (< 5)", "niet getoond (< 5)"]

    at.segmented_control(key="survey_group").set_value("onderdeel").run()
    check(at)
    assert "Hoogst: OT2 (4,0) · laagst: OT1 (3,6)" in captions(at)
    assert not any(c.endswith(": groep kleiner dan 5: niet getoond") for c in captions(at))

    # 2021-11: rijk has 2 respondents; gemeente (4) is suppressed too, so the total cannot reveal rijk
    at.selectbox(key="survey_wave").set_value("2021-11").run()
    at.segmented_control(key="survey_group").set_value("organisatiesoort").run()
    check(at)
    caps = captions(at)
    assert "Alle groepen kleiner dan 5: niet getoond" in caps
    assert "gemeente, rijk: groep kleiner dan 5: niet getoond" in caps


def test_open_answers_only_for_the_core_team_and_without_identifying_columns(env: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page({"deal": "TST"})
    assert "Geen open vragen met 5 of meer antwoorden in deze meting." in [m.value for m in at.markdown]  # 4 answers
    at.selectbox(key="survey_wave").set_value("2021-11").run()
    check(at)
    answers = [d.value for d in at.dataframe if list(d.value.columns) == ["Vraag", "Antwoord"]][0]
    assert list(answers["Antwoord"]) == ["Antwoord A", "Antwoord B", "Antwoord C", "Antwoord D", "Antwoord E",
                                         "Antwoord F"]  # alphabetical, not in respondent order
    assert set(answers["Vraag"]) == {"V4 Wat kan er beter?"}

    store = accounts.AccountStore(env, hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    monkeypatch.setitem(accounts._stores, env, store)
    store.add_user("deel", "deelnemer", "TST", "deel-test-Wachtwoord-2")
    at = open_page({"deal": "TST"}, session={"_stuurhut_account": "deel", "survey_wave": "2021-11"})
    assert any(i.value.startswith("Open antwoorden zijn alleen zichtbaar voor het kernteam") for i in at.info)
    open_chart_data(at)  # the tables behind the charts too
    assert not [d for d in at.dataframe if list(d.value.columns) == ["Vraag", "Antwoord"]]
    assert "Antwoord A" not in str([d.value.to_dict() for d in at.dataframe])


def test_empty_states_without_survey_or_questions(env: Path) -> None:
    at = open_page({"deal": "MIN"})
    assert [i.value for i in at.info] == ["Nog geen gegevens over de enquête — lever het tabblad Enquete aan."]
    at = open_page({"deal": "ENQ"})
    assert [i.value for i in at.info] == [
        "Nog geen gegevens over de vragen van de enquête (schaal en thema) — lever het tabblad Vragen aan."]
