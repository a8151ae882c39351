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
    def keys(role: str) -> set[str]:
        return {p.key for p in navigation.visible_pages(role)}

    assert {"overzicht", "gegevens"} <= keys("beheer")
    assert {"overzicht", "gegevens"} <= keys("kernteam")
    assert "overzicht" in keys("deelnemer") and "gegevens" not in keys("deelnemer")  # deliveries are not theirs
    assert not {"overzicht", "gegevens"} & keys("publiek")
    assert keys("anoniem") == keys("publiek")  # not logged in: what publiek sees


def test_sections_are_titled_per_language() -> None:
    mine = [navigation.BY_KEY["gegevens"], navigation.BY_KEY["overzicht"]]
    assert {t: [p.key for p in ps] for t, ps in navigation.sections(mine, "nl").items()} == {
        "Sturing": ["overzicht"], "Gegevens en beheer": ["gegevens"]}
    assert list(navigation.sections(mine, "en")) == ["Steering", "Data and administration"]
