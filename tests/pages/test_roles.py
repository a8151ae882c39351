"""Who sees what, per role, through the real app shell: navigation, figures, and refusals enforced on the server."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from dashboard import accounts, login
from dashboard.navigation import BY_KEY, HOME_SUFFIX, PAGES
from tests.pages.conftest import APP, ROOT
from tests.pages.test_smoke import metric, no_errors

TIMEOUT = 60
PASSWORD = "correct paard batterij"  # test data only
USERS = {"gast": ("publiek", None), "deel": ("deelnemer", "CDTS"), "kern": ("kernteam", "CDTS"),
         "baas": ("beheer", None), "ander": ("kernteam", "CDXX")}
REGISTERED = {p.key for p in PAGES}

DEAL_READ = {"overzicht", "begroting", "bijeenkomsten", "enquete", "presentatie", "ontwikkelteams", "eindresultaten",
             "communicatie"}
PUBLIC = {"vergelijking", "catalogus", "toegankelijkheid"}
EXPECTED = {  # the pages each role finds in the menu (of those registered at the moment)
    "anoniem": PUBLIC,
    "publiek": PUBLIC,
    "deelnemer": DEAL_READ | PUBLIC,
    "kernteam": DEAL_READ | PUBLIC | {"gegevens", "aanleveren"},
    "beheer": DEAL_READ | PUBLIC | {"gegevens", "aanleveren", "beheer"},
}


@pytest.fixture(scope="module")
def accounts_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("roles") / "accounts.json"
    for name, (role, deal) in USERS.items():
        accounts.add_user(name, role, deal, PASSWORD, path=path)
    return path


@pytest.fixture
def env(page_db: Path, accounts_file: Path, monkeypatch: pytest.MonkeyPatch) -> list[list[tuple[str, str]]]:
    """Accounts exist; returns the menus st.navigation was given, one list of (url_path, visibility) per run."""
    monkeypatch.setenv("STUURHUT_DB", str(page_db))
    monkeypatch.setenv("STUURHUT_ACCOUNTS", str(accounts_file))
    menus: list[list[tuple[str, str]]] = []
    real = streamlit.navigation

    def recording(pages, **kwargs):
        flat = [p for group in (pages.values() if isinstance(pages, dict) else [pages]) for p in group]
        menus.append([(p._url_path.removesuffix(HOME_SUFFIX), p.visibility) for p in flat])  # default's too
        return real(pages, **kwargs)

    monkeypatch.setattr(streamlit, "navigation", recording)
    return menus


def run_as(name: str | None, query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    if name:
        at.session_state[login.SESSION_KEY] = name  # what a successful login form leaves in the session
    at.query_params.update(query or {"deal": "CDTS"})
    return at.run()


def visible(menus: list) -> set[str]:
    return {url for url, visibility in menus[-1] if visibility == "visible"}


def open_page(at: AppTest, key: str) -> AppTest:
    return at.switch_page(str(ROOT / BY_KEY[key].path)).run()


def refused(at: AppTest) -> bool:
    return [e.value for e in at.main.error] == ["Geen toegang"] and not at.main.title


@pytest.mark.parametrize("name, role", [("gast", "publiek"), ("deel", "deelnemer"), ("kern", "kernteam"),
                                        ("baas", "beheer")])
def test_the_menu_per_role(env: list, name: str, role: str) -> None:
    at = run_as(name)
    assert not at.exception
    assert visible(env) == EXPECTED[role] & REGISTERED
    assert {url for url, _ in env[-1]} >= REGISTERED  # the rest is routable but hidden, so the guard can answer
    assert f"Ingelogd als {name} ({role}" in at.sidebar.caption[0].value


@pytest.mark.parametrize("name, forbidden", [
    ("gast", ["overzicht", "begroting", "gegevens", "aanleveren", "beheer"]),
    ("deel", ["gegevens", "aanleveren", "beheer"]),
    ("kern", ["beheer"]),
])
def test_a_direct_url_to_a_forbidden_page_says_geen_toegang(env: list, name: str, forbidden: list[str]) -> None:
    at = run_as(name)
    for key in forbidden:
        open_page(at, key)
        assert not at.exception, key
        assert refused(at), (key, [e.value for e in at.error], [t.value for t in at.title])
        assert not at.file_uploader and not at.metric and not at.dataframe, key


def test_deelnemer_sees_the_figures_of_the_own_deal_only_and_cannot_upload(env: list) -> None:
    at = run_as("deel", {"deal": "CDXX"})  # a shared link to another deal falls back to the own deal
    no_errors(at)
    assert at.selectbox(key="f_deal").options == ["CDTS — Testdeal Openbare Ruimte"]
    assert at.title[0].value == "Overzicht — Testdeal Openbare Ruimte"
    assert metric(at, "Kernteamoverleggen gehouden").value == "4 van 6"
    open_page(at, "aanleveren")
    assert refused(at) and not at.file_uploader
    assert not [b for b in at.button if b.label in ("Laden", "Terugdraaien")]


def test_kernteam_uploads_for_the_own_deal_only(env: list) -> None:
    at = open_page(run_as("kern"), "aanleveren")
    no_errors(at)
    assert at.title[0].value == "Gegevens aanleveren"
    assert at.selectbox(key="up_deal").options == ["CDTS"]
    assert len(at.file_uploader) == 1
    assert len([b for b in at.button if b.label == "Terugdraaien"]) == 3


def test_kernteam_of_another_deal_does_not_see_this_one(env: list) -> None:
    at = run_as("ander", {"deal": "CDTS"})
    no_errors(at)
    assert at.selectbox(key="f_deal").options == ["CDXX — Andere deal (fictief)"]
    assert metric(at, "Kernteamoverleggen gehouden").value == "1 van 6"


def test_beheer_sees_every_deal_and_the_accounts(env: list) -> None:
    at = run_as("baas")
    no_errors(at)
    assert at.selectbox(key="f_deal").options == ["CDTS — Testdeal Openbare Ruimte", "CDXX — Andere deal (fictief)"]
    open_page(at, "beheer")
    no_errors(at)
    assert at.title[0].value == "Beheer: accounts"
    table = at.dataframe[0].value
    assert table["Naam"].tolist() == ["ander", "baas", "deel", "gast", "kern"]
    assert table.set_index("Naam").loc["deel", "Rol"] == "deelnemer"
    assert table.set_index("Naam").loc["deel", "Deal"] == "CDTS"
    assert "hash" not in " ".join(table.columns).lower()
    assert "stuurhut user add" in at.code[0].value


def test_not_logged_in_gets_the_login_page_and_what_publiek_sees(env: list) -> None:
    at = run_as(None)
    assert not at.exception
    assert at.title[0].value == "Inloggen"
    assert visible(env) == {"inloggen"} | (PUBLIC & REGISTERED)
    open_page(at, "overzicht")
    assert [i.value for i in at.main.info] == ["Log in om deze pagina te bekijken."]
    assert not at.metric
    # logging in with the form opens the kernteam's pages
    at.text_input[0].input("kern")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    no_errors(at)
    assert metric(at, "Kernteamoverleggen gehouden").value == "4 van 6"
    assert visible(env) == EXPECTED["kernteam"] & REGISTERED


def test_a_wrong_password_is_refused(env: list) -> None:
    at = run_as(None)
    at.text_input[0].input("kern")
    at.text_input[1].input("niet het wachtwoord")
    at.button[0].click().run()
    assert [e.value for e in at.main.error] == ["Naam of wachtwoord onjuist."]
    assert visible(env) == {"inloggen"} | (PUBLIC & REGISTERED)


def test_demo_mode_shows_everything_with_a_banner(page_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUURHUT_DB", str(page_db))
    monkeypatch.setenv("STUURHUT_ACCOUNTS", str(tmp_path / "geen-accounts.json"))
    at = run_as(None)
    no_errors(at)
    assert at.sidebar.warning[0].value == login.DEMO_BANNER
    assert metric(at, "Kernteamoverleggen gehouden").value == "4 van 6"
    assert at.selectbox(key="f_deal").options == ["CDTS — Testdeal Openbare Ruimte", "CDXX — Andere deal (fictief)"]
    for key in ("aanleveren", "beheer"):
        open_page(at, key)
        no_errors(at)
        assert at.title[0].value.startswith(BY_KEY[key].title_nl)
