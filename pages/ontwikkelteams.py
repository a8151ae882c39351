"""Ontwikkelteams: the development teams side by side, and per team its milestones, meetings and end results."""

import streamlit as st

from dashboard import charts, components, state
from dashboard.format import fmt_date, fmt_ratio
from dashboard.i18n import t
from dashboard.queries import results, teams

f = state.filters()
wh = state.warehouse()
lang = f.lang

st.title(t("teams.title", deal=f.deal_name))
st.caption(t("teams.context", year=f.year, date=fmt_date(f.as_of, lang)))

names = teams.names_of(wh, f.deal, f.as_of_arg)
if not names:
    components.empty_state(t("teams.subject"), "Onderdelen")
    st.stop()
# the picked team lives in the URL (?team=OT2) like the global filters: a link reproduces the view
url_team = st.query_params.get("team")
if url_team in names and url_team != st.session_state.get("_team_url"):
    st.session_state["f_team"] = url_team
if st.session_state.get("f_team") not in (teams.ALL, *names):
    st.session_state["f_team"] = teams.ALL
team = st.selectbox(t("teams.picker"), [teams.ALL, *names], key="f_team",
                    format_func=lambda c: t("teams.all") if c == teams.ALL else names[c])
if st.query_params.get("team") != team:  # setting it, even unchanged, sends the browser a message each rerun
    st.query_params["team"] = team
st.session_state["_team_url"] = team
v = teams.view(wh, f.deal, team, f.year, f.as_of_arg, lang)
src, overview, ms = v.sources, v.overview, v.milestones


def caption(*sheets: str) -> None:
    components.sources_caption(((src[sheet].file, sheet, src[sheet].delivered) for sheet in sheets), lang)


if team == teams.ALL:
    st.header(t("teams.overview"))
    # nine columns of fixed widths, the name wrapped: all in view beside the menu on a 1280 px screen
    config, row_height = components.fitted(v.overview_table, teams.overview_layout(f.year, lang))
    components.table(v.overview_table, f"ontwikkelteams_{f.deal}_{f.year}", key="teams_overview", lang=lang,
                     column_config=config, row_height=row_height)
    st.caption(t("teams.overview_help", year=f.year, indicator=teams.indicator_label(lang)))
    caption("Mijlpalen", "Bijeenkomsten", "Eindresultaten")
else:
    row = overview.row(0, named=True)
    cols = st.columns(4)
    cols[0].metric(t("teams.tile.milestones"), t("teams.of", done=row["done"], total=row["milestones"]))
    cols[1].metric(t("teams.tile.late"), row["late"], help=t("teams.tile.late_help"))
    cols[2].metric(t("teams.tile.progress"), fmt_ratio(row["progress"], lang))
    cols[3].metric(t("teams.tile.end_results"), t("teams.of", done=row["end_results_ready"], total=row["end_results"]))

st.header(t("teams.meetings", year=f.year))
if src["Bijeenkomsten"].file is None:
    components.empty_state(t("teams.subject"), "Bijeenkomsten")
elif team != teams.ALL:
    with st.columns(2)[0]:
        components.kpi_tile(teams.meeting_tile(overview.row(0, named=True), f.year, src["Bijeenkomsten"]), lang)
else:
    components.chart(charts.team_meetings(overview, f.year, lang), v.meetings_table,
                     name=f"teamoverleggen_{f.deal}_{f.year}", key="team_meetings", lang=lang)
    caption("Bijeenkomsten")

st.header(t("teams.milestones"))
if src["Mijlpalen"].file is None:
    components.empty_state(t("teams.milestones_subject"), "Mijlpalen")
elif ms.is_empty():
    st.info(t("teams.no_milestones"), icon=":material/info:")
else:
    ref = ms["ref_date"][0]
    components.chart(charts.timeline(v.timeline, ref, lang), v.milestone_table, name=f"mijlpalen_{f.deal}_{team}", key="milestones", lang=lang)
    caption("Mijlpalen")

if team != teams.ALL:
    st.header(t("teams.end_results"))
    if src["Eindresultaten"].file is None:
        components.empty_state(t("teams.end_results_subject"), "Eindresultaten")
    elif v.register_table is None:
        st.info(t("teams.no_end_results"), icon=":material/info:")
    else:
        config, row_height = components.fitted(v.register_table, results.register_layout(lang))
        components.table(v.register_table, f"eindresultaten_{f.deal}_{team}", key="team_results", lang=lang,
                         column_config=config, row_height=row_height)
        caption("Eindresultaten")
