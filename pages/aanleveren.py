"""Gegevens aanleveren: upload spreadsheets, see the report and what would change, load; history with rollback."""

import streamlit as st

from dashboard import auth, components, login, navigation, state, upload
from dashboard.i18n import t


def show_problems(problems) -> None:
    """The report as the CLI groups it: per file and sheet a table of row, column and message (wrapped, in full)."""
    for file, sheet, table in upload.problem_groups(problems, lang):
        st.markdown(f"**{components.md_escape(file)}** · {components.md_escape(sheet)}")
        if table.height > upload.MAX_STATIC_ROWS:  # a long report scrolls instead of filling the page
            st.dataframe(table, hide_index=True, width="stretch", placeholder="–")
        else:  # st.table renders Markdown: spreadsheet text is escaped to show literally
            st.table(upload.text_table(table, components.md_escape), hide_index=True)


f = state.filters()
wh = state.warehouse()
db = state.db_path()
lang = f.lang
principal = login.guard("aanleveren", f.deal)  # the shell guards too; the actions below check again

st.title(t("upload.title"))
if done := st.session_state.pop("_up_done", None):
    st.success(done, icon=":material/check_circle:")
    st.page_link(str(navigation.ROOT / "pages/overzicht.py"), label=t("upload.see_overview"), icon=":material/dashboard:")
tab_upload, tab_history = st.tabs([t("upload.tab.upload"), t("upload.tab.history", deal=f.deal)])

with tab_upload:
    st.markdown(t("upload.intro", mb=upload.max_upload_mb()))
    uploaded = st.file_uploader(t("upload.files"), type=list(upload.ALLOWED_TYPES), accept_multiple_files=True,
                                help=t("upload.files_help"), key=f"up_files_{st.session_state.get('_up_n', 0)}")
    deals = upload.uploadable_deals(principal, upload.known_deals(wh))
    chosen = st.selectbox(t("upload.deal"), deals, index=deals.index(f.deal) if f.deal in deals else 0,
                          help=t("upload.deal_help"), key="up_deal") if deals else None
    if principal.role == "beheer":
        st.caption(t("upload.deal_new_hint"))
    files = [upload.Upload.of(u) for u in uploaded or []]
    if files:
        key = (upload.fingerprint(files, chosen), wh.version if wh else None, principal)
        if st.session_state.get("_up_check", (None,))[0] != key:
            with st.spinner(t("upload.checking")):
                st.session_state["_up_check"] = (key, upload.check(files, db, principal, chosen, wh))
        check = st.session_state["_up_check"][1]
        result = check.result
        if result.problems:
            n = len(result.problems)
            st.error(t("upload.rejected_one") if n == 1 else t("upload.rejected", n=n), icon=":material/error:")
            show_problems(result.problems)
        elif check.refusal:
            st.error(check.refusal, icon=":material/block:")
        else:
            rows = upload.rows_summary(result.rows, lang)
            st.success(t("upload.ok_new_deal" if check.new_deal else "upload.ok", deal=check.deal, rows=rows),
                       icon=":material/check_circle:")
        if result.warnings:
            with st.expander(t("upload.warnings", n=len(result.warnings)), icon=":material/warning:"):
                show_problems(result.warnings)
        if check.changes:
            st.header(t("upload.what_changes"))
            st.markdown(components.md_escape(upload.change_summary(check.changes, lang)))
            st.dataframe(upload.change_table(check.changes, lang), hide_index=True, width="stretch")
            if check.nothing_new:
                st.info(t("upload.nothing_new"), icon=":material/info:")
        clicked = st.button(t("upload.load"), type="primary", disabled=not check.can_load, icon=":material/upload:")
        if clicked and check.can_load:  # checked again: a disabled button is only a hint to the browser
            with st.status(t("upload.loading"), expanded=True) as status:
                bar = st.progress(0.0)
                progress = upload.Progress(len(files), lambda frac, text: bar.progress(frac, text=text), lang)
                loaded = upload.load(files, db, principal, check.deal, progress, wh)
                if loaded.status == "loaded":
                    progress.done()
                status.update(label=upload.loaded_summary(loaded, lang) if loaded.status == "loaded"
                              else t("upload.load_failed"), state="complete" if loaded.status == "loaded" else "error")
            if loaded.status == "loaded":
                st.cache_data.clear()  # figures cached by any page belong to the previous data
                st.session_state["_up_done"] = upload.loaded_summary(loaded, lang)
                st.session_state["_up_n"] = st.session_state.get("_up_n", 0) + 1  # empties the uploader
                st.session_state.pop("_up_check", None)
                st.rerun()
            st.error(t("upload.load_failed"), icon=":material/error:")
            show_problems(loaded.problems)

with tab_history:
    st.write(t("upload.history_intro"))
    hist = upload.history(wh, f.deal)
    if hist.is_empty():
        st.info(t("upload.history_empty"), icon=":material/info:")
    else:
        components.table(upload.history_table(hist, lang), f"leveringen_{f.deal}", key="up_history", lang=lang)
    if not auth.can_rollback(principal, f.deal):
        st.caption(t("upload.rb.not_allowed"))
    elif not hist.is_empty():
        st.header(t("upload.rb.title"))
        pending = st.session_state.get("_rb_pending")
        for row in upload.current_of(hist).iter_rows(named=True):
            left, right = st.columns([5, 1], vertical_alignment="center")
            left.markdown(f"**{components.md_escape(row['sheet'])}** · "
                          f"{components.md_escape(upload.describe_delivery(row, lang))}")
            if right.button(t("upload.rb.button"), key=f"rb_{row['delivery_id']}", icon=":material/undo:"):
                st.session_state["_rb_pending"] = pending = row["delivery_id"]
            if pending == row["delivery_id"]:
                before = upload.after_rollback(hist, pending)
                with st.container(border=True):
                    st.warning(t("upload.rb.confirm", id=pending, sheet=row["sheet"],
                                 delivery=upload.describe_delivery(row, lang)), icon=":material/undo:")
                    st.write(t("upload.rb.then", delivery=upload.describe_delivery(before, lang)) if before
                             else t("upload.rb.then_none", sheet=row["sheet"]))
                    yes, no = st.columns(2)
                    if yes.button(t("upload.rb.yes"), type="primary", key="rb_yes"):
                        try:
                            res = upload.rollback_delivery(db, wh, principal, pending)
                            st.cache_data.clear()
                            st.session_state["_up_done"] = t("upload.rb.done" if res.current else "upload.rb.done_none",
                                                             id=pending, sheet=row["sheet"])
                        except (upload.RollbackRefused, auth.Forbidden) as exc:
                            st.error(getattr(exc, "message", None) or str(exc), icon=":material/error:")
                        else:
                            st.session_state.pop("_rb_pending", None)
                            st.rerun()
                    if no.button(t("upload.rb.cancel"), key="rb_no"):
                        st.session_state.pop("_rb_pending", None)
                        st.rerun()
