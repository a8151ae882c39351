"""Communicatie en netwerk page: output against target, channels per month and year, contacts per tag, partners."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pages.test_ontwikkelteams import build_teams_db, captions, open_page, table_with


@pytest.fixture(scope="module")
def teams_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_teams_db(tmp_path_factory.mktemp("comms"))


@pytest.fixture
def env(teams_db: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("STUURHUT_DB", str(teams_db))
    monkeypatch.setenv("STUURHUT_ACCOUNTS", str(tmp_path / "accounts.json"))
    return teams_db


def test_output_contacts_and_partners(env: Path) -> None:
    at = open_page("communicatie", {"deal": "CDTT"})
    assert at.title[0].value == "Communicatie en netwerk — Testdeal Teams"
    tiles = {m.label: m.value for m in at.metric}
    # a team update is a newsletter edition; the newsletter planned for November does not count yet
    assert tiles["Nieuwsbrieven verstuurd"] == "5"
    assert tiles["Teamupdates verstuurd"] == "3 van 6"
    assert tiles["Werkboekupdates"] == "1 van 2"
    assert tiles["Unieke contacten in de mailinglijst"] == "4"
    assert tiles["Partners"] == "3"  # the consultancy left on 31 August
    assert tiles["Deelnemende gemeenten"] == "2"
    text = captions(at)
    assert "9 uitingen in 2022, de meeste via LinkedIn (3)" in text
    assert "De meeste contacten hebben de tag Gemeenten: 2" in text
    assert "3 partners in 2022, waarvan 2 gemeenten" in text
    assert any(c.startswith("Bron: CDTT_2022-10-31.xlsx · tabblad Contacten · geleverd ") for c in text)
    months = table_with(at, "Maand")
    assert len(months) == 8 and months["Uitingen"].sum() == 9
    tags = table_with(at, "Tag")
    assert list(tags["Tag"]) == ["Gemeenten", "Kernteam", "Volgers", "(zonder tag)"]  # quotes stripped
    assert list(tags["Contacten"]) == [2, 1, 1, 1]
    partners = table_with(at, "Erbij gekomen")
    assert list(partners["Soort"]) == ["gemeente", "rijk", "adviesbureau"]
    assert list(partners["Partners"]) == [2, 1, 0]  # on 31 October; the consultancy joined and left in 2022
    assert list(partners["Erbij gekomen"]) == [2, 1, 1] and list(partners["Gestopt"]) == [0, 0, 1]
    assert list(table_with(at, "Gemeente")["Gemeente"]) == ["Gemeente Aalburg", "Gemeente Beekdaal"]
    assert "a.jansen@voorbeeld.nl" not in str([d.value.to_string() for d in at.dataframe])


def test_per_year(env: Path) -> None:
    at = open_page("communicatie", {"deal": "CDTT"})
    at.segmented_control(key="comms_period").set_value("year").run()
    years = table_with(at, "Jaar")
    assert list(years["Kanaal"]) == ["LinkedIn", "nieuwsbrief", "teamupdate", "werkboek"]
    assert list(years["Uitingen"]) == [3, 2, 3, 1]
    assert "9 uitingen in 2022, de meeste via LinkedIn (3)" in captions(at)  # one year: not "2022–2022"


def test_english(env: Path) -> None:
    at = open_page("communicatie", {"deal": "CDTT", "taal": "en"})
    assert at.title[0].value == "Communication and network — Testdeal Teams"
    assert "9 items in 2022, most of them via LinkedIn (3)" in captions(at)
    assert "3 partners in 2022, of which 2 municipalities" in captions(at)


def test_deal_without_the_sheets_shows_the_empty_states(env: Path) -> None:
    at = open_page("communicatie", {"deal": "CDLE"})
    assert [i.value for i in at.info] == [
        "Nog geen gegevens over de communicatie — lever het tabblad Communicatie aan.",
        "Nog geen gegevens over de mailinglijst — lever het tabblad Contacten aan.",
        "Nog geen gegevens over de partners — lever het tabblad Partners aan."]
