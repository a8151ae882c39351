"""A tiny app for the login tests: sidebar panel, then guard(page, deal) from the query string."""

import streamlit as st

from dashboard.login import guard, login_panel

login_panel()
page = st.query_params.get("page", "overzicht")
deal = st.query_params.get("deal") or None
principal = guard(page, deal)
st.markdown(f"Pagina {page} voor {principal.name} ({principal.role})")
