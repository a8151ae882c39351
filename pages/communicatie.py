"""Communicatie en netwerk: newsletters and updates against target, output per channel, contacts, partners, municipalities."""

import streamlit as st

from dashboard import charts, components, state
from dashboard.format import fmt_date
from dashboard.i18n import t
from dashboard.queries import comms, teams
from dashboard.queries.indicators import indicators

f = state.filters()
wh = state.warehouse()
lang = f.lang

st.title(t("comms.title", deal=f.deal_name))
st.caption(t("comms.context", year=f.year, date=fmt_date(f.as_of, lang)))

src = teams.sources(wh, f.deal, ("Communicatie", "Contacten", "Partners"), f.as_of_arg)
ind = indicators(wh, f.deal, f.year, f.as_of_arg)


def caption(sheet: str) -> None:
    components.source_caption(src[sheet].file, sheet, src[sheet].delivered, lang)


st.header(t("comms.output"))
if src["Communicatie"].file is None:
    components.empty_state(t("comms.output_subject"), "Communicatie")
else:
    components.kpi_grid(comms.pick(ind, comms.COMM_INDICATORS, f.year), columns=3, lang=lang)

    st.subheader(t("comms.channels"))
    period = st.segmented_control(t("comms.period"), ["month", "year"], key="comms_period", required=True,
                                  default="month", format_func=lambda p: t(f"comms.period.{p}", year=f.year)) or "month"
    if period == "month":
        data, text = comms.by_month(wh, f.deal, f.year, f.as_of_arg), t("comms.period_text.month", year=f.year)
    else:
        data = comms.by_year(wh, f.deal, f.as_of_arg)
        text = comms.years_text(data["year"].to_list() or [f.year], lang)
    components.chart(charts.communication(data, period, text, lang), comms.communication_table(data, period, lang),
                     name=f"communicatie_{f.deal}_{period}", key="comms", lang=lang)
    caption("Communicatie")

st.header(t("comms.network"))
components.kpi_grid(comms.pick(ind, comms.NETWORK_INDICATORS, f.year), columns=3, lang=lang)

st.subheader(t("comms.contacts"))
if src["Contacten"].file is None:
    components.empty_state(t("comms.contacts_subject"), "Contacten")
else:
    tags = comms.contacts_by_tag(wh, f.deal, f.as_of_arg)
    components.chart(charts.contacts_by_tag(tags, lang), comms.contacts_table(tags, lang),
                     name=f"contacten_{f.deal}", key="contacts", lang=lang)
    caption("Contacten")

st.subheader(t("comms.partners"))
if src["Partners"].file is None:
    components.empty_state(t("comms.partners_subject"), "Partners")
else:
    partners = comms.partners_by_kind(wh, f.deal, f.as_of_arg)
    components.chart(charts.partners_by_kind(partners, lang), comms.partners_table(partners, lang),
                     name=f"partners_{f.deal}", key="partners", lang=lang)
    with st.expander(t("comms.municipalities", year=f.year), icon=":material/location_city:"):
        components.table(comms.municipality_table(comms.municipalities(wh, f.deal, f.year, f.as_of_arg), lang),
                         f"gemeenten_{f.deal}_{f.year}", key="municipalities", lang=lang)
    caption("Partners")
