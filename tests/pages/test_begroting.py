"""The Begroting page in AppTest: findings per year, carry-over with overspending and unspent money, detail by role."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from dashboard import accounts
from tests.dashboard.conftest import BUDGET_V1, BUDGET_V2, FULL, load
from tests.pages.conftest import APP, ROOT, chart_findings, open_chart_data

D = dt.date
TIMEOUT = 60


def build_db(directory: Path) -> Path:
    """TST: every sheet (tests/dashboard/conftest.FULL, peildatum 30-06-2022); BUD: budget only, delivered twice
    (peildatum 31-12-2022 and 31-12-2023); MIN: meetings only (no Begroting)."""
    db = directory / "begroting.duckdb"
    load(db, directory / "tst.xlsx", FULL)
    head = ["Code", "Naam", "Start", "Einde", "Peildatum"]
    load(db, directory / "bud1.xlsx", {"Deal": [head, ["BUD", "Begrotingsdeal", D(2021, 1, 1), D(2023, 12, 31), D(2022, 12, 31)]],
                                       "Begroting": BUDGET_V1})
    load(db, directory / "bud2.xlsx", {"Deal": [head, ["BUD", "Begrotingsdeal", D(2021, 1, 1), D(2023, 12, 31), D(2023, 12, 31)]],
                                       "Begroting": BUDGET_V2})
    load(db, directory / "min.xlsx", {"Deal": [["Code", "Naam", "Peildatum"], ["MIN", "Kleine deal", D(2022, 6, 30)]],
                                      "Bijeenkomsten": [["ID", "Datum", "Soort"], ["M1", D(2022, 3, 1), "kernteam"]]})
    return db


@pytest.fixture(scope="module")
def budget_page_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_db(tmp_path_factory.mktemp("begroting"))


@pytest.fixture
def env(budget_page_db: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("STUURHUT_DB", str(budget_page_db))
    monkeypatch.setenv("STUURHUT_ACCOUNTS", str(tmp_path / "accounts.json"))  # no accounts: demo mode (beheer)
    return tmp_path / "accounts.json"


def open_page(query: dict, session: dict | None = None, page: str = "begroting") -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params.update(query)
    for key, value in (session or {}).items():
        at.session_state[key] = value
    at.run()
    at.switch_page(str(ROOT / f"pages/{page}.py")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def plain(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def captions(at: AppTest) -> list[str]:
    return [plain(c.value) for c in at.caption] + chart_findings(at)  # what the page says in words


def table_with(at: AppTest, column: str):
    open_chart_data(at)
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert found, f"no table with column {column!r} among {[list(d.value.columns) for d in at.dataframe]}"
    return found[0]


def test_year_in_progress_says_what_is_not_known_yet(env: Path) -> None:
    at = open_page({"deal": "TST"})
    assert at.title[0].value == "Begroting — Testdeal"
    caps = captions(at)
    assert "2022: nog geen realisatie bekend — € 120.000 begroot" in caps
    assert "2022: nog niet bekend hoeveel ontwikkelgeld doorschuift (realisatie ontbreekt bij 1 post(en))" in caps
    assert "2022: van geen enkele post is de realisatie al bekend (1 post(en))" in caps
    assert "Bron: tst.xlsx · tabblad Begroting · geleverd " + _today() in caps
    assert [plain(m.value) for m in at.markdown if "onbesteed" in m.value] == [
        "Wat er na 2023 onbesteed blijft, is nog niet bekend: een eerder jaar heeft nog posten zonder realisatie."]
    assert any("Geen bijdragen geregistreerd voor 2022" == c for c in caps)


def test_a_finished_year_with_posts_funders_and_indicators(env: Path) -> None:
    at = open_page({"deal": "TST", "jaar": "2021", "peildatum": "2022-06-30"})
    caps = captions(at)
    assert "2021: € 140.000 van € 150.000 begroot gerealiseerd (93%)" in caps
    assert "€ 10.000 ontwikkelgeld schuift door naar 2022" in caps
    assert "Alle 3 posten binnen de begroting in 2021; het minst besteed: Ateliers (83%)" in caps
    assert "€ 25.000 van € 100.000 toegezegd voor 2021 nog niet ontvangen (bij 1 financier(s))" in caps
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Deel ontwikkelbudget besteed"] == "90%"
    assert tiles["Ontwikkelbudget doorgeschoven naar volgend jaar"] == "€ 10.000"
    posts = table_with(at, "Post")
    assert list(posts["Post"]) == ["Secretariaat", "Ateliers", "Ontwikkelteams"]
    assert list(posts["Begroot"]) == ["€ 50.000", "€ 60.000", "€ 40.000"]
    assert list(posts["Verschil"]) == ["€ 0", "-€ 10.000", "€ 0"]
    funders = table_with(at, "Financier")
    assert list(funders["Nog te ontvangen"]) == ["€ 25.000", "€ 0"]


def test_overspending_is_negative_and_unspent_money_is_said_in_words(env: Path) -> None:
    at = open_page({"deal": "BUD"})
    caps = captions(at)
    assert "€ 5.000 ontwikkelgeld blijft onbesteed na 2023" in caps
    assert [plain(m.value) for m in at.markdown if "onbesteed" in m.value] == [
        "Na 2023, het laatste jaar van de deal, blijft € 5.000 ontwikkelgeld onbesteed."]
    carry = table_with(at, "Beschikbaar")
    assert list(carry["Over (doorgeschoven)"]) == ["€ 30.000", "-€ 10.000", "€ 5.000"]
    assert list(carry["Beschikbaar"]) == ["€ 100.000", "€ 130.000", "€ 90.000"]
    assert "Nog geen gegevens over de bijdragen van financiers — lever het tabblad Bijdragen aan." in [
        i.value for i in at.info]

    at.selectbox(key="f_year").set_value(2022).run()
    assert "€ 10.000 meer ontwikkelgeld uitgegeven dan beschikbaar in 2022: gaat af van 2023" in captions(at)
    # as of the first delivery (31-12-2022) 2021 realised was 80.000: the chain and the overspending differ
    at.selectbox(key="f_as_of").set_value(D(2022, 12, 31)).run()
    at.selectbox(key="f_year").set_value(2022).run()
    assert "€ 20.000 meer ontwikkelgeld uitgegeven dan beschikbaar in 2022: gaat af van 2023" in captions(at)


def test_deal_without_budget_shows_the_empty_state(env: Path) -> None:
    at = open_page({"deal": "MIN"})
    assert [i.value for i in at.info] == ["Nog geen gegevens over de begroting — lever het tabblad Begroting aan."]
    assert not at.dataframe


def test_a_participant_sees_totals_not_posts_or_notes(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = accounts.AccountStore(env, hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    monkeypatch.setitem(accounts._stores, env, store)
    store.add_user("deel", "deelnemer", "TST", "deel-test-Wachtwoord-2")
    at = open_page({"deal": "TST", "jaar": "2021"}, session={"_stuurhut_account": "deel"})
    assert at.title[0].value == "Begroting — Testdeal"
    assert [i.value for i in at.info][0].startswith("De begroting per post en de toelichtingen zijn alleen zichtbaar")
    open_chart_data(at)
    assert not [d for d in at.dataframe if "Post" in d.value.columns or "Toelichting" in d.value.columns]
    totals = [d.value for d in at.dataframe if "Kostensoort" in d.value.columns][-1]  # the first is the chart's data
    assert list(totals["Jaar"]) == [2021, 2021]
    assert list(totals["Kostensoort"]) == ["basis", "ontwikkeling"]
    assert list(totals["Gerealiseerd"]) == ["€ 50.000", "€ 90.000"]
    assert not any("posten binnen de begroting" in c for c in captions(at))


def _today() -> str:
    from dashboard.format import fmt_date

    return fmt_date(dt.date.today())
