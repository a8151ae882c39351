"""Overzicht: the steering indicators at a glance, what changed, open bottlenecks and how fresh the data is."""

import polars as pl
import streamlit as st

from dashboard import charts, components, state
from dashboard.format import fmt_date, fmt_datetime
from dashboard.i18n import t
from dashboard.queries import overview
from dashboard.queries.indicators import indicators

f = state.filters()
wh = state.warehouse()
lang = f.lang

st.title(t("overview.title", deal=f.deal_name))
st.caption(t("overview.context", year=f.year, date=fmt_date(f.as_of, lang)))

ind = indicators(wh, f.deal, f.year, f.as_of_arg)
v = overview.view(wh, f.deal, ind, f.year, f.as_of_arg, lang)
fresh = v.fresh

if f.year > f.as_of.year:
    st.info(t("overview.future_year", year=f.year, date=fmt_date(f.as_of, lang)), icon=":material/event_upcoming:")
elif ind.is_empty() or ind.filter(pl.col("status") != "no_data").is_empty():
    components.empty_state(t("overview.subject"), "Bijeenkomsten")
else:
    st.header(charts.describe_indicator_status(ind, lang))  # h2: one h1, then h2 (WCAG 1.3.1)
    components.kpi_grid(ind, columns=3, lang=lang)
    # drawn only while open, like the data behind a chart (components.chart): opening it reruns the page
    box = st.expander(t("overview.as_chart"), icon=":material/bar_chart:", key="status_open", on_change="rerun")
    if box.open is not False:
        with box:
            components.chart(charts.indicator_status(ind, lang), v.status_table,
                             name=f"indicatoren_{f.deal}_{f.year}", key="status", lang=lang)

st.header(t("overview.changes"))
changed = v.changed
if not changed:
    st.write(t("overview.no_changes" if overview.has_previous(ind) else "overview.no_previous"))
else:
    st.markdown("\n".join(f"- {components.md_escape(line)}" for line in changed))
    box = st.expander(t("overview.as_chart"), icon=":material/bar_chart:", key="changes_open", on_change="rerun")
    if box.open is not False:
        with box:
            components.chart(charts.indicator_changes(ind, lang), v.changes_table,
                             name=f"veranderingen_{f.deal}", key="changes", lang=lang)

st.header(t("overview.bottlenecks"))
counts = v.counts
if "Knelpunten" in fresh.missing:
    components.empty_state(t("overview.bottlenecks_subject"), "Knelpunten")
elif sum(counts.values()) == 0:
    st.success(t("overview.no_bottlenecks"), icon=":material/check_circle:")
else:
    cols = st.columns(4)
    for col, sev in zip(cols, ("hoog", "middel", "laag", "onbekend"), strict=True):
        col.metric(t(f"severity.{sev}"), counts[sev])
    components.text_table(v.bottlenecks, f"knelpunten_{f.deal}", key="bottlenecks", lang=lang)  # Knelpunt and Actie in full

st.header(t("overview.freshness"))
a, b = st.columns(2)
a.metric(t("overview.peildatum"), fmt_date(fresh.peildatum, lang))
b.metric(t("overview.last_loaded"), fmt_datetime(fresh.last_loaded, lang))
stale = overview.stale_sheets(fresh, f.as_of)
if overview.is_old(fresh.peildatum):
    st.warning(t("overview.old_data", date=fmt_date(fresh.peildatum, lang)), icon=":material/history:")
if fresh.missing:
    st.write(t("overview.missing", sheets=", ".join(fresh.missing)))
if stale:
    st.write(t("overview.stale", sheets=", ".join(f"{s} ({fmt_date(d, lang)})" for s, d in stale)))
if not fresh.missing and not stale:
    st.write(t("overview.all_fresh"))
