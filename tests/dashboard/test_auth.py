"""Access policy per role and deal, OIDC claim mapping, and the login form and page guard in AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from dashboard import accounts, auth
from dashboard.auth import ANONYMOUS, DEMO, Forbidden, Principal

APP = str(Path(__file__).with_name("login_app.py"))

ALL_PAGES = {
    "overzicht", "ontwikkelteams", "begroting", "bijeenkomsten", "enquete", "eindresultaten", "communicatie",
    "gegevens", "aanleveren", "presentatie", "vergelijking", "catalogus", "beheer", "toegankelijkheid",
}
PUBLIEK = Principal("gast", "publiek")
DEELNEMER = Principal("deel", "deelnemer", "CDOR")
KERNTEAM = Principal("kern", "kernteam", "CDOR")
BEHEER = Principal("baas", "beheer")


# -- the policy table ----------------------------------------------------------------------------------------

EXPECTED_PAGES = {
    "anoniem": {"vergelijking", "catalogus", "toegankelijkheid"},  # not logged in: what publiek sees
    "publiek": {"vergelijking", "catalogus", "toegankelijkheid"},
    "deelnemer": {
        "overzicht", "ontwikkelteams", "begroting", "bijeenkomsten", "enquete", "eindresultaten", "communicatie",
        "presentatie", "vergelijking", "catalogus", "toegankelijkheid",
    },
    "kernteam": {
        "overzicht", "ontwikkelteams", "begroting", "bijeenkomsten", "enquete", "eindresultaten", "communicatie",
        "presentatie", "vergelijking", "catalogus", "toegankelijkheid", "gegevens", "aanleveren",
    },
    "beheer": ALL_PAGES,
}


@pytest.mark.parametrize("principal", [ANONYMOUS, PUBLIEK, DEELNEMER, KERNTEAM, BEHEER], ids=lambda p: p.role)
def test_pages_per_role(principal: Principal) -> None:
    assert set(auth.PAGE_KEYS) == ALL_PAGES
    allowed = {k for k in ALL_PAGES if auth.can_view_page(principal, k)}
    assert allowed == EXPECTED_PAGES[principal.role]
    assert auth.visible_page_keys(principal) == [k for k in auth.PAGE_KEYS if k in allowed]


def test_roles_for_page() -> None:
    assert auth.roles_for_page("aanleveren") == {"kernteam", "beheer"}
    assert auth.roles_for_page("beheer") == {"beheer"}
    assert auth.roles_for_page("vergelijking") == {"anoniem", "publiek", "deelnemer", "kernteam", "beheer"}
    assert auth.roles_for_page("toegankelijkheid") == {"anoniem", "publiek", "deelnemer", "kernteam", "beheer"}


def test_deal_pages_need_the_own_deal() -> None:
    assert auth.can_view_page(DEELNEMER, "overzicht", "CDOR") is True
    assert auth.can_view_page(DEELNEMER, "overzicht", "cdor") is True  # codes compare case-insensitively
    assert auth.can_view_page(DEELNEMER, "overzicht", "XYZ") is False
    assert auth.can_view_page(KERNTEAM, "aanleveren", "CDOR") is True
    assert auth.can_view_page(KERNTEAM, "aanleveren", "XYZ") is False
    assert auth.can_view_page(BEHEER, "aanleveren", "XYZ") is True
    assert auth.can_view_page(PUBLIEK, "overzicht", "CDOR") is False
    # Cross-deal pages ignore the selected deal.
    assert auth.can_view_page(DEELNEMER, "vergelijking", "XYZ") is True
    assert auth.can_view_page(PUBLIEK, "catalogus", "XYZ") is True


def test_allowed_deals() -> None:
    deals = ["ABC", "CDOR", "XYZ"]
    assert auth.allowed_deals(BEHEER, deals) == ["ABC", "CDOR", "XYZ"]
    assert auth.allowed_deals(DEMO, deals) == ["ABC", "CDOR", "XYZ"]
    assert auth.allowed_deals(KERNTEAM, deals) == ["CDOR"]
    assert auth.allowed_deals(Principal("d", "deelnemer", "cdor"), deals) == ["CDOR"]  # the DB's spelling
    assert auth.allowed_deals(DEELNEMER, ["ABC"]) == []
    assert auth.allowed_deals(PUBLIEK, deals) == []
    assert auth.allowed_deals(ANONYMOUS, deals) == []


@pytest.mark.parametrize(
    ("principal", "deal", "expected"),
    [
        (KERNTEAM, "CDOR", True),
        (KERNTEAM, "XYZ", False),
        (DEELNEMER, "CDOR", False),
        (PUBLIEK, "CDOR", False),
        (ANONYMOUS, "CDOR", False),
        (BEHEER, "XYZ", True),
        (DEMO, "CDOR", True),
    ],
)
def test_action_permissions(principal: Principal, deal: str, expected: bool) -> None:
    assert auth.can_upload(principal, deal) is expected
    assert auth.can_rollback(principal, deal) is expected
    assert auth.can_see_personal_data(principal, deal) is expected
    assert auth.can_see_budget_detail(principal, deal) is expected


def test_new_deal_upload_and_accounts_are_beheer_only() -> None:
    assert auth.can_upload(BEHEER, None) is True
    assert auth.can_upload(KERNTEAM, None) is False
    assert auth.can_manage_accounts(BEHEER) is True
    assert auth.can_manage_accounts(KERNTEAM) is False


def test_require_raises_forbidden() -> None:
    auth.require(KERNTEAM, "aanleveren", "CDOR")
    with pytest.raises(Forbidden) as exc:
        auth.require(DEELNEMER, "aanleveren", "CDOR")
    assert (exc.value.message, exc.value.page_key, exc.value.deal) == ("Geen toegang", "aanleveren", "CDOR")
    with pytest.raises(Forbidden):
        auth.require(KERNTEAM, "overzicht", "XYZ")
    with pytest.raises(Forbidden, match="Alleen het kernteam"):
        auth.require_that(auth.can_rollback(DEELNEMER, "CDOR"), "gegevens", "CDOR", "Alleen het kernteam")


def test_unknown_page_key_and_bad_principals_fail_loudly() -> None:
    with pytest.raises(ValueError, match="unknown page key 'upload'"):
        auth.can_view_page(BEHEER, "upload")
    with pytest.raises(ValueError):
        Principal("x", "deelnemer")
    with pytest.raises(ValueError):
        Principal("x", "superuser")
    assert DEMO.demo is True and DEMO.role == "beheer"
    assert KERNTEAM.label == "kern (kernteam, CDOR)"


# -- OIDC claims -> principal ------------------------------------------------------------------------------

MAPPING = {
    "users": {"A.Jansen@voorbeeld.nl": "kernteam:CDOR", "b.bakker@voorbeeld.nl": "beheer"},
    "domains": {"gemeente-voorbeeld.nl": "deelnemer:CDOR"},
}


def test_principal_from_claims() -> None:
    def p(claims: dict, account_role: dict | None = None) -> tuple:
        got = auth.principal_from_claims(claims, MAPPING, account_role)
        return got.name, got.role, got.deal

    assert p({"email": "a.jansen@voorbeeld.nl"}) == ("a.jansen@voorbeeld.nl", "kernteam", "CDOR")
    assert p({"email": "b.bakker@voorbeeld.nl", "email_verified": True}) == ("b.bakker@voorbeeld.nl", "beheer", None)
    assert p({"email": "c.visser@gemeente-voorbeeld.nl"}) == ("c.visser@gemeente-voorbeeld.nl", "deelnemer", "CDOR")
    assert p({"email": "d.smit@voorbeeld.nl"}, {"d.smit@voorbeeld.nl": ("kernteam", "XYZ")}) == (
        "d.smit@voorbeeld.nl", "kernteam", "XYZ")
    assert p({"email": "e.mulder@elders.nl"}) == ("e.mulder@elders.nl", "publiek", None)
    # An address the provider did not verify is not trusted for a mapping.
    assert p({"email": "a.jansen@voorbeeld.nl", "email_verified": False}) == ("a.jansen@voorbeeld.nl", "publiek", None)
    with pytest.raises(ValueError, match="rol deelnemer heeft een deal nodig"):
        auth.principal_from_claims({"email": "x@voorbeeld.nl"}, {"users": {"x@voorbeeld.nl": "deelnemer"}})
    got = auth.principal_from_claims({"upn": "f.jong@voorbeeld.nl"}, {**MAPPING, "email_claim": "upn",
                                                                      "users": {"f.jong@voorbeeld.nl": "beheer"}})
    assert (got.name, got.role) == ("f.jong@voorbeeld.nl", "beheer")


# -- the login form and guard in a running app --------------------------------------------------------------

PW_KERN = "kern-test-Wachtwoord-1"
PW_DEEL = "deel-test-Wachtwoord-2"


@pytest.fixture
def acc_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "accounts.json"
    monkeypatch.setenv("STUURHUT_ACCOUNTS", str(path))
    # A cheap argon2 store for this path: the form tests log in several times.
    store = accounts.AccountStore(path, hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    monkeypatch.setitem(accounts._stores, path, store)
    store.add_user("kern", "kernteam", "CDOR", PW_KERN)
    store.add_user("deel", "deelnemer", "CDOR", PW_DEEL)
    return path


def app(page: str = "overzicht", deal: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["page"] = page
    if deal:
        at.query_params["deal"] = deal
    return at.run()


def log_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input[0].input(name)
    at.text_input[1].input(password)
    at.button[0].click()
    return at.run()


def texts(elements) -> list[str]:
    return [e.value for e in elements]


def test_login_wrong_then_right_password(acc_path: Path) -> None:
    at = app("overzicht", "CDOR")
    assert texts(at.info) == ["Log in om deze pagina te bekijken."]
    assert [t.label for t in at.text_input] == ["Naam", "Wachtwoord"]
    assert texts(at.markdown) == []

    log_in(at, "kern", "fout-wachtwoord-9")
    assert texts(at.error) == ["Naam of wachtwoord onjuist."]
    assert texts(at.markdown) == []
    log_in(at, "niemand", PW_KERN)  # an unknown name gets exactly the same answer
    assert texts(at.error) == ["Naam of wachtwoord onjuist."]

    log_in(at, "kern", PW_KERN)
    assert texts(at.error) == []
    assert texts(at.markdown) == ["Pagina overzicht voor kern (kernteam)"]
    assert texts(at.sidebar.caption) == ["Ingelogd als kern (kernteam, CDOR)"]

    at.sidebar.button[0].click()  # Uitloggen
    at.run()
    assert texts(at.info) == ["Log in om deze pagina te bekijken."]
    assert texts(at.markdown) == []


def test_deelnemer_gets_no_access_to_upload(acc_path: Path) -> None:
    at = app("aanleveren", "CDOR")
    log_in(at, "deel", PW_DEEL)
    assert texts(at.error) == ["Geen toegang"]
    assert texts(at.markdown) == []
    assert texts(at.main.caption) == ["Uw account (deel (deelnemer, CDOR)) geeft geen toegang tot deze pagina."]
    at.query_params["page"] = "bijeenkomsten"
    at.run()
    assert texts(at.markdown) == ["Pagina bijeenkomsten voor deel (deelnemer)"]
    at.query_params["deal"] = "XYZ"  # another deal's page by URL
    at.run()
    assert texts(at.error) == ["Geen toegang"]
    assert texts(at.main.caption) == ["Uw account (deel (deelnemer, CDOR)) geeft geen toegang tot deal XYZ."]


def test_too_many_attempts_message(acc_path: Path) -> None:
    at = app("overzicht")
    for _ in range(5):
        log_in(at, "deel", "fout-wachtwoord-9")
    assert texts(at.error) == ["Naam of wachtwoord onjuist."]
    log_in(at, "deel", PW_DEEL)
    assert texts(at.error) == ["Te veel pogingen, probeer het over 60 seconden opnieuw."]
    assert texts(at.markdown) == []


def test_removed_account_is_logged_out(acc_path: Path) -> None:
    at = app("overzicht")
    log_in(at, "kern", PW_KERN)
    assert texts(at.markdown) == ["Pagina overzicht voor kern (kernteam)"]
    accounts.remove_user("kern")
    at.run()
    assert texts(at.markdown) == []
    assert texts(at.info) == ["Log in om deze pagina te bekijken."]


def test_demo_mode_without_accounts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUURHUT_ACCOUNTS", str(tmp_path / "geen.json"))
    at = app("beheer")
    assert texts(at.sidebar.warning) == [
        "Demomodus: geen accounts ingesteld, iedereen ziet alles — voeg accounts toe met `stuurhut user add`."
    ]
    assert texts(at.markdown) == ["Pagina beheer voor demo (beheer)"]
    assert len(at.text_input) == 0


def test_corrupt_accounts_file_closes_the_dashboard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "kapot.json"
    path.write_text("{kapot", encoding="utf-8")
    monkeypatch.setenv("STUURHUT_ACCOUNTS", str(path))
    at = app("overzicht")
    assert texts(at.markdown) == []
    assert texts(at.warning) == []  # not demo mode
    assert texts(at.info) == ["Log in om deze pagina te bekijken."]
    assert any("onleesbaar" in e for e in texts(at.error))


OIDC_SECRETS = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "test-only-cookie-secret",
        "client_id": "test-client",
        "client_secret": "test-only-client-secret",
        "server_metadata_url": "https://login.voorbeeld.nl/.well-known/openid-configuration",
    },
    "access": MAPPING,
}


def test_oidc_user_is_mapped_by_email(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUURHUT_ACCOUNTS", str(tmp_path / "geen.json"))
    at = AppTest.from_file(APP, default_timeout=30)
    at.secrets = OIDC_SECRETS
    at.user = {"is_logged_in": True, "email": "a.jansen@voorbeeld.nl", "name": "A. Jansen"}
    at.query_params["page"] = "aanleveren"
    at.query_params["deal"] = "CDOR"
    at.run()
    assert texts(at.markdown) == ["Pagina aanleveren voor a.jansen@voorbeeld.nl (kernteam)"]
    assert texts(at.warning) == []  # [auth] configured: never demo mode

    at.user = {"is_logged_in": True, "email": "e.mulder@elders.nl"}
    at.run()
    assert texts(at.error) == ["Geen toegang"]

    at.user = {"is_logged_in": False}
    at.run()
    assert texts(at.info) == ["Log in om deze pagina te bekijken."]
    assert len(at.text_input) == 0  # no local password form in OIDC mode


def test_login_page(acc_path: Path) -> None:
    at = AppTest.from_string("from dashboard.login import login_page\nlogin_page()", default_timeout=30).run()
    assert texts(at.title) == ["Inloggen"]
    log_in(at, "deel", PW_DEEL)
    assert texts(at.success) == ["U bent ingelogd als deel (deelnemer, CDOR)."]
    assert len(at.text_input) == 0


def test_broken_secrets_file_closes_the_dashboard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit import config

    monkeypatch.setenv("STUURHUT_ACCOUNTS", str(tmp_path / "geen.json"))  # no accounts: would be demo mode
    bad = tmp_path / "secrets.toml"
    bad.write_text('[auth\nredirect_uri = "http://localhost:8501/oauth2callback"\n', encoding="utf-8")
    old = config.get_option("secrets.files")
    config.set_option("secrets.files", [str(bad)])
    try:
        at = app("overzicht")
    finally:
        config.set_option("secrets.files", old)
    assert texts(at.sidebar.warning) == []  # no demo banner
    assert texts(at.markdown) == []
    assert texts(at.info) == ["Log in om deze pagina te bekijken."]
    assert any(e.startswith("De instellingen (secrets.toml) zijn onleesbaar") for e in texts(at.error))


def test_a_secrets_file_written_while_the_server_runs_applies_on_the_next_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The [auth] check is kept between runs (it is asked on every run), but only while the file is unchanged."""
    from streamlit import config

    monkeypatch.setenv("STUURHUT_ACCOUNTS", str(tmp_path / "geen.json"))
    secrets = tmp_path / "secrets.toml"
    old = config.get_option("secrets.files")
    config.set_option("secrets.files", [str(secrets)])
    try:
        at = app("overzicht")
        assert texts(at.sidebar.warning)[0].startswith("Demomodus")  # no secrets file yet
        at.run()
        assert texts(at.sidebar.warning)[0].startswith("Demomodus")  # kept: still no file
        secrets.write_text("".join(
            f'[{section}]\n' + "".join(f'{k} = "{v}"\n' for k, v in values.items() if isinstance(v, str))
            for section, values in OIDC_SECRETS.items() if section == "auth"), encoding="utf-8")
        st.secrets._reset()  # what Streamlit's file watcher does on a change; AppTest runs without it
        at.run()
    finally:
        config.set_option("secrets.files", old)
        st.secrets._reset()
    assert texts(at.sidebar.warning) == []  # [auth] configured now: no demo banner
    assert texts(at.info) == ["Log in om deze pagina te bekijken."]
