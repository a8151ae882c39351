"""Gegevens: every delivery with its lineage, the data-quality warnings and the empty template to fill in."""

import polars as pl
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
fresh = overview.freshness(wh, f.deal, f.as_of_arg)
current = overview.sheet_states(fresh, f.as_of).with_columns(
    state=pl.col("state").replace({"ontbreekt": t("data.state.missing"), "verouderd": t("data.state.stale"),
                                   "actueel": t("data.state.current")}),
    source_sheet_name=pl.col("source_sheet"),
)
components.table(overview.display(current, ["sheet", "state", "file", "source_sheet_name", "rows", "peildatum",
                                            "loaded_at"], lang),
                 f"tabbladen_{f.deal}", key="sheets", lang=lang)

st.header(t("data.history"))
history = overview.deliveries(wh, f.deal, f.as_of_arg).rename({"source_sheet": "source_sheet_name"})
st.caption(t("data.history_help", n=history.height))
components.table(overview.display(history, ["delivery_id", "batch_id", "sheet", "file", "source_sheet_name", "rows",
                                            "peildatum", "loaded_at", "is_current", "rolled_back_at", "warnings"], lang),
                 f"leveringen_{f.deal}", key="deliveries", lang=lang)

st.header(t("data.warnings"))
warnings = overview.data_warnings(wh, f.deal, f.as_of_arg)
if warnings.is_empty():
    st.success(t("data.no_warnings"), icon=":material/check_circle:")
else:
    st.write(t("data.warnings_count", n=warnings.height))
    components.table(overview.display(warnings, ["file", "sheet", "row", "column", "message"], lang),
                     f"waarschuwingen_{f.deal}", key="warnings", lang=lang)

st.header(t("data.template"))
st.write(t("data.template_help"))
st.download_button(t("data.template_button"), downloads.template_xlsx(), file_name="stuurhut-sjabloon.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", on_click="ignore",
                   icon=":material/download:", type="primary")
