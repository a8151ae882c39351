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
years = compare.year_options(all_deals, codes, mode)
if not years:
    components.empty_state(t("compare.subject"), "Deal")
    st.stop()
if st.session_state.get("cmp_year") not in years:
    st.session_state["cmp_year"] = compare.default_year(all_deals, codes, mode)
year = c.selectbox(t("compare.filter.year"), years, key="cmp_year",
                   format_func=lambda y: t(f"compare.year_label.{mode}", year=y))
year_text = t(f"compare.year_label.{mode}", year=year)
st.caption(t("compare.context", n=len(codes)))
files, delivered = compare.source_parts(wh, None, codes, lang=lang)

with st.expander(t("compare.deals_header"), icon=":material/handshake:", expanded=True):
    components.table(compare.deals_table(all_deals, codes, year, mode, lang), "deals", key="cmp_deals_table", lang=lang)

g = compare.grid(wh, codes)
labels = compare.indicator_labels(g, lang)
st.header(t("compare.heat.header"))
shown = st.multiselect(t("compare.filter.indicators"), list(labels), key="cmp_indicators", format_func=labels.get,
                       placeholder=t("compare.filter.indicators_placeholder")) or list(labels)
rows = compare.at_year(g, year, mode, shown)
missing = compare.missing_deals(g, codes, year, mode)
if missing:
    st.caption(t("compare.not_there", year=year_text, deals=", ".join(missing)))
if not compare.has_figures(rows):
    st.info(t("compare.heat.none"), icon=":material/info:")
    st.stop()
st.subheader(compare.describe_heat(rows, lang))
heat = compare.heat_table(rows, shown, mode, lang)
st.dataframe(compare.heat_styled(heat, lang), hide_index=True, width="stretch",
             column_config={t("compare.col.deal"): st.column_config.TextColumn(pinned=True)})
components.download_buttons(heat, f"vergelijking_{year}", key="cmp_heat", lang=lang)
st.caption(t("compare.heat.legend"))
components.source_caption(files, None, delivered, lang)

st.header(t("compare.multiples.header"))
components.chart(charts.compare_multiples(rows, shown, lang), compare.year_table(rows, lang),
                 name=f"indicatoren_per_deal_{year}", key="cmp_multiples", lang=lang)
components.source_caption(files, None, delivered, lang)

st.header(t("compare.bench.header"))
focus = st.selectbox(t("compare.bench.pick"), compare.present(rows), key="cmp_focus")
bench = compare.benchmark(rows)
st.subheader(compare.describe_benchmark(bench, focus, lang))
components.table(compare.benchmark_table(bench, focus, lang), f"benchmark_{focus}_{year}", key="cmp_bench", lang=lang)
st.caption(t("compare.bench.note"))
components.source_caption(files, None, delivered, lang)

st.header(t("compare.trend.header"))
trend_ind = st.selectbox(t("compare.trend.pick"), shown, key="cmp_trend", format_func=labels.get)
trend = compare.trend(g, trend_ind)
components.chart(charts.compare_trend(trend, mode, lang), compare.trend_table(trend, lang),
                 name=f"verloop_{trend_ind}", key="cmp_trend_chart", lang=lang)
components.source_caption(files, None, delivered, lang)

st.header(t("compare.self.header"))
sa = compare.self_assessment(wh, codes)
if sa.is_empty():
    components.empty_state(t("compare.self.subject"), "Zelfevaluatie")
else:
    st.write(t("compare.self.intro"))
    components.table(compare.self_table(sa, lang), "zelfevaluatie", key="cmp_self", lang=lang)
    components.chart(charts.compare_self_assessment(sa, focus, lang), compare.self_benchmark_table(sa, focus, lang),
                     name=f"zelfevaluatie_{focus}", key="cmp_self_chart", lang=lang)
    sa_files, sa_delivered = compare.source_parts(wh, "Zelfevaluatie", codes, lang=lang)
    components.source_caption(sa_files, "Zelfevaluatie", sa_delivered, lang)
st.caption(t("compare.catalogue_link"))
