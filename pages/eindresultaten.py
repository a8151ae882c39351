"""Eindresultaten 2023: the register of end results per part of the deal, with status, progress and linked milestones."""

import streamlit as st

from dashboard import charts, components, memo, state
from dashboard.format import fmt_date
from dashboard.i18n import t
from dashboard.queries import comms, results, teams
from dashboard.queries.indicators import indicators
from etl.contract import PROGRESS_STATUSES

f = state.filters()
wh = state.warehouse()
lang = f.lang

st.title(t("results.title", deal=f.deal_name))
st.caption(t("results.context", date=fmt_date(f.as_of, lang)))

src = teams.sources_of(wh, f.deal, f.as_of_arg)  # Eindresultaten and Mijlpalen among them
register = results.register(wh, f.deal, f.as_of_arg)
if src["Eindresultaten"].file is None or register.is_empty():
    components.empty_state(t("results.subject"), "Eindresultaten")
    st.stop()

st.header(t("results.counts"))
by_status = results.by_status(wh, f.deal, f.as_of_arg)
counts = results.status_counts(by_status)
left, right = st.columns([1, 2])
with left:
    ready = comms.pick(indicators(wh, f.deal, f.year, f.as_of_arg), ("end_results_ready",), f.year)
    components.kpi_grid(ready, columns=1, lang=lang)
with right:
    cols = st.columns(len(PROGRESS_STATUSES))
    for col, code in zip(cols, PROGRESS_STATUSES, strict=True):
        col.metric(charts.work_status_label(code, lang), counts[code])
    components.chart(charts.end_results_status(by_status, lang), None, key="by_status", lang=lang)
    components.source_caption(src["Eindresultaten"].file, "Eindresultaten", src["Eindresultaten"].delivered, lang)

st.header(t("results.register"))
parts = memo.derived(register, "part_names", lambda: results.part_names(register))
a, b = st.columns(2)
chosen_parts = a.multiselect(t("results.filter.part"), list(parts), key="er_parts", format_func=parts.get,
                             placeholder=t("results.filter.placeholder"))
chosen_status = b.multiselect(t("results.filter.status"), list(PROGRESS_STATUSES), key="er_status",
                              format_func=lambda s: charts.work_status_label(s, lang),
                              placeholder=t("results.filter.placeholder"))
n, table, styled = results.register_view(wh, f.deal, chosen_parts, chosen_status, f.as_of_arg, lang)
st.caption(t("results.shown", n=n, total=register.height))
if table is None:
    st.info(t("results.none_selected"), icon=":material/filter_alt_off:")
else:
    # fixed widths, long texts wrapped onto more lines: all eight columns in view beside the menu at 1280 px
    config, row_height = components.fitted(table, results.register_layout(lang))
    components.styled_table(styled, table, f"eindresultaten_{f.deal}", key="register", row_height=row_height,
                            column_config=config, lang=lang)
components.sources_caption(((src[sheet].file, sheet, src[sheet].delivered) for sheet in ("Eindresultaten", "Mijlpalen")),
                           lang)
