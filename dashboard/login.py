"""Login for the dashboard: OIDC (st.login) when [auth] is configured, else local accounts, else demo mode."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import streamlit as st

from dashboard import accounts, auth
from dashboard.auth import ANONYMOUS, DEMO, Principal
from dashboard.memo import per_run

log = logging.getLogger(__name__)

Mode = Literal["oidc", "accounts", "demo"]

SESSION_KEY = "_stuurhut_account"
ERROR_KEY = "_stuurhut_auth_error"
FORM_KEY = "stuurhut_login"

DEMO_BANNER = (
    "Demomodus: geen accounts ingesteld, iedereen ziet alles — voeg accounts toe met `stuurhut user add`."
)
WRONG_LOGIN = "Naam of wachtwoord onjuist."
NO_ACCESS = "Geen toegang"
PLEASE_LOG_IN = "Log in om deze pagina te bekijken."


class SecretsUnreadable(Exception):
    """A secrets.toml exists but Streamlit cannot read it."""


# name -> (the st.secrets object, its files' stats, the section): kept while both are the same
_SECTIONS: dict[str, tuple[object, tuple, Mapping[str, Any] | None]] = {}


def _secrets_files_stats() -> tuple:
    from streamlit import config

    stats = []
    for f in config.get_option("secrets.files") or []:
        try:
            s = os.stat(f)
            stats.append((f, s.st_ino, s.st_mtime_ns, s.st_size))
        except OSError:
            stats.append((f, None))
    return tuple(stats)


def _secrets_section(name: str) -> Mapping[str, Any] | None:
    """A section of st.secrets, or None when there is no secrets file or no such section.

    Raises SecretsUnreadable when a secrets file exists but does not parse: a typo in [auth] must not fall
    back to demo mode and open the dashboard. Asked on every run (who is logged in): a readable answer is
    kept while st.secrets is the same object (AppTest swaps in its own) and no secrets file changed, as
    asking st.secrets costs more than the rest of the login check.
    """
    secrets, stats = st.secrets, _secrets_files_stats()
    hit = _SECTIONS.get(name)
    if hit is not None and hit[0] is secrets and hit[1] == stats:
        return hit[2]
    section = _read_secrets_section(name)
    _SECTIONS[name] = (secrets, stats, section)
    return section


def _read_secrets_section(name: str) -> Mapping[str, Any] | None:
    try:
        if name not in st.secrets:
            return None
        section = st.secrets[name]
    except Exception as exc:  # no secrets.toml at all: Streamlit raises its own not-found error
        from streamlit import config

        files = [Path(f) for f in config.get_option("secrets.files") or []]
        if any(f.exists() for f in files):
            raise SecretsUnreadable(f"{', '.join(str(f) for f in files if f.exists())}: {exc}") from exc
        return None
    return section if isinstance(section, Mapping) else None


def auth_mode() -> Mode:
    """"oidc" with an [auth] section in secrets, "accounts" when the accounts file has any, else "demo".

    An unreadable accounts or secrets file counts as "accounts" so that it closes the dashboard, not opens it.
    Read once per run.
    """
    return per_run("auth_mode", _auth_mode)


def _auth_mode() -> Mode:
    try:
        if _secrets_section("auth"):
            return "oidc"
    except SecretsUnreadable as exc:
        _remember_error(f"De instellingen (secrets.toml) zijn onleesbaar: {exc}")
        return "accounts"
    try:
        return "accounts" if accounts.has_accounts() else "demo"
    except accounts.AccountsError as exc:
        _remember_error(str(exc))
        return "accounts"


def _remember_error(message: str) -> None:
    log.error("stuurhut auth: %s", message)
    st.session_state[ERROR_KEY] = message


def _client() -> str | None:
    try:
        return st.context.ip_address
    except Exception:  # outside a browser session (bare script, some tests)
        return None


def _oidc_principal() -> Principal:
    if not st.user.is_logged_in:
        return ANONYMOUS
    try:
        mapping = _secrets_section("access") or {}
    except SecretsUnreadable:
        return ANONYMOUS
    try:
        account_role = {a.name.casefold(): (a.role, a.deal) for a in accounts.list_users()}
    except accounts.AccountsError as exc:
        _remember_error(str(exc))
        account_role = {}
    try:
        return auth.principal_from_claims(st.user.to_dict(), mapping, account_role)
    except ValueError as exc:
        _remember_error(f"Toegangsinstellingen ([access] in secrets.toml) onjuist: {exc}")
        return ANONYMOUS


def _account_principal() -> Principal:
    name = st.session_state.get(SESSION_KEY)
    if not name:
        return ANONYMOUS
    try:
        account = accounts.get_user(name)
    except accounts.AccountsError as exc:
        _remember_error(str(exc))
        return ANONYMOUS
    if account is None:  # removed (or renamed) since this session logged in: log the session out
        st.session_state.pop(SESSION_KEY, None)
        return ANONYMOUS
    # Rebuilt from the file on every run, so a changed role or deal applies at once.
    return Principal(account.name, account.role, account.deal)


def current_principal() -> Principal:
    """Who is using this session; draws nothing. ANONYMOUS when accounts/OIDC exist and nobody logged in.

    Worked out once per run; a login or logout takes effect from the next run (both rerun the app)."""
    return per_run("principal", _current_principal)


def _current_principal() -> Principal:
    mode = auth_mode()
    if mode == "oidc":
        return _oidc_principal()
    if mode == "accounts":
        return _account_principal()
    return DEMO


def login_form() -> None:
    """The local name + password form (Dutch); on success the session holds the account and the app reruns."""
    with st.form(FORM_KEY, clear_on_submit=True):
        name = st.text_input("Naam", autocomplete="username")
        password = st.text_input("Wachtwoord", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Inloggen", type="primary")
    if not submitted:
        return
    try:
        account = accounts.verify(name, password, _client())
    except accounts.TooManyAttempts as exc:
        st.error(f"Te veel pogingen, probeer het over {exc.retry_after} seconden opnieuw.")
        return
    except accounts.AccountsError as exc:
        _remember_error(str(exc))
        st.error("Inloggen is nu niet mogelijk: het accountbestand is onleesbaar. Meld dit aan de beheerder.")
        return
    if account is None:
        st.error(WRONG_LOGIN)
        return
    st.session_state[SESSION_KEY] = account.name
    st.rerun()


def _oidc_button(where: Any) -> None:
    from streamlit.auth_util import is_authlib_installed

    if not is_authlib_installed():
        where.error("Inloggen via OIDC is ingesteld, maar Authlib ontbreekt: `pip install 'Authlib>=1.3.2'`.")
        return
    try:
        provider = (_secrets_section("access") or {}).get("provider")
    except SecretsUnreadable:
        return
    where.button("Inloggen", type="primary", on_click=st.login, args=(provider,) if provider else ())


def logout() -> None:
    st.session_state.pop(SESSION_KEY, None)
    if auth_mode() == "oidc" and st.user.is_logged_in:
        st.logout()


def login_panel(where: Any = None) -> Principal:
    """The sidebar block: the demo banner, or "Ingelogd als ..." with a logout button, or (OIDC) a login button.

    Call once per run from the app shell (the demo banner lives here, so guard() may run more than once per
    run without repeating it); returns the principal for convenience.
    """
    where = where if where is not None else st.sidebar
    principal = current_principal()
    if principal.demo:
        where.warning(DEMO_BANNER, icon=":material/lock_open:")
    elif principal.authenticated:
        where.caption(f"Ingelogd als {principal.label}")
        where.button("Uitloggen", key="stuurhut_logout", on_click=logout)
    elif auth_mode() == "oidc":
        _oidc_button(where)
    _show_error(where)
    return principal


def login_page() -> None:
    """A page of its own ("Inloggen"), for the navigation to offer to visitors who are not logged in."""
    st.title("Inloggen")
    principal = current_principal()
    if principal.authenticated:
        st.success(f"U bent ingelogd als {principal.label}.")
        return
    if auth_mode() == "oidc":
        st.write("Log in met het account van uw organisatie.")
        _oidc_button(st)
    else:
        login_form()
    _show_error(st)


def _show_error(where: Any) -> None:
    message = st.session_state.pop(ERROR_KEY, None)
    if message:
        where.error(message)


def guard(page_key: str, deal: str | None = None) -> Principal:
    """Top of every page script: stop with "Geen toegang" unless the principal may open this page (and deal).

    Enforced on the server, so a direct URL to a page hidden from the navigation is refused too. A visitor who
    is not logged in gets the login form instead. Returns the principal for the page's finer checks
    (auth.can_see_personal_data etc.).
    """
    principal = current_principal()
    if auth.can_view_page(principal, page_key, deal):
        return principal
    if not principal.authenticated:
        st.info(PLEASE_LOG_IN)
        if auth_mode() == "oidc":
            _oidc_button(st)
        else:
            login_form()
        _show_error(st)
    else:
        st.error(NO_ACCESS, icon=":material/block:")
        if deal is not None and auth.can_view_page(principal, page_key):
            st.caption(f"Uw account ({principal.label}) geeft geen toegang tot deal {deal}.")
        else:
            st.caption(f"Uw account ({principal.label}) geeft geen toegang tot deze pagina.")
    st.stop()
    raise AssertionError("unreachable")  # st.stop() raises; keeps type checkers honest
