"""Stuurhut entry point: page config, language, login hook, global filters in the URL, then the chosen page."""

import contextlib

import streamlit as st

from dashboard import a11y, login, navigation, state, theme  # noqa: F401  (theme: registers the Altair theme)
from dashboard.components import start_screen
from dashboard.i18n import t

st.set_page_config(page_title="Stuurhut", page_icon=":material/sailing:", layout="wide",
                   initial_sidebar_state="expanded")

navigation.leave_pages_directory_mode()
lang = state.language()
a11y.apply(lang)  # document language, contrast and focus fixes (WCAG 2.1 AA)
principal = login.login_panel()
page, spec = navigation.build(principal.role, lang, login_page=None if principal.authenticated else login.login_page)
st.sidebar.caption(t("app.tagline"))
if spec is None:  # the login page, for visitors who are not logged in
    page.run()
    st.stop()
navigation.guard(spec, None)  # the role may open this page at all (one reached by URL: "Geen toegang")

wh = state.warehouse()
# one data version for the whole run: a load finishing mid-page must not mix two deliveries on screen
with wh.snapshot() if wh is not None else contextlib.nullcontext():
    deals = None
    if wh is not None:
        try:
            deals = wh.sql("deals")
        except Exception as exc:  # noqa: BLE001 - a file without the schema: explain, never a traceback
            st.session_state["_db_error"] = str(exc)
            deals = None

    if deals is None or deals.height == 0:
        start_screen(state.db_path(), "missing" if wh is None else "empty")
        st.stop()

    filters = state.sidebar_filters(wh, deals, lang) if spec.shows_deal else None
    if spec.shows_deal and filters is None:
        st.warning(t("app.no_deal_access"))
        st.stop()
    navigation.guard(spec, filters.deal if filters else None)
    page.run()
