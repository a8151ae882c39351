"""Beheer: who has an account (name, role, deal; never a hash) and the `stuurhut user` commands to change that."""

import polars as pl
import streamlit as st

from dashboard import accounts, login, navigation
from dashboard.i18n import t

navigation.leave_pages_directory_mode()  # a fresh server's first run may start here, without the shell
principal = login.guard("beheer")  # the shell guards too; a page that lists accounts checks for itself

st.title(t("admin.title"))
mode = login.auth_mode()
st.info(t(f"admin.mode.{mode}"), icon=":material/lock:" if mode != "demo" else ":material/lock_open:")
path = accounts.accounts_path()
st.caption(t("admin.file", path=str(path)))

try:
    users = accounts.list_users()
except accounts.AccountsError as exc:
    st.error(t("admin.unreadable", error=str(exc)), icon=":material/error:")
    users = []
else:
    if users:
        st.write(t("admin.count", n=len(users)))
        st.dataframe(pl.DataFrame({
            t("admin.col.name"): [u.name for u in users],
            t("admin.col.role"): [u.role for u in users],
            t("admin.col.deal"): [u.deal or "" for u in users],
            t("admin.col.created"): [u.created[:10] for u in users],
            t("admin.col.updated"): [(u.updated or u.created)[:10] for u in users],
        }, schema_overrides={t("admin.col.deal"): pl.String}), hide_index=True, width="stretch")
    else:
        st.write(t("admin.none"))

st.markdown(t("admin.howto"))
st.code(
    "stuurhut user list\n"
    f"stuurhut user add a.jansen --role kernteam --deal CDOR   # {t('admin.asks_password')}\n"
    "stuurhut user add gast --role publiek\n"
    "stuurhut user add beheerder --role beheer\n"
    "stuurhut user remove a.jansen",
    language="bash",
)
st.caption(t("admin.docs"))
