"""The page registry: every entry has its script, a known policy key, and roles see only their pages."""

from __future__ import annotations

from dashboard import auth, navigation
from dashboard.navigation import PAGES, ROOT


def test_every_page_has_its_script_and_a_policy_key() -> None:
    for spec in PAGES:
        assert (ROOT / spec.path).is_file(), spec.path
        assert spec.key in auth.PAGE_KEYS, spec.key
        assert spec.section in navigation.SECTIONS
    assert [p.key for p in PAGES if p.default] == ["overzicht"]


def test_visible_pages_follow_the_access_policy() -> None:
    assert [p.key for p in navigation.visible_pages("beheer")] == ["overzicht", "gegevens"]
    assert [p.key for p in navigation.visible_pages("kernteam")] == ["overzicht", "gegevens"]
    assert [p.key for p in navigation.visible_pages("deelnemer")] == ["overzicht"]
    assert navigation.visible_pages("publiek") == []


def test_sections_are_titled_per_language() -> None:
    assert list(navigation.sections(list(PAGES), "nl")) == ["Sturing", "Gegevens en beheer"]
    assert list(navigation.sections(list(PAGES), "en")) == ["Steering", "Data and administration"]
