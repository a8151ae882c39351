"""Enquête: Likert answers per question, waves and themes compared, groups (5 or more), other and open questions."""

import streamlit as st

from dashboard import auth, charts, components, state
from dashboard.format import fmt_date
from dashboard.i18n import t
from dashboard.login import current_principal
from dashboard.queries import survey

f = state.filters()
wh = state.warehouse()
lang = f.lang

st.title(t("survey.title", deal=f.deal_name))
src, q_src = survey.sources(wh, f.deal, f.as_of_arg)
if not src.delivered_ok or not q_src.delivered_ok:
    missing = "Enquete" if not src.delivered_ok else "Vragen"
    components.empty_state(t("survey.subject" if missing == "Enquete" else "survey.questions_subject"), missing)
    st.stop()


def bron() -> None:
    components.sources_caption(((s.file, s.sheet, s.delivered) for s in (src, q_src)), lang)


options, first = survey.wave_choice(wh, f.deal, f.year, f.as_of_arg)
wave = st.selectbox(t("survey.wave"), options, index=first, key="survey_wave")
st.caption(t("survey.context", wave=wave, date=fmt_date(f.as_of, lang)))
# the grouping picker sits further down the page, but its value is known before it is drawn
group_type = st.session_state.get("survey_group") or survey.GROUP_TYPES[0]
v = survey.view(wh, f.deal, f.year, wave, group_type, f.as_of_arg, lang,
                with_text=auth.can_see_personal_data(current_principal(), f.deal))
components.kpi_grid(v.respondents, columns=3, lang=lang)
st.caption(t("survey.privacy"))

st.header(t("survey.likert.header", wave=wave))
components.chart(charts.survey_likert(v.likert, lang), v.likert_table, name=f"enquete_{f.deal}_{wave}",
                 key="likert", lang=lang)
if v.hidden:
    st.caption(t("survey.likert.hidden", questions=", ".join(v.hidden)))
bron()

st.header(t("survey.waves.header"))
components.chart(charts.survey_wave_means(v.means, lang), v.means_table, name=f"enquete_metingen_{f.deal}", key="waves",
                 lang=lang)

st.header(t("survey.themes.header", wave=wave))
components.chart(charts.survey_themes(v.wave_themes, lang), v.themes_table, name=f"enquete_themas_{f.deal}",
                 key="themes", lang=lang)

st.header(t("survey.groups.header", wave=wave))
st.segmented_control(t("survey.groups.by"), survey.GROUP_TYPES, default=survey.GROUP_TYPES[0],
                     format_func=lambda g: t(f"survey.groups.{g}"), key="survey_group")
components.chart(charts.survey_groups(v.groups, lang), v.groups_table, name=f"enquete_groepen_{f.deal}_{wave}",
                 key="groups", lang=lang)
if v.groups_note:
    st.caption(components.md_escape(v.groups_note))

st.header(t("survey.other.header"))
if v.other_table is None:
    st.write(t("survey.other.none"))
else:
    components.table(v.other_table, f"enquete_overige_{f.deal}", key="other", lang=lang)
st.caption(t("survey.other.note"))

st.header(t("survey.text.header", wave=wave))
if not auth.can_see_personal_data(current_principal(), f.deal):
    st.info(t("survey.text.restricted"), icon=":material/lock:")
elif v.text_table is None:
    st.write(t("survey.text.none"))
else:
    components.table(v.text_table, f"enquete_open_{f.deal}_{wave}", key="text", lang=lang)
if v.unscaled:
    st.warning(t("survey.unscaled", questions=", ".join(v.unscaled)), icon=":material/warning:")
bron()
