"""Bijeenkomsten: meetings held against target, the year's timeline, attendance per organisation and partner type."""

import streamlit as st

from dashboard import charts, components, state
from dashboard.format import fmt_date
from dashboard.i18n import t
from dashboard.queries import meetings
from dashboard.queries.budget import Source, source

f = state.filters()
wh = state.warehouse()
lang = f.lang

st.title(t("meetings.title", deal=f.deal_name))
st.caption(t("meetings.context", year=f.year, date=fmt_date(f.as_of, lang)))

src = source(wh, f.deal, "Bijeenkomsten", f.as_of_arg)
if not src.delivered_ok:
    components.empty_state(t("meetings.subject"), "Bijeenkomsten")
    st.stop()


def bron(s: Source) -> None:
    components.source_caption(s.file, s.sheet, s.delivered, lang)


st.header(t("meetings.target.header"))
vs = meetings.meetings_vs_target(wh, f.deal, f.as_of_arg, upto_year=f.year)
components.chart(charts.meetings_vs_target(vs, f.year, lang), meetings.target_table(vs, lang),
                 name=f"bijeenkomsten_doel_{f.deal}", key="target", lang=lang)
with st.expander(t("meetings.by_kind.expander"), icon=":material/table:"):
    by_kind = meetings.meetings_by_kind(wh, f.deal, f.as_of_arg)
    components.table(meetings.display(by_kind, ["year", "meeting_kind", "held", "planned", "cancelled", "meetings"], lang),
                     f"bijeenkomsten_{f.deal}", key="by_kind", lang=lang)
bron(src)

st.header(t("meetings.timeline.header", year=f.year))
timeline = meetings.meetings_timeline(wh, f.deal, f.year, f.as_of_arg)
components.chart(charts.meetings_timeline(timeline, f.year, f.as_of, lang),
                 meetings.display(timeline, ["meeting_date", "meeting_kind", "title", "part", "form", "status"], lang),
                 name=f"tijdlijn_{f.deal}_{f.year}", key="timeline", lang=lang)
bron(src)

st.header(t("meetings.attendance.header", year=f.year))
att_src = source(wh, f.deal, "Aanwezigheid", f.as_of_arg)
if not att_src.delivered_ok:
    components.empty_state(t("meetings.attendance.subject"), "Aanwezigheid")
    st.stop()
rate = meetings.attendance_indicator(wh, f.deal, f.year, f.as_of_arg)
components.kpi_grid(rate, columns=3, lang=lang)
target = rate["target_min"][0] if rate.height else None
st.caption(t("meetings.attendance.privacy", n=meetings.MIN_ROWS))

cols = ["organisation", "partner_kind", "invitations", "present", "excused", "absent", "rate"]
by_type = meetings.attendance_by_partner_kind(wh, f.deal, f.year, f.as_of_arg)
components.chart(charts.attendance_rate(by_type, "partner_kind", target, lang),
                 meetings.display(by_type, cols[1:], lang), name=f"opkomst_soort_{f.deal}_{f.year}", key="by_type",
                 lang=lang)
by_org = meetings.attendance_by_organisation(wh, f.deal, f.year, f.as_of_arg)
components.chart(charts.attendance_rate(by_org, "organisation", target, lang), meetings.display(by_org, cols, lang),
                 name=f"opkomst_organisatie_{f.deal}_{f.year}", key="by_org", lang=lang)
bron(att_src)

st.subheader(t("meetings.absentees.header"))
away = meetings.absentees(by_org, target)
st.markdown(components.md_escape(charts.describe_absentees(away, lang)))
if away.height:
    shown = meetings.display(away, cols, lang)
    config, row_height = components.fitted(shown, meetings.absentee_layout(lang))
    components.table(shown, f"wie_blijft_weg_{f.deal}_{f.year}", key="absentees", lang=lang, column_config=config,
                     row_height=row_height)
bron(att_src)
