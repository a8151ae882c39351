"""Catalogus eindresultaten: the end results of every City Deal, searchable and filterable, with CSV/XLSX export."""

import streamlit as st

from dashboard import charts, components, state
from dashboard.i18n import current_language, t
from dashboard.queries import compare
from etl.contract import PROGRESS_STATUSES

wh = state.warehouse()
lang = current_language()

st.title(t("catalogue.title"))
st.caption(t("catalogue.context"))
everything = compare.catalogue(wh)
if everything.is_empty():
    components.empty_state(t("catalogue.subject"), "Eindresultaten")
    st.stop()

q = st.text_input(t("catalogue.search"), key="cat_q", placeholder=t("catalogue.search_placeholder"))
a, b, c = st.columns(3)
deals = a.multiselect(t("catalogue.filter.deals"), compare.deals(wh)["code"].to_list(), key="cat_deals",
                      placeholder=t("catalogue.filter.placeholder"))
parts = compare.catalogue_parts(wh, deals)
# parts of a deal no longer chosen drop out of the choice instead of breaking the widget
st.session_state["cat_parts"] = [p for p in st.session_state.get("cat_parts", []) if p in parts]
chosen_parts = b.multiselect(t("catalogue.filter.parts"), list(parts), key="cat_parts", format_func=parts.get,
                             placeholder=t("catalogue.filter.placeholder"))
statuses = c.multiselect(t("catalogue.filter.status"), list(PROGRESS_STATUSES), key="cat_status",
                         format_func=lambda s: charts.work_status_label(s, lang),
                         placeholder=t("catalogue.filter.placeholder"))

v = compare.catalogue_view(wh, q, deals, chosen_parts, statuses, lang)
st.header(t("catalogue.shown", n=v.shown, total=v.total))
if v.table is None:
    st.info(t("catalogue.none"), icon=":material/filter_alt_off:")
else:
    st.caption(t("catalogue.by_deal", counts=v.by_deal))
    # fixed widths, long texts wrapped onto more lines: all eight columns in view beside the menu at 1280 px
    config, row_height = components.fitted(v.table, compare.catalogue_layout(lang))
    components.styled_table(v.styled, v.table, "catalogus_eindresultaten", key="cat_export", row_height=row_height,
                            column_config=config, lang=lang)
components.source_caption(v.files, "Eindresultaten", v.delivered, lang)
