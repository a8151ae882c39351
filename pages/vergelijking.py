"""Vergelijking: City Deals side by side on the steering indicators, by calendar or deal year, with self-assessment."""

import streamlit as st

from dashboard import charts, components, state
from dashboard.i18n import current_language, t
from dashboard.queries import compare

wh = state.warehouse()
lang = current_language()
all_deals = compare.deals(wh)

st.title(t("compare.title"))
a, b, c = st.columns([3, 1.6, 1])
picked = a.multiselect(t("compare.filter.deals"), all_deals["code"].to_list(), key="cmp_deals",
                       placeholder=t("compare.filter.placeholder"))
codes = compare.chosen(all_deals, picked)
st.session_state.setdefault("cmp_mode", "calendar")
mode = b.segmented_control(t("compare.filter.mode"), compare.MODES, key="cmp_mode", selection_mode="single",
                           required=True, format_func=lambda m: t(f"compare.mode.{m}"), help=t("compare.mode_help"))
years, default_year = compare.years_of(wh, codes, mode)
if not years:
    components.empty_state(t("compare.subject"), "Deal")
    st.stop()
if st.session_state.get("cmp_year") not in years:
    st.session_state["cmp_year"] = default_year
year = c.selectbox(t("compare.filter.year"), years, key="cmp_year",
                   format_func=lambda y: t(f"compare.year_label.{mode}", year=y))
year_text = t(f"compare.year_label.{mode}", year=year)
st.caption(t("compare.context", n=len(codes)))
# the indicator picker sits below the deals table, but its value is known before it is drawn
labels = compare.labels_of(wh, codes, lang)
shown = [c for c in st.session_state.get("cmp_indicators") or [] if c in labels] or list(labels)
v = compare.view(wh, codes, year, mode, shown, lang)
files, delivered, rows = v.files, v.delivered, v.rows

with st.expander(t("compare.deals_header"), icon=":material/handshake:", expanded=True):
    components.table(v.deals_table, "deals", key="cmp_deals_table", lang=lang)

st.header(t("compare.heat.header"))
st.multiselect(t("compare.filter.indicators"), list(labels), key="cmp_indicators", format_func=labels.get,
               placeholder=t("compare.filter.indicators_placeholder"))
if v.missing:
    st.caption(t("compare.not_there", year=year_text, deals=", ".join(v.missing)))
if not v.has_figures:
    st.info(t("compare.heat.none"), icon=":material/info:")
    st.stop()
st.subheader(v.heat_title)
# the deals side by side, one indicator per row (up to four deals in view, more scroll sideways)
config, row_height = components.side_by_side(v.heat)
components.styled_table(v.heat_styled, v.heat, f"vergelijking_{year}", key="cmp_heat", column_config=config,
                        row_height=row_height, lang=lang)
st.caption(t("compare.heat.legend"))
components.source_caption(files, None, delivered, lang)

st.header(t("compare.multiples.header"))
components.chart(charts.compare_multiples(rows, shown, lang), v.multiples_table,
                 name=f"indicatoren_per_deal_{year}", key="cmp_multiples", lang=lang)
components.source_caption(files, None, delivered, lang)

st.header(t("compare.bench.header"))
focus = st.selectbox(t("compare.bench.pick"), v.present, key="cmp_focus")
finding, bench_table, self_bench_table = compare.focus_view(wh, codes, year, mode, shown, focus, lang)
st.subheader(finding)
config, row_height = components.fitted(bench_table, compare.bench_layout(lang))
components.table(bench_table, f"benchmark_{focus}_{year}", key="cmp_bench", lang=lang, column_config=config,
                 row_height=row_height)
st.caption(t("compare.bench.note"))
components.source_caption(files, None, delivered, lang)

st.header(t("compare.trend.header"))
trend_ind = st.selectbox(t("compare.trend.pick"), shown, key="cmp_trend", format_func=labels.get)
trend, trend_table = compare.trend_of(wh, codes, trend_ind, lang)
components.chart(charts.compare_trend(trend, mode, lang), trend_table,
                 name=f"verloop_{trend_ind}", key="cmp_trend_chart", lang=lang)
components.source_caption(files, None, delivered, lang)

st.header(t("compare.self.header"))
if v.self_table is None:
    components.empty_state(t("compare.self.subject"), "Zelfevaluatie")
else:
    st.write(t("compare.self.intro"))
    config, row_height = components.side_by_side(v.self_table)  # the deals side by side, one theme per row
    components.table(v.self_table, "zelfevaluatie", key="cmp_self", lang=lang, column_config=config,
                     row_height=row_height)
    components.chart(charts.compare_self_assessment(v.self_scores, focus, lang), self_bench_table,
                     name=f"zelfevaluatie_{focus}", key="cmp_self_chart", lang=lang)
    components.source_caption(v.self_files, "Zelfevaluatie", v.self_delivered, lang)
st.caption(t("compare.catalogue_link"))
