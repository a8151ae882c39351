"""Begroting: budgeted against realised, the development money carried over, posts (detail roles only), funders."""

import polars as pl
import streamlit as st

from dashboard import auth, charts, components, state
from dashboard.format import fmt_date
from dashboard.i18n import t
from dashboard.login import current_principal
from dashboard.queries import budget
from dashboard.queries.indicators import indicators

f = state.filters()
wh = state.warehouse()
lang = f.lang

st.title(t("budget.title", deal=f.deal_name))
st.caption(t("budget.context", year=f.year, date=fmt_date(f.as_of, lang)))

src = budget.source(wh, f.deal, "Begroting", f.as_of_arg)
if not src.delivered_ok:
    components.empty_state(t("budget.subject"), "Begroting")
    st.stop()


def bron(s: budget.Source) -> None:
    components.source_caption(s.file, s.sheet, s.delivered, lang)


ind = indicators(wh, f.deal, f.year, f.as_of_arg)
components.kpi_grid(ind.filter(pl.col("indicator").is_in(["dev_budget_spent", "dev_budget_surplus"])), columns=2,
                    lang=lang)

st.header(t("budget.by_year.header"))
by_year = budget.budget_by_year(wh, f.deal, f.as_of_arg)
components.chart(charts.budget_by_year(by_year, f.year, lang), budget.totals_table(by_year, lang),
                 name=f"begroting_{f.deal}", key="by_year", lang=lang)
bron(src)

st.header(t("budget.carry.header"))
carry = budget.budget_carry_over(wh, f.deal, f.as_of_arg)
components.chart(charts.budget_carry_over(carry, f.year, lang), budget.carry_over_table(carry, lang),
                 name=f"ontwikkelgeld_{f.deal}", key="carry", lang=lang)
st.markdown(components.md_escape(charts.describe_unspent(carry, lang)))
st.caption(t("budget.carry.rule"))
bron(src)

st.header(t("budget.posts.header", year=f.year))
if auth.can_see_budget_detail(current_principal(), f.deal):
    posts = budget.budget_posts(wh, f.deal, f.year, f.as_of_arg)
    components.chart(charts.budget_posts(posts, f.year, lang), budget.posts_table(posts, lang),
                     name=f"posten_{f.deal}_{f.year}", key="posts", lang=lang)
else:
    st.info(t("budget.posts.restricted"), icon=":material/lock:")
    components.table(budget.totals_table(by_year.filter(pl.col("year") == f.year), lang),
                     f"begroting_totalen_{f.deal}_{f.year}", key="totals", lang=lang)
bron(src)

st.header(t("budget.funders.header", year=f.year))
funders_src = budget.source(wh, f.deal, "Bijdragen", f.as_of_arg)
if not funders_src.delivered_ok:
    components.empty_state(t("budget.funders.subject"), "Bijdragen")
else:
    funders = budget.contributions_by_funder(wh, f.deal, f.year, f.as_of_arg)
    components.chart(charts.contributions_by_funder(funders, f.year, lang), budget.contributions_table(funders, lang),
                     name=f"bijdragen_{f.deal}_{f.year}", key="funders", lang=lang)
    bron(funders_src)
