"""Warehouse fixtures: tiny hand-made deliveries loaded by the real loader, with every figure countable by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from etl.load import load_files
from tests.conftest import write_workbook

D = dt.date
PEIL = D(2022, 6, 30)

DEAL = [["Code", "Naam", "Start", "Einde", "Peildatum"], ["TST", "Testdeal", D(2021, 1, 1), D(2023, 12, 31), PEIL]]

PARTS = [
    ["Code", "Naam", "Soort"],
    ["KT", "Kernteam", "kernteam"],
    ["OT1", "Ontwikkelteam 1", "ontwikkelteam"],
    ["OT2", "Ontwikkelteam 2", "ontwikkelteam"],
    ["AT", "Atelier", "atelier"],
]

# Active on 31-12-2021: Aadorp, Bedum, Ministerie, Kennisinstituut = 4 (2 municipalities).
# Active on 30-06-2022: Aadorp, Cestrum, Ministerie, Kennisinstituut = 4 (2 municipalities); Bedum left 31-03-2022.
PARTNERS = [
    ["Organisatie", "Soort", "Sinds", "Tot", "Financierend"],
    ["Gemeente Aadorp", "gemeente", D(2021, 1, 1), None, "ja"],
    ["Gemeente Bedum", "gemeente", D(2021, 3, 1), D(2022, 3, 31), "nee"],
    ["Gemeente Cestrum", "gemeente", D(2022, 2, 1), None, "nee"],
    ["Ministerie van Voorbeelden", "rijk", None, None, "ja"],
    ["Kennisinstituut", "kennisinstelling", D(2021, 6, 1), None, "nee"],
]


def _meetings() -> list[list]:
    rows: list[list] = [["ID", "Datum", "Soort", "Onderdeel", "Status"]]
    # 2021: 6 kernteam, 2 directeurenoverleg, 0 werksessie, 2 atelierdag, 3 kartrekkersoverleg, OT1 7x, OT2 5x
    rows += [[f"K21-{m}", D(2021, m, 15), "kernteam", "KT", None] for m in (1, 3, 5, 7, 9, 11)]
    rows += [["D21-1", D(2021, 4, 1), "directeurenoverleg", None, None], ["D21-2", D(2021, 10, 1), "directeurenoverleg", None, None]]
    rows += [["A21-1", D(2021, 4, 20), "atelierdag", "AT", None], ["A21-2", D(2021, 10, 20), "atelierdag", "AT", None]]
    rows += [[f"L21-{m}", D(2021, m, 5), "kartrekkersoverleg", None, None] for m in (2, 6, 10)]
    rows += [[f"O1-21-{m}", D(2021, m, 8), "ontwikkelteam", "OT1", None] for m in (1, 2, 3, 4, 5, 6, 7)]
    rows += [[f"O2-21-{m}", D(2021, m, 9), "ontwikkelteam", "OT2", None] for m in (1, 3, 5, 7, 9)]
    # 2022 up to the peildatum 30-06-2022
    rows += [
        ["K22-1", D(2022, 1, 20), "kernteam", "KT", None],  # held (date <= peildatum)
        ["K22-2", D(2022, 3, 20), "kernteam", "KT", None],  # held
        ["K22-3", D(2022, 5, 20), "kernteam", "KT", None],  # held
        ["K22-X", D(2022, 6, 10), "kernteam", "KT", "geannuleerd"],  # cancelled: not counted
        ["K22-4", D(2022, 7, 20), "kernteam", "KT", None],  # after the peildatum: gepland
        ["D22-1", D(2022, 4, 10), "directeurenoverleg", None, None],
        ["W22-1", D(2022, 2, 15), "werksessie", "AT", None],
        ["W22-2", D(2022, 4, 15), "werksessie", "AT", None],
        ["A22-1", D(2022, 4, 20), "atelierdag", "AT", None],
        ["O1-22-1", D(2022, 1, 10), "ontwikkelteam", "OT1", None],
        ["O1-22-2", D(2022, 2, 10), "ontwikkelteam", "OT1", None],
        ["O1-22-3", D(2022, 3, 10), "ontwikkelteam", "OT1", None],
        ["O1-22-4", D(2022, 4, 10), "ontwikkelteam", "OT1", None],
        ["O2-22-1", D(2022, 2, 12), "ontwikkelteam", "OT2", None],
    ]
    return rows


MEETINGS = _meetings()

# Over held meetings: 2021 = 1 ja of 2 rows (0.5); 2022 = 4 ja of 6 rows (4/6 = 0.6667).
ATTENDANCE = [
    ["Bijeenkomst", "Deelnemer", "Organisatie", "Rol", "Aanwezig"],
    ["K21-1", "Deelnemer 1", "Gemeente Aadorp", "lid", "ja"],
    ["K21-1", "Deelnemer 2", "Gemeente Bedum", "lid", "nee"],
    ["K22-1", "Deelnemer 1", "Gemeente Aadorp", "lid", "ja"],
    ["K22-1", "Deelnemer 3", "Gemeente Cestrum", "lid", None],  # empty = ja
    ["K22-1", "Deelnemer 4", "Ministerie van Voorbeelden", "lid", "nee"],
    ["K22-1", "Deelnemer 5", "Kennisinstituut", "lid", "afgemeld"],
    ["K22-2", "Deelnemer 1", "Gemeente Aadorp", "lid", "ja"],
    ["K22-2", "Deelnemer 4", "Ministerie van Voorbeelden", "lid", "ja"],
    ["K22-X", "Deelnemer 1", "Gemeente Aadorp", "lid", "nee"],  # cancelled meeting: left out
    ["K22-4", "Deelnemer 1", "Gemeente Aadorp", "lid", "ja"],  # planned meeting: left out
]

# 2021 dev: 100.000 budgeted, 90.000 realised -> spent 0.9, surplus 10.000.
# 2022 dev: realised unknown -> surplus unknown; 2023 dev: carried_in and available unknown.
BUDGET = [
    ["Jaar", "Kostensoort", "Post", "Onderdeel", "Begroot", "Gerealiseerd"],
    [2021, "ontwikkeling", "Ateliers", "AT", 60000, 50000],
    [2021, "ontwikkeling", "Ontwikkelteams", "OT1", 40000, 40000],
    [2021, "basis", "Secretariaat", None, 50000, 50000],
    [2022, "ontwikkeling", "Ateliers", "AT", 120000, None],
    [2023, "ontwikkeling", "Ateliers", "AT", 100000, None],
]

CONTRIBUTIONS = [
    ["Jaar", "Organisatie", "Kostensoort", "Toegezegd", "Ontvangen"],
    [2021, "Gemeente Aadorp", "ontwikkeling", 25000, 25000],
    [2021, "Ministerie van Voorbeelden", "ontwikkeling", 75000, 50000],
]

QUESTIONS = [
    ["Code", "Vraag", "Schaal", "Thema"],
    ["V1", "Ik ben tevreden over de samenwerking", "likert5", "Samenwerking"],
    ["V2", "Ik heb nieuwe kennis opgedaan", "likert5", "Kennis"],
]


def _survey() -> list[list]:
    rows: list[list] = [["Respondent", "Meting", "Vraag", "Antwoord", "Organisatiesoort", "Onderdeel"]]
    # wave 2021-11: 6 respondents; V1 answers 3,3,4,4,3,4 -> mean 3.5
    v1_2021 = ["neutraal", "neutraal", "eens", "eens", "neutraal", "eens"]
    for i, answer in enumerate(v1_2021, start=1):
        kind = "gemeente" if i <= 4 else "rijk"
        rows.append([f"R{i}", "2021-11", "V1", answer, kind, "OT1"])
        rows.append([f"R{i}", "2021-11", "V2", "eens", kind, "OT1"])
    # wave 2022-05: 5 respondents; V1 answers 4,4,5,3,4 -> mean 4.0 (change +0.5); 3 gemeente (suppressed group)
    v1_2022 = ["eens", "eens", "helemaal eens", "neutraal", "eens"]
    for i, answer in enumerate(v1_2022, start=1):
        kind = "gemeente" if i <= 3 else "rijk"
        rows.append([f"R{i}", "2022-05", "V1", answer, kind, "OT2"])
    return rows


SURVEY = _survey()

# Due by 31-12-2021: Startnotitie (on time), Toetsingskader (late) -> 1/2 = 0.5.
# Due by 30-06-2022: those two + Volwassenheidsmodel (loopt), Pilot, Interviews, Werkconferentie, Verslag
#   -> on time: Startnotitie, Pilot, Interviews, Werkconferentie, Verslag = 5/7 = 0.7143. Werkboek is vervallen.
MILESTONES = [
    ["Onderdeel", "Mijlpaal", "Gepland", "Gereed", "Status"],
    ["OT1", "Startnotitie", D(2021, 6, 30), D(2021, 6, 15), "gereed"],
    ["OT1", "Toetsingskader concept", D(2021, 12, 31), D(2022, 1, 15), "gereed"],
    ["OT2", "Volwassenheidsmodel v1", "2022-Q1", None, "loopt"],
    ["OT2", "Pilot", D(2022, 5, 31), D(2022, 5, 20), "gereed"],
    ["OT2", "Interviews", D(2022, 2, 28), D(2022, 2, 20), "gereed"],
    ["OT1", "Werkconferentie", D(2022, 4, 30), D(2022, 4, 30), "gereed"],
    ["OT2", "Verslag werksessies", D(2022, 6, 30), D(2022, 6, 30), "gereed"],
    ["OT1", "Eindrapport", D(2022, 12, 31), None, "niet gestart"],
    ["AT", "Werkboek", D(2021, 9, 30), None, "vervallen"],
]

# 1 of 3 gereed (ER4 vervallen is left out) -> 0.3333
END_RESULTS = [
    ["ID", "Onderdeel", "Resultaat", "Status", "Voortgang"],
    ["ER1", "OT1", "Afwegingskader", "gereed", "100%"],
    ["ER2", "OT1", "Kennis over transities", "loopt", "50%"],
    ["ER3", "OT2", "Volwassenheidsmodel", "loopt", "40%"],
    ["ER4", "AT", "Masterclass", "vervallen", None],
]

BOTTLENECKS = [
    ["Datum", "Onderdeel", "Knelpunt", "Ernst", "Status", "Actie"],
    [D(2022, 3, 1), "OT2", "Te weinig capaciteit bij gemeenten", "hoog", "open", "Agenderen in kernteam"],
    [D(2022, 4, 1), "OT1", "Planning toetsingskader schuift", "middel", "in behandeling", None],
    [D(2022, 2, 1), "AT", "Locatie atelierdag", "laag", "opgelost", None],
]

# 2021: 4 nieuwsbrief + 2 teamupdate = 6 newsletters, 2 team updates, 2 werkboek.
# 2022 by 30-06: 3 nieuwsbrief + 1 teamupdate = 4 newsletters, 1 team update, 1 werkboek (the August one is later).
COMMUNICATION = [
    ["Datum", "Kanaal", "Titel", "Bereik"],
    *[[D(2021, m, 28), "nieuwsbrief", f"Nieuwsbrief {m}-2021", 400] for m in (2, 5, 8, 11)],
    [D(2021, 3, 28), "teamupdate", "Update OT1", 100],
    [D(2021, 9, 28), "teamupdate", "Update OT2", 100],
    [D(2021, 6, 1), "werkboek", "Werkboek 1", None],
    [D(2021, 12, 1), "werkboek", "Werkboek 2", None],
    [D(2022, 1, 31), "nieuwsbrief", "Nieuwsbrief 1-2022", 450],
    [D(2022, 3, 31), "nieuwsbrief", "Nieuwsbrief 2-2022", 450],
    [D(2022, 5, 31), "nieuwsbrief", "Nieuwsbrief 3-2022", 450],
    [D(2022, 2, 28), "teamupdate", "Update OT1", 120],
    [D(2022, 6, 1), "werkboek", "Werkboek 3", None],
    [D(2022, 8, 31), "nieuwsbrief", "Nieuwsbrief 4-2022", None],
]

# 4 unique contacts; tags: kernteam 2, OT1 2, OT2 1, no tag 1
CONTACTS = [
    ["E-mail", "Tags"],
    ["a.jansen@voorbeeld.nl", "kernteam, OT1"],
    ["b.devries@voorbeeld.nl", "OT1"],
    ["c.bakker@voorbeeld.nl", "kernteam,OT2"],
    ["d.visser@voorbeeld.nl", None],
]

# partners: 3 to 4 in every year, but 2 to 3 in 2022 (a row for the year beats a row without year);
# attendance_rate: 60 (= 0.6) in 2022.
TARGETS = [
    ["Indicator", "Jaar", "Minimum", "Maximum"],
    ["partners", None, 3, 4],
    ["partners", 2022, 2, 3],
    ["attendance_rate", 2022, 60, None],
]

SELF_ASSESSMENT = [
    ["Meting", "Thema", "Score"],
    ["2021-12", "Samenwerking", 3],
    ["2022-06", "Samenwerking", 4],
    ["2022-06", "Kennisdeling", 2],
]

FULL = {
    "Deal": DEAL, "Onderdelen": PARTS, "Partners": PARTNERS, "Begroting": BUDGET, "Bijdragen": CONTRIBUTIONS,
    "Bijeenkomsten": MEETINGS, "Aanwezigheid": ATTENDANCE, "Enquete": SURVEY, "Vragen": QUESTIONS,
    "Mijlpalen": MILESTONES, "Eindresultaten": END_RESULTS, "Knelpunten": BOTTLENECKS, "Communicatie": COMMUNICATION,
    "Contacten": CONTACTS, "Doelen": TARGETS, "Zelfevaluatie": SELF_ASSESSMENT,
}


def load(db: Path, path: Path, sheets: dict, deal: str | None = None) -> None:
    """Write a workbook and load it with the real loader; fail loudly when the loader rejects it."""
    write_workbook(path, sheets)
    result = load_files([path], db, deal=deal)
    assert result.status == "loaded", "\n".join(f"{p.sheet} {p.row} {p.column}: {p.message}" for p in result.problems)


def build_full_db(directory: Path) -> Path:
    """Deal TST: every sheet, peildatum 30-06-2022; plus deal MIN with only Deal and Bijeenkomsten."""
    db = directory / "stuurhut.duckdb"
    load(db, directory / "tst.xlsx", FULL)
    load(db, directory / "min.xlsx", {
        "Deal": [["Code", "Naam", "Peildatum"], ["MIN", "Kleine deal", D(2022, 6, 30)]],
        "Bijeenkomsten": [["ID", "Datum", "Soort"], ["M1", D(2022, 3, 1), "kernteam"], ["M2", D(2022, 5, 1), "kernteam"]],
    })
    return db


# Development budget over three years (deal BUD), first delivery with peildatum 31-12-2022:
#   2021: 100.000 budgeted, 80.000 realised -> available 100.000, surplus 20.000
#   2022: 100.000 + 20.000 = 120.000 available, 140.000 realised -> surplus -20.000 (overspent)
#   2023: 100.000 - 20.000 = 80.000 available, realised unknown -> surplus unknown
# The correction (peildatum 31-12-2023) changes 2021 realised to 70.000 and fills in 2023:
#   2021: surplus 30.000; 2022: 130.000 available, 140.000 realised -> -10.000;
#   2023: 90.000 available, 85.000 realised -> 5.000 left: unspent after the deal's last year.
# Basis money (50.000 a year) never carries over.
BUDGET_V1 = [
    ["Jaar", "Kostensoort", "Post", "Begroot", "Gerealiseerd"],
    [2021, "ontwikkeling", "Ateliers", 100000, 80000],
    [2022, "ontwikkeling", "Ateliers", 100000, 140000],
    [2023, "ontwikkeling", "Ateliers", 100000, None],
    [2021, "basis", "Secretariaat", 50000, 40000],
    [2022, "basis", "Secretariaat", 50000, 50000],
]
BUDGET_V2 = [
    ["Jaar", "Kostensoort", "Post", "Begroot", "Gerealiseerd"],
    [2021, "ontwikkeling", "Ateliers", 100000, 70000],
    [2022, "ontwikkeling", "Ateliers", 100000, 140000],
    [2023, "ontwikkeling", "Ateliers", 100000, 85000],
    [2021, "basis", "Secretariaat", 50000, 40000],
    [2022, "basis", "Secretariaat", 50000, 50000],
]


def build_budget_db(directory: Path) -> Path:
    db = directory / "budget.duckdb"
    deal = ["Code", "Naam", "Start", "Einde", "Peildatum"]
    load(db, directory / "bud1.xlsx", {
        "Deal": [deal, ["BUD", "Begrotingsdeal", D(2021, 1, 1), D(2023, 12, 31), D(2022, 12, 31)]],
        "Begroting": BUDGET_V1,
    })
    load(db, directory / "bud2.xlsx", {
        "Deal": [deal, ["BUD", "Begrotingsdeal", D(2021, 1, 1), D(2023, 12, 31), D(2023, 12, 31)]],
        "Begroting": BUDGET_V2,
    })
    return db


@pytest.fixture(scope="session")
def full_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_full_db(tmp_path_factory.mktemp("full"))


@pytest.fixture(scope="session")
def budget_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_budget_db(tmp_path_factory.mktemp("budget"))
