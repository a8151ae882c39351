"""Gegevens: every delivery with its lineage, the data-quality warnings and the empty template to fill in."""

import streamlit as st

from dashboard import components, downloads, state
from dashboard.format import fmt_date
from dashboard.i18n import t
from dashboard.queries import overview

f = state.filters()
wh = state.warehouse()
lang = f.lang

st.title(t("data.title"))
st.write(t("data.intro", deal=f.deal_name, date=fmt_date(f.as_of, lang)))

st.header(t("data.current"))
v = overview.data_view(wh, f.deal, f.as_of_arg, f.as_of, lang)
components.table(v.sheets, f"tabbladen_{f.deal}", key="sheets", lang=lang)

st.header(t("data.history"))
st.caption(t("data.history_help", n=v.history.height))
components.table(v.history, f"leveringen_{f.deal}", key="deliveries", lang=lang)

st.header(t("data.warnings"))
if v.warnings.is_empty():
    st.success(t("data.no_warnings"), icon=":material/check_circle:")
else:
    st.write(t("data.warnings_count", n=v.warnings.height))
    components.table(v.warnings, f"waarschuwingen_{f.deal}", key="warnings", lang=lang)

st.header(t("data.template"))
st.write(t("data.template_help"))
st.download_button(t("data.template_button"), downloads.template_xlsx(), file_name="stuurhut-sjabloon.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore",
                   icon=":material/download:", type="primary")
