"""The page registry: every page once (file, URL, Dutch and English title, icon, section) and who may see it.

Adding a page is one thin script in pages/ plus one `PageSpec` line in `PAGES`. Who may open a page is
decided by dashboard.auth's policy table (`roles_for_page`); without that module every role sees
every page. `current_role()` and `guard()` are the hooks the login layer plugs into.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
ROLES = ("publiek", "deelnemer", "kernteam", "beheer")
HOME_SUFFIX = "-start"  # internal url_path of the default page (served at "/"), see build()

# Section keys (order = order in the sidebar) and their titles.
SECTIONS: dict[str, tuple[str, str]] = {
    "sturing": ("Sturing", "Steering"),
    "onderdelen": ("Onderdelen", "Parts of the deal"),
    "deals": ("Alle deals", "All deals"),
    "beheer": ("Gegevens en beheer", "Data and administration"),
    "over": ("Over Stuurhut", "About Stuurhut"),
}


@dataclass(frozen=True)
class PageSpec:
    key: str  # also the auth policy's page key and the URL path
    path: str  # script relative to the repository root
    title_nl: str
    title_en: str
    icon: str  # a Material Symbol, ":material/name:"
    section: str  # a key of SECTIONS
    default: bool = False
    shows_deal: bool = True  # uses the deal/year/as-of filters (cross-deal pages do not)

    def title(self, lang: str = "nl") -> str:
        return self.title_en if lang == "en" else self.title_nl

    @property
    def url_path(self) -> str:
        return self.key

    @property
    def roles(self) -> frozenset[str]:
        auth = _optional("dashboard.auth")
        if auth is None:
            return frozenset(ROLES)
        return frozenset(auth.roles_for_page(self.key))


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overzicht", "pages/overzicht.py", "Overzicht", "Overview", ":material/dashboard:", "sturing", default=True),
    PageSpec("begroting", "pages/begroting.py", "Begroting", "Budget", ":material/euro:", "sturing"),
    PageSpec("bijeenkomsten", "pages/bijeenkomsten.py", "Bijeenkomsten", "Meetings", ":material/event:", "sturing"),
    PageSpec("enquete", "pages/enquete.py", "Enquête", "Survey", ":material/poll:", "sturing"),
    PageSpec("presentatie", "pages/presentatie.py", "Presentatie", "Presentation", ":material/slideshow:", "sturing"),
    PageSpec("ontwikkelteams", "pages/ontwikkelteams.py", "Ontwikkelteams", "Development teams", ":material/groups:", "onderdelen"),
    PageSpec("eindresultaten", "pages/eindresultaten.py", "Eindresultaten 2023", "End results 2023", ":material/flag:", "onderdelen"),
    PageSpec("communicatie", "pages/communicatie.py", "Communicatie en netwerk", "Communication and network", ":material/campaign:", "onderdelen"),
    PageSpec("vergelijking", "pages/vergelijking.py", "Vergelijking van City Deals", "Comparison of City Deals", ":material/compare_arrows:", "deals", shows_deal=False),
    PageSpec("catalogus", "pages/catalogus.py", "Catalogus eindresultaten", "End-results catalogue", ":material/menu_book:", "deals", shows_deal=False),
    PageSpec("gegevens", "pages/gegevens.py", "Gegevens", "Data", ":material/table_view:", "beheer"),
    PageSpec("aanleveren", "pages/aanleveren.py", "Gegevens aanleveren", "Deliver data", ":material/upload_file:", "beheer"),
    PageSpec("beheer", "pages/beheer.py", "Beheer", "Administration", ":material/manage_accounts:", "beheer", shows_deal=False),
    PageSpec("toegankelijkheid", "pages/toegankelijkheid.py", "Toegankelijkheid", "Accessibility", ":material/accessibility_new:", "over", shows_deal=False),
)
BY_KEY: dict[str, PageSpec] = {p.key: p for p in PAGES}


def _optional(module: str) -> ModuleType | None:
    """Import a module another part of the app may not have yet; a bug inside it still raises."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name == module:
            return None
        raise


def visible_pages(role: str) -> list[PageSpec]:
    """The pages a role may see, in registry order (the navigation shows only these)."""
    return [p for p in PAGES if role in p.roles]


def sections(pages: list[PageSpec], lang: str = "nl") -> dict[str, list[PageSpec]]:
    """Pages grouped under their section title, sections in SECTIONS order, empty ones left out."""
    out: dict[str, list[PageSpec]] = {}
    for key, (nl, en) in SECTIONS.items():
        members = [p for p in pages if p.section == key]
        if members:
            out[en if lang == "en" else nl] = members
    return out


def current_role() -> str:
    """Hook for the login layer: the viewer's role. Without dashboard.login everything is open (beheer)."""
    login = _optional("dashboard.login")
    return login.current_principal().role if login else "beheer"


def visible_deals(codes: list[str]) -> list[str]:
    """Hook for the login layer: the deals this viewer may pick in the deal filter."""
    login, auth = _optional("dashboard.login"), _optional("dashboard.auth")
    if login is None or auth is None:
        return codes
    principal = login.current_principal()
    return auth.allowed_deals(principal, codes) if principal.role != "beheer" else codes


def guard(page: PageSpec, deal: str | None) -> None:
    """Hook for the login layer, run before every page: stops the run with "Geen toegang" when not allowed."""
    login = _optional("dashboard.login")
    if login is not None:
        login.guard(page.key, deal if page.shows_deal else None)


def leave_pages_directory_mode() -> None:
    """Rerun when Streamlit runs this app as an old-style pages/ app (the first run of a fresh process).

    Streamlit 1.67 decides per process, before any script ran, that an app with a pages/ folder is a
    "pages directory" app: the very first run then executes pages/<page>.py on its own (or this
    entry script as a page), skipping the shell with its filters, until some run calls st.navigation.
    Switching the mode off here and rerunning gives the normal st.navigation app at the same URL.
    """
    import sys

    import streamlit as st

    # a plain frame walk: inspect.stack() reads every frame's source file, ~30 ms on each rerun of every page
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_name != "_mpa_v1":
        frame = frame.f_back
    if frame is not None:
        from streamlit.runtime.pages_manager import PagesManager

        PagesManager.uses_pages_directory = False  # what st.navigation itself does, before our rerun needs it
        st.rerun()


_PAGE_TEMPLATES: dict[tuple, object] = {}  # bounded: per page script, language, default or not, hidden or not


def _page(path: str, **kwargs):
    """st.Page of a page script, as a fresh copy of one made once per process.

    st.Page resolves and checks the script's path each time: fifteen pages on every rerun of every page, about
    a millisecond. The copy is a new object (st.navigation marks on it the page it will run) with the same fields.
    """
    import copy

    import streamlit as st

    key = (path, *sorted(kwargs.items()))
    template = _PAGE_TEMPLATES.get(key)
    if template is None:
        template = st.Page(path, **kwargs)
        if not hasattr(template, "_page"):  # made outside a script run, half built: never a template
            return template
        template = _PAGE_TEMPLATES.setdefault(key, template)
    return copy.copy(template)


def build(role: str, lang: str = "nl", login_page=None):
    """st.navigation for this viewer (call once per run from streamlit_app.py): (current st.Page, its PageSpec).

    Pages the role may not open stay reachable by URL but hidden from the menu, so the shell's guard answers
    "Geen toegang" (or, not logged in, the login form) instead of Streamlit's "page not found".
    `login_page` (a callable, for visitors who are not logged in) becomes the default page; while it is the
    current page the returned PageSpec is None.
    """
    import streamlit as st

    pages = visible_pages(role) or [BY_KEY["overzicht"]]  # no page at all: the guard explains there is no access
    by_page: dict[int, PageSpec] = {}
    nav: dict[str, list] = {}
    if login_page is not None:
        nav[""] = [st.Page(login_page, title="Log in" if lang == "en" else "Inloggen", icon=":material/login:",
                           url_path="inloggen", default=True)]
    home: tuple[object, object] | None = None  # (the default page, the hidden page at its own name)
    for title, members in sections(pages, lang).items():
        for spec in members:
            default = login_page is None and spec is pages[0]
            # the default page is served at "/" and Streamlit reserves its url_path; a hidden page under the
            # page's own name then sends a typed /overzicht there instead of an English "Page not found"
            page = _page(str(ROOT / spec.path), title=spec.title(lang), icon=spec.icon,
                         url_path=spec.url_path + HOME_SUFFIX if default else spec.url_path, default=default)
            by_page[id(page)] = spec
            nav.setdefault(title, []).append(page)
            if default:
                alias = st.Page(lambda target=page: st.switch_page(target), title=spec.title(lang), icon=spec.icon,
                                url_path=spec.url_path, visibility="hidden")
                by_page[id(alias)] = spec
                nav[title].append(alias)
                home = (page, alias)
    first = next(iter(nav))  # hidden pages sit in a section that has visible ones: no empty section header
    for spec in PAGES:
        if spec not in pages:
            page = _page(str(ROOT / spec.path), title=spec.title(lang), icon=spec.icon, url_path=spec.url_path,
                         visibility="hidden")
            by_page[id(page)] = spec
            nav[first].append(page)
    current = st.navigation(nav, position="sidebar", expanded=True)  # beheer has 13 pages: no "View more"
    if home is not None and current is home[1]:
        st.switch_page(home[0], query_params=st.query_params.to_dict())  # keeps ?deal=...&jaar=...
    if login_page is not None and id(current) not in by_page:
        return current, None
    return current, by_page.get(id(current), pages[0])
