"""Toegankelijkheid: the accessibility statement (WCAG 2.1 AA), what was tested and how, results per page."""

import datetime as dt

import streamlit as st

from dashboard import a11y
from dashboard.format import fmt_date
from dashboard.i18n import current_language, t

lang = current_language()
results = a11y.load_results()

st.title(t("a11y.title"))
st.write(t("a11y.intro"))

st.header(t("a11y.status.header"))
st.markdown(t("a11y.status.text"))

st.header(t("a11y.how.header"))
st.markdown(t("a11y.how.text", axe=(results or {}).get("axe", "4")))

st.header(t("a11y.results.header"))
if not results:
    st.info(t("a11y.results.none"), icon=":material/info:")
else:
    tested = dt.date.fromisoformat(results["tested"])
    st.caption(t("a11y.results.caption", date=fmt_date(tested, lang)))
    st.table(a11y.results_table(results, lang))  # a plain HTML table: headers announced, every row readable

st.header(t("a11y.what.header"))
st.markdown(t("a11y.what.text"))

st.header(t("a11y.limits.header"))
st.markdown(t("a11y.limits.text"))

st.header(t("a11y.contact.header"))
st.write(t("a11y.contact.text"))
