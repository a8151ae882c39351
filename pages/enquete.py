"""Enquête: Likert answers per question, waves and themes compared, groups (5 or more), other and open questions."""

import polars as pl
import streamlit as st

from dashboard import auth, charts, components, state
from dashboard.format import fmt_date
from dashboard.i18n import t
from dashboard.login import current_principal
from dashboard.queries import survey
from dashboard.queries.budget import source
from dashboard.queries.indicators import indicators

f = state.filters()
wh = state.warehouse()
lang = f.lang

st.title(t("survey.title", deal=f.deal_name))
src, q_src = source(wh, f.deal, "Enquete", f.as_of_arg), source(wh, f.deal, "Vragen", f.as_of_arg)
if not src.delivered_ok or not q_src.delivered_ok:
    missing = "Enquete" if not src.delivered_ok else "Vragen"
    components.empty_state(t("survey.subject" if missing == "Enquete" else "survey.questions_subject"), missing)
    st.stop()


def bron() -> None:
    for s in (src, q_src):
        components.source_caption(s.file, s.sheet, s.delivered, lang)


waves = survey.survey_waves(wh, f.deal, f.as_of_arg)
options = waves["wave"].to_list()
wave = st.selectbox(t("survey.wave"), options, index=options.index(survey.default_wave(waves, f.year)), key="survey_wave")
st.caption(t("survey.context", wave=wave, date=fmt_date(f.as_of, lang)))
components.kpi_grid(indicators(wh, f.deal, f.year, f.as_of_arg).filter(pl.col("indicator") == "survey_respondents"),
                    columns=3, lang=lang)
st.caption(t("survey.privacy"))

st.header(t("survey.likert.header", wave=wave))
likert = survey.survey_likert(wh, f.deal, wave, f.as_of_arg, lang)
components.chart(charts.survey_likert(likert, lang), survey.likert_table(likert, lang), name=f"enquete_{f.deal}_{wave}",
                 key="likert", lang=lang)
means = survey.survey_question_means(wh, f.deal, f.as_of_arg).filter(pl.col("wave") <= wave)
hidden = means.filter((pl.col("wave") == wave) & pl.col("suppressed"))["question_code"].to_list()
if hidden:
    st.caption(t("survey.likert.hidden", questions=", ".join(hidden)))
bron()

st.header(t("survey.waves.header"))
components.chart(charts.survey_wave_means(means, lang), survey.question_means_table(means, lang),
                 name=f"enquete_metingen_{f.deal}", key="waves", lang=lang)

st.header(t("survey.themes.header", wave=wave))
themes = survey.survey_theme_means(wh, f.deal, f.as_of_arg).filter(pl.col("wave") <= wave)
components.chart(charts.survey_themes(themes.filter(pl.col("wave") == wave), lang), survey.theme_means_table(themes, lang),
                 name=f"enquete_themas_{f.deal}", key="themes", lang=lang)

st.header(t("survey.groups.header", wave=wave))
group_type = st.segmented_control(t("survey.groups.by"), survey.GROUP_TYPES, default=survey.GROUP_TYPES[0],
                                  format_func=lambda g: t(f"survey.groups.{g}"), key="survey_group") or survey.GROUP_TYPES[0]
groups = survey.survey_group_means(wh, f.deal, wave, group_type, f.as_of_arg)
components.chart(charts.survey_groups(groups, lang), survey.group_means_table(groups, lang),
                 name=f"enquete_groepen_{f.deal}_{wave}", key="groups", lang=lang)
note = survey.suppressed_note(groups, lang)
if note:
    st.caption(components.md_escape(note))

st.header(t("survey.other.header"))
other = survey.survey_other_questions(wh, f.deal, f.as_of_arg).filter(pl.col("wave") <= wave)
if other.is_empty():
    st.write(t("survey.other.none"))
else:
    components.table(survey.other_questions_table(other, lang), f"enquete_overige_{f.deal}", key="other", lang=lang)
st.caption(t("survey.other.note"))

st.header(t("survey.text.header", wave=wave))
if auth.can_see_personal_data(current_principal(), f.deal):
    text = survey.survey_text_answers(wh, f.deal, wave, f.as_of_arg)
    if text.is_empty():
        st.write(t("survey.text.none"))
    else:
        components.table(survey.text_answers_table(text, lang), f"enquete_open_{f.deal}_{wave}", key="text", lang=lang)
else:
    st.info(t("survey.text.restricted"), icon=":material/lock:")
unscaled = survey.survey_unscaled(wh, f.deal, f.as_of_arg)
if unscaled.height:
    st.warning(t("survey.unscaled", questions=", ".join(unscaled["question_code"].to_list())), icon=":material/warning:")
bron()
