"""Presentatie: the directors' deck one slide at a time, full width, keyboard navigation, PowerPoint and PDF."""

import streamlit as st

from dashboard import state
from dashboard.format import fmt_date
from dashboard.i18n import t
from dashboard.slides import view

f = state.filters()
wh = state.warehouse()
number = view.current_slide()

if number is None:
    st.title(t("pres.title", deal=f.deal_name))
    st.write(t("pres.intro"))
    deal_key, as_of_key = view.choose(wh, f)
    st.button(t("pres.start"), key="pres_start", on_click=view.start, args=(deal_key, as_of_key), type="primary",
              icon=":material/slideshow:")
    chosen_deal, chosen_as_of = st.session_state[deal_key], st.session_state[as_of_key]
    d = view.deck(wh, chosen_deal, chosen_as_of)
    st.caption(t("pres.summary", n=len(d.slides), date=fmt_date(d.as_of, f.lang) if d.as_of else "–"))
    a, b, _ = st.columns([1, 1, 4])
    view.download_buttons(wh, d, chosen_deal, chosen_as_of, where=(a, b))
    st.caption(t("pres.keys"))
    view.contents(d, deal_key, as_of_key)
else:
    st.html(view.PRESENTING_CSS)
    d = view.deck(wh, f.deal, f.as_of)
    number = min(number, len(d.slides))
    view.show(d, number)
    st.divider()
    view.controls(wh, d, number, f.deal, f.as_of)
