"""Who may see what: roles, the page policy table and per-deal permissions (pure policy, no Streamlit)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

ROLES: tuple[str, ...] = ("publiek", "deelnemer", "kernteam", "beheer")
DEAL_ROLES: frozenset[str] = frozenset({"deelnemer", "kernteam"})
# Not an account role: a visitor who has not logged in while accounts or OIDC are configured.
ANONYMOUS_ROLE = "anoniem"

PAGE_KEYS: tuple[str, ...] = (
    "overzicht", "ontwikkelteams", "begroting", "bijeenkomsten", "enquete", "eindresultaten", "communicatie",
    "gegevens", "aanleveren", "presentatie", "vergelijking", "catalogus", "beheer", "toegankelijkheid",
)

# Pages that show one deal: opening them also needs access to that deal (allowed_deals).
DEAL_PAGES: frozenset[str] = frozenset({
    "overzicht", "ontwikkelteams", "begroting", "bijeenkomsten", "enquete", "eindresultaten", "communicatie",
    "gegevens", "aanleveren", "presentatie",
})

_PUBLIC = frozenset({"vergelijking", "catalogus", "toegankelijkheid"})
_READ_ONLY_DEAL = frozenset({
    "overzicht", "ontwikkelteams", "begroting", "bijeenkomsten", "enquete", "eindresultaten", "communicatie",
    "presentatie",
})

# The policy table: role -> the page keys it may open. The navigation's visibility derives from this.
POLICY: Mapping[str, frozenset[str]] = {
    # Not logged in (while accounts exist) sees what publiek sees: the cross-deal aggregates and the catalogue.
    ANONYMOUS_ROLE: _PUBLIC,
    "publiek": _PUBLIC,
    # read-only pages of their own deal; "gegevens" (deliveries, files, rollback) and uploads are not theirs
    "deelnemer": _PUBLIC | _READ_ONLY_DEAL,
    "kernteam": _PUBLIC | _READ_ONLY_DEAL | {"gegevens", "aanleveren"},
    "beheer": frozenset(PAGE_KEYS),
}

ROLE_LABELS: Mapping[str, str] = {
    ANONYMOUS_ROLE: "niet ingelogd",
    "publiek": "publiek",
    "deelnemer": "deelnemer",
    "kernteam": "kernteam",
    "beheer": "beheer",
}


class Forbidden(Exception):
    """The principal may not see this; the page layer shows "Geen toegang"."""

    def __init__(self, page_key: str, deal: str | None = None, reason: str = "") -> None:
        self.page_key = page_key
        self.deal = deal
        self.message = reason or "Geen toegang"
        super().__init__(f"{self.message} ({page_key}{', ' + deal if deal else ''})")


@dataclass(frozen=True)
class Principal:
    """The person using the dashboard: name, role, their deal (deelnemer/kernteam) and whether it is demo mode."""

    name: str
    role: str
    deal: str | None = None
    demo: bool = False

    def __post_init__(self) -> None:
        if self.role not in POLICY:
            raise ValueError(f"unknown role {self.role!r}")
        if self.role in DEAL_ROLES and not self.deal:
            raise ValueError(f"role {self.role} needs a deal")

    @property
    def authenticated(self) -> bool:
        return self.role != ANONYMOUS_ROLE

    @property
    def label(self) -> str:
        """Dutch one-liner for the sidebar: "a.jansen (kernteam, CDOR)"."""
        extra = f", {self.deal}" if self.deal else ""
        return f"{self.name} ({ROLE_LABELS[self.role]}{extra})"


# Used only when there are no accounts at all and no [auth] is configured ("demomodus").
DEMO = Principal("demo", "beheer", None, demo=True)
ANONYMOUS = Principal("anoniem", ANONYMOUS_ROLE)


def _check_page(page_key: str) -> None:
    if page_key not in PAGE_KEYS:
        # A typo must not silently hide (or open) a page: fail loudly in development and tests.
        raise ValueError(f"unknown page key {page_key!r}; known: {', '.join(PAGE_KEYS)}")


def _same_deal(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a.strip().casefold() == b.strip().casefold()


def can_access_deal(principal: Principal, deal: str) -> bool:
    """May the principal open the pages of this one deal (given the role allows the page at all)?"""
    if principal.role == "beheer":
        return True
    if principal.role in DEAL_ROLES:
        return _same_deal(principal.deal, deal)
    return False


def allowed_deals(principal: Principal, all_deals: Iterable[str]) -> list[str]:
    """The deals whose own pages the principal may open, in the given order and spelling (for the deal filter).

    publiek and anonymous visitors get none: the comparison and catalogue pages span all deals by design.
    """
    return [d for d in all_deals if can_access_deal(principal, d)]


def roles_for_page(page_key: str) -> frozenset[str]:
    """Roles that may open the page (for a navigation registry that wants a roles column)."""
    _check_page(page_key)
    return frozenset(role for role, pages in POLICY.items() if page_key in pages)


def can_view_page(principal: Principal, page_key: str, deal: str | None = None) -> bool:
    """May the principal open this page, for this deal when the page shows one deal?

    For a deal page with `deal=None` only the role is checked (navigation visibility); the page script then
    guards again with the selected deal.
    """
    _check_page(page_key)
    if page_key not in POLICY[principal.role]:
        return False
    if page_key in DEAL_PAGES and deal is not None:
        return can_access_deal(principal, deal)
    return True


def visible_page_keys(principal: Principal) -> list[str]:
    """The page keys the principal may open, in PAGE_KEYS order."""
    return [k for k in PAGE_KEYS if k in POLICY[principal.role]]


def _own_deal_editor(principal: Principal, deal: str | None) -> bool:
    if principal.role == "beheer":
        return True
    return principal.role == "kernteam" and deal is not None and _same_deal(principal.deal, deal)


def can_upload(principal: Principal, deal: str | None) -> bool:
    """Deliver spreadsheets for this deal (kernteam of the deal, beheer). deal=None: a new deal, beheer only."""
    if deal is None:
        return principal.role == "beheer"
    return _own_deal_editor(principal, deal)


def can_rollback(principal: Principal, deal: str) -> bool:
    return _own_deal_editor(principal, deal)


def can_see_personal_data(principal: Principal, deal: str) -> bool:
    """Per-person attendance, free-text survey answers, delivered files: kernteam of the deal and beheer."""
    return _own_deal_editor(principal, deal)


def can_see_budget_detail(principal: Principal, deal: str) -> bool:
    """Budget lines and explanations (Toelichting); others see totals per year and cost type."""
    return _own_deal_editor(principal, deal)


def can_manage_accounts(principal: Principal) -> bool:
    return principal.role == "beheer"


def require(principal: Principal, page_key: str, deal: str | None = None) -> None:
    """Raise Forbidden unless the principal may open the page (for that deal)."""
    if not can_view_page(principal, page_key, deal):
        raise Forbidden(page_key, deal)


def require_that(allowed: bool, page_key: str, deal: str | None = None, reason: str = "Geen toegang") -> None:
    """Raise Forbidden unless `allowed` (for actions: `require_that(can_upload(p, deal), "aanleveren", deal)`)."""
    if not allowed:
        raise Forbidden(page_key, deal, reason)


def parse_role_spec(spec: str) -> tuple[str, str | None]:
    """'kernteam:CDOR' -> ('kernteam', 'CDOR'); 'beheer' -> ('beheer', None). For claim mappings in secrets."""
    role, _, deal = str(spec).partition(":")
    role, deal = role.strip(), deal.strip() or None
    if role not in ROLES:
        raise ValueError(f"onbekende rol {role!r} in {spec!r}; kies uit: {', '.join(ROLES)}")
    if role in DEAL_ROLES and deal is None:
        raise ValueError(f"rol {role} heeft een deal nodig: schrijf '{role}:CODE'")
    if role not in DEAL_ROLES:
        deal = None
    return role, deal


def principal_from_claims(
    claims: Mapping[str, object],
    mapping: Mapping[str, object] | None = None,
    account_role: Mapping[str, tuple[str, str | None]] | None = None,
) -> Principal:
    """Map an OIDC user (st.user claims) to a principal.

    Order: `[access.users]` in secrets (e-mail -> "rol" or "rol:DEAL"), then a local account whose name is the
    e-mail address (`account_role`: casefolded name -> (role, deal)), then `[access.domains]` (domain -> spec),
    then `[access] default` (standard "publiek"). An e-mail the provider marks unverified maps to the default only.
    """
    mapping = mapping or {}
    email_claim = str(mapping.get("email_claim", "email"))
    email = str(claims.get(email_claim) or "").strip()
    default = str(mapping.get("default", "publiek"))
    name = email or str(claims.get("name") or claims.get("sub") or "onbekend")
    verified = claims.get("email_verified", True) not in (False, "false", "False")
    if email and verified:
        key = email.casefold()
        users = {str(k).casefold(): v for k, v in dict(mapping.get("users", {}) or {}).items()}
        if key in users:
            role, deal = parse_role_spec(str(users[key]))
            return Principal(email, role, deal)
        if account_role and key in account_role:
            role, deal = account_role[key]
            return Principal(email, role, deal)
        domain = key.rpartition("@")[2]
        domains = {str(k).casefold().lstrip("@"): v for k, v in dict(mapping.get("domains", {}) or {}).items()}
        if domain in domains:
            role, deal = parse_role_spec(str(domains[domain]))
            return Principal(email, role, deal)
    role, deal = parse_role_spec(default)
    return Principal(name, role, deal)
