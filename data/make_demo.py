"""Generate the demo deliveries in data/demo/ (deterministic): CDOR in two deliveries plus two fictional deals.

Run: .venv/bin/python data/make_demo.py [--out DIR]

CDOR facts come from the CDOR work programme 2022 (DESIGN.md): 6 development teams, atelier, cases,
kernteam 6x and directors 2x a year, 6-9 work sessions, 2 atelier days, about 30 partners of which
11 municipalities, 33 survey respondents in November 2021, 462 contacts at the end of 2021.
People are fictional ("Deelnemer 017", deelnemer017@voorbeeld.nl); organisations may be real.
The CDOR files are made the way people make them (title rows, text amounts and dates, a Totaal row,
a Microsoft Forms export, a Mailchimp audience export) to exercise the loader.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import random
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from etl.contract import (  # noqa: E402
    Attendance,
    Bottleneck,
    Communication,
    Contribution,
    Deal,
    EndResult,
    Meeting,
    Milestone,
    Part,
    Partner,
    Question,
    SelfAssessment,
    Sheet,
    SurveyAnswer,
    Target,
    columns,
)
from etl.contract import Budget as BudgetSheet  # noqa: E402

OUT = Path(__file__).resolve().parent / "demo"
SEED = 20221031
# Fixed document dates keep every xlsx byte-for-byte reproducible.
CREATED = dt.datetime(2022, 11, 1, 9, 0, 0)
D = dt.date


def rng_for(name: str) -> random.Random:
    """One independent random stream per purpose, so changing one part of the demo leaves the others alone."""
    return random.Random(f"{SEED}-{name}")


# --- formatting as people type it --------------------------------------------------------------------

def nl_money(x: float) -> str:
    """12500 -> '€ 12.500,00' (Dutch text amount)."""
    s = f"{x:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"€ {s}"


def nl_date(d: dt.date) -> str:
    return d.strftime("%d-%m-%Y")


def quarter_end(q: str) -> dt.date:
    y, n = int(q[:4]), int(q[-1])
    return (dt.date(y, 3 * n, 1) + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)


# --- workbook writing --------------------------------------------------------------------------------

class Book:
    """A small xlsxwriter wrapper writing typed cells (dates as Excel dates, amounts as numbers)."""

    def __init__(self, path: Path, title: str) -> None:
        self.wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
        self.wb.set_properties({"title": title, "author": "Projectsecretariaat (demo)", "created": CREATED})
        self.f_date = self.wb.add_format({"num_format": "dd-mm-yyyy"})
        self.f_money = self.wb.add_format({"num_format": '"€" #,##0.00'})
        self.f_pct = self.wb.add_format({"num_format": "0%"})
        self.f_head = self.wb.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1})
        self.f_title = self.wb.add_format({"bold": True, "font_size": 14})
        self.f_bold = self.wb.add_format({"bold": True})
        self.f_bold_money = self.wb.add_format({"bold": True, "num_format": '"€" #,##0.00'})

    def cell(self, ws, r: int, c: int, v, kind: str | None = None) -> None:
        if v is None or v == "":
            return
        if isinstance(v, dt.date):
            ws.write_datetime(r, c, dt.datetime(v.year, v.month, v.day), self.f_date)
        elif isinstance(v, bool):
            ws.write_string(r, c, "ja" if v else "nee")
        elif isinstance(v, int | float):
            fmt = self.f_money if kind == "money" else self.f_pct if kind == "percent" else None
            ws.write_number(r, c, v, fmt)
        else:
            ws.write_string(r, c, str(v))

    def tidy(self, model: type[Sheet], rows: list[dict], name: str | None = None) -> None:
        """A tidy sheet: the contract's Dutch headers in row 1, one record per row."""
        ws = self.wb.add_worksheet(name or model.sheet)
        cols = columns(model)
        for i, c in enumerate(cols):
            ws.write_string(0, i, c.header, self.f_head)
            ws.set_column(i, i, 14 if c.kind != "text" else 30)
        for r, rec in enumerate(rows, start=1):
            for i, c in enumerate(cols):
                self.cell(ws, r, i, rec.get(c.name), c.kind)
        ws.freeze_panes(1, 0)

    def close(self) -> None:
        self.wb.close()


# --- people and organisations ------------------------------------------------------------------------

@dataclass
class Person:
    num: int
    org: str
    org_kind: str
    teams: list[str] = field(default_factory=list)
    role: str = "lid"

    @property
    def name(self) -> str:
        return f"Deelnemer {self.num:03d}"

    @property
    def email(self) -> str:
        return f"deelnemer{self.num:03d}@voorbeeld.nl"


# --- CDOR --------------------------------------------------------------------------------------------

CDOR_GEMEENTEN = (
    "Gemeente Amsterdam", "Gemeente Rotterdam", "Gemeente Den Haag", "Gemeente Utrecht", "Gemeente Eindhoven",
    "Gemeente Groningen", "Gemeente Tilburg", "Gemeente Leiden", "Gemeente Zwolle", "Gemeente Apeldoorn",
    "Gemeente Almere",
)
# The four founding municipalities launched the deal with the Rijk on 29 October 2020.
CDOR_FOUNDERS = ("Gemeente Rotterdam", "Gemeente Utrecht", "Gemeente Tilburg", "Gemeente Leiden")
BZK = "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties"
IENW = "Ministerie van Infrastructuur en Waterstaat"
LNV = "Ministerie van Landbouw, Natuur en Voedselkwaliteit"
AWB = "Architecture Workroom Brussels"
JH = "Jonge Honden"

CDOR_OTHERS: tuple[tuple[str, str, dt.date], ...] = (
    (BZK, "rijk", D(2021, 1, 1)),
    (IENW, "rijk", D(2021, 1, 1)),
    (LNV, "rijk", D(2021, 3, 1)),
    ("Rijkswaterstaat", "rijk", D(2021, 4, 1)),
    ("Provincie Zuid-Holland", "provincie", D(2021, 5, 1)),
    ("Hoogheemraadschap van Rijnland", "waterschap", D(2021, 4, 1)),
    ("Platform31", "kennisinstelling", D(2021, 1, 1)),
    ("TU Delft", "kennisinstelling", D(2021, 3, 1)),
    ("Wageningen University & Research", "kennisinstelling", D(2021, 3, 1)),
    ("Centrum Ondergronds Bouwen (COB)", "kennisinstelling", D(2021, 2, 1)),
    ("Stichting RIONED", "kennisinstelling", D(2021, 6, 1)),
    ("Vereniging van Nederlandse Gemeenten (VNG)", "brancheorganisatie", D(2021, 2, 1)),
    ("CROW", "brancheorganisatie", D(2021, 1, 1)),
    ("Stadswerk", "brancheorganisatie", D(2021, 1, 1)),
    ("NL Ingenieurs", "brancheorganisatie", D(2021, 9, 1)),
    ("Alliander", "netbeheerder", D(2021, 6, 1)),
    ("Stedin", "netbeheerder", D(2022, 3, 1)),  # the work programme asks for more grid operators in 2022
    (AWB, "adviesbureau", D(2021, 3, 15)),
    (JH, "adviesbureau", D(2021, 3, 15)),
    ("IVN Natuureducatie", "maatschappelijke organisatie", D(2021, 9, 1)),
)

CDOR_PARTS = (
    ("OT1", "Integrale opgave en beleidsontwikkeling", "ontwikkelteam", "Gemeente Utrecht"),
    ("OT2", "Stedelijk programmeren en samenwerken", "ontwikkelteam", "Gemeente Rotterdam"),
    ("OT3", "Integrale uitvoering", "ontwikkelteam", "Gemeente Tilburg"),
    ("OT4", "Stedelijk investeren en businesscases", "ontwikkelteam", "Gemeente Amsterdam"),
    ("OT5", "Datagedreven sturen", "ontwikkelteam", "Gemeente Eindhoven"),
    ("OT6", "Harmonisatie regelgeving (boven- en ondergrond)", "ontwikkelteam", BZK),
    ("AT", "Atelier: lerende organisaties integrale aanpak openbare ruimte", "atelier", AWB),
    ("CAS", "Praktijkcasussen", "casus", "Gemeente Leiden"),
    ("KT", "Kernteam", "kernteam", BZK),
    ("DO", "Directeurenoverleg", "directeurenoverleg", BZK),
    ("COM", "Communicatie", "communicatie", "Platform31"),
)

# Organisations that often cannot make it (small teams, many City Deals at once): attendance factor.
OFTEN_ABSENT = {
    "Gemeente Almere": 0.7, LNV: 0.7, "Provincie Zuid-Holland": 0.7, "Rijkswaterstaat": 0.75,
    "NL Ingenieurs": 0.75, "Gemeente Apeldoorn": 0.85,
}


def cdor_partners() -> list[dict]:
    out = []
    for g in CDOR_GEMEENTEN:
        since = D(2021, 1, 1) if g in CDOR_FOUNDERS else D(2021, 2 + CDOR_GEMEENTEN.index(g) % 4, 1)
        out.append({"organisation": g, "kind": "gemeente", "since": since, "until": None, "funding": True})
    for org, kind, since in CDOR_OTHERS:
        out.append({"organisation": org, "kind": kind, "since": since, "until": None,
                    "funding": org in (BZK, IENW, LNV)})
    return out


def cdor_people(partners: list[dict]) -> list[Person]:
    """About 120 fictional participants spread over the partners, with team memberships."""
    r = rng_for("cdor-people")
    people: list[Person] = []
    n = 1
    per_kind = {"gemeente": 6, "rijk": 4, "kennisinstelling": 2, "brancheorganisatie": 2, "netbeheerder": 2,
                "adviesbureau": 3, "provincie": 2, "waterschap": 2, "maatschappelijke organisatie": 1}
    for p in partners:
        k = per_kind[p["kind"]] + (2 if p["organisation"] in (BZK, "Platform31") else 0)
        for _ in range(k):
            people.append(Person(n, p["organisation"], p["kind"]))
            n += 1
    teams = [c for c, _, kind, _ in CDOR_PARTS if kind == "ontwikkelteam"]
    # Every municipality sends people to several teams; others join the team that fits their field.
    affinity = {
        "netbeheerder": ["OT2", "OT5"], "waterschap": ["OT1", "OT3"], "kennisinstelling": ["OT1", "OT5", "OT4"],
        "brancheorganisatie": ["OT2", "OT6", "OT3"], "rijk": ["OT6", "OT4", "OT1"], "provincie": ["OT1", "OT6"],
        "maatschappelijke organisatie": ["OT1"], "adviesbureau": [],
    }
    for person in people:
        if person.org_kind == "gemeente":
            person.teams = r.sample(teams, 1 + (r.random() < 0.2))
        elif affinity.get(person.org_kind):
            person.teams = [r.choice(affinity[person.org_kind])]
        if person.org == JH:
            person.teams = ["OT1", "OT2", "OT3"] if person.num % 2 else ["OT4", "OT5", "OT6"]
            person.role = "begeleider"
    # Trekkers: the first member of each team from the lead organisation.
    for code, _, kind, lead in CDOR_PARTS:
        if kind != "ontwikkelteam":
            continue
        cands = [p for p in people if p.org == lead]
        cands[0].teams = sorted(set(cands[0].teams) | {code})
        cands[0].role = "trekker"
    return people


@dataclass
class MeetingRec:
    id: str
    date: dt.date
    kind: str
    title: str
    part: str | None
    form: str
    invitees: list[Person]
    cancelled: bool = False


def _kernteam(people: list[Person]) -> list[Person]:
    orgs = ("Gemeente Rotterdam", "Gemeente Utrecht", "Gemeente Tilburg", "Gemeente Leiden", "Gemeente Amsterdam",
            BZK, IENW, "Platform31", AWB, JH, "CROW", "Gemeente Groningen")
    return [next(p for p in people if p.org == o and p.role != "trekker") for o in orgs]


def _directors(people: list[Person], partners: list[dict]) -> list[Person]:
    funders = [p["organisation"] for p in partners if p["funding"]]
    # The directors are the last listed person of each funding organisation, plus the coordinator (BZK).
    out = [[p for p in people if p.org == o][-1] for o in funders]
    return out + [[p for p in people if p.org == "Platform31"][0]]


def cdor_meetings(people: list[Person], partners: list[dict]) -> list[MeetingRec]:
    r = rng_for("cdor-meetings")
    out: list[MeetingRec] = []
    kt = _kernteam(people)
    do = _directors(people, partners)
    trekkers = [p for p in people if p.role == "trekker"] + [p for p in people if p.org == JH][:2] + [kt[7]]

    def online(d: dt.date) -> str:
        # 2021 was the corona year: online; from spring 2022 people met again.
        return "online" if d < D(2022, 3, 1) else r.choice(("fysiek", "hybride", "fysiek", "online"))

    for i, d in enumerate((D(2021, 2, 9), D(2021, 4, 13), D(2021, 6, 8), D(2021, 9, 7), D(2021, 10, 26),
                           D(2021, 12, 7), D(2022, 2, 8), D(2022, 4, 5), D(2022, 6, 14), D(2022, 9, 6),
                           D(2022, 10, 18), D(2022, 12, 13))):
        out.append(MeetingRec(f"KT-{d.year}-{i % 6 + 1:02d}", d, "kernteam", "Kernteamoverleg", "KT", "online", kt))
    for d, t in ((D(2021, 3, 25), "Directeurenoverleg: start werkorganisatie"),
                 (D(2021, 11, 18), "Directeurenoverleg: bijdrage ontwikkelkosten en werkprogramma 2022"),
                 (D(2022, 5, 19), "Directeurenoverleg: voortgang en Dag van de Stad"),
                 (D(2022, 11, 24), "Directeurenoverleg: eindresultaten 2023 en borging")):
        n = 1 if d.month < 7 else 2
        out.append(MeetingRec(f"DO-{d.year}-{n}", d, "directeurenoverleg", t, "DO",
                              "online" if d.year == 2021 else "fysiek", do))
    network = [p for p in people if p.org != "Rijkswaterstaat" or p.num % 2]
    for d, t, form in ((D(2021, 4, 15), "Atelierdag 1: kennismaking cases en ontwikkelteams", "online"),
                       (D(2021, 10, 7), "Atelierdag 2: plannen van aanpak", "hybride"),
                       (D(2022, 4, 7), "Atelierdag 1: inventarisatie en clustering van de casussen", "fysiek"),
                       (D(2022, 10, 6), "Atelierdag 2: instrumenten en werkmethoden in de cases", "fysiek")):
        n = 1 if d.month < 7 else 2
        out.append(MeetingRec(f"AD-{d.year}-{n}", d, "atelierdag", t, "AT", form,
                              sorted(r.sample(network, r.randint(56, 68)), key=lambda p: p.num)))
    sessions = (
        (D(2021, 6, 24), "Werksessie: klimaatadaptatie in de wijk", "online"),
        (D(2021, 9, 16), "Werksessie: kabels en leidingen in de ondergrond", "online"),
        (D(2021, 12, 17), "Open ateliersessie: Verrijking van het omgevingsbeleid", "online"),
        (D(2022, 2, 17), "Werksessie: cluster binnenstedelijke herinrichting", "online"),
        (D(2022, 3, 24), "Werksessie: sociale opgaven in de openbare ruimte", "hybride"),
        (D(2022, 5, 12), "Werksessie: programmeren met nutsbedrijven", "fysiek"),
        (D(2022, 6, 23), "Werksessie: bodembiodiversiteit (OT1)", "fysiek"),
        (D(2022, 7, 7), "Zomertour Leiden: Verticaal Kabels en Leidingen Systeem", "fysiek"),
        (D(2022, 9, 1), "Zomertour Tilburg: casussen Binnenstad en Zuid", "fysiek"),
        (D(2022, 9, 22), "Werksessie: datagedreven beheer (OT5)", "hybride"),
        (D(2022, 11, 10), "Werksessie: multi-stakeholderfinanciering (OT4)", "fysiek"),
        (D(2022, 12, 8), "Werksessie: Omgevingswet in de praktijk (OT6)", "online"),
    )
    counts: dict[int, int] = {}
    for d, t, form in sessions:
        counts[d.year] = counts.get(d.year, 0) + 1
        out.append(MeetingRec(f"WS-{d.year}-{counts[d.year]:02d}", d, "werksessie", t, "AT", form,
                              sorted(r.sample(network, r.randint(16, 26)), key=lambda p: p.num)))
    for i, (d, city) in enumerate(((D(2021, 7, 1), "Groningen"), (D(2021, 8, 26), "Tilburg"),
                                   (D(2021, 9, 2), "Leiden"), (D(2021, 9, 23), "Eindhoven")), start=1):
        out.append(MeetingRec(f"EX-2021-{i}", d, "excursie", f"Zomertour {city}", "CAS", "fysiek",
                              sorted(r.sample(network, r.randint(18, 30)), key=lambda p: p.num)))
    for d in (D(2021, 5, 20), D(2021, 9, 30), D(2021, 12, 9), D(2022, 3, 10), D(2022, 6, 16), D(2022, 10, 13),
              D(2022, 12, 15)):
        n = sum(1 for m in out if m.kind == "kartrekkersoverleg" and m.date.year == d.year) + 1
        out.append(MeetingRec(f"KTR-{d.year}-{n}", d, "kartrekkersoverleg", "Kartrekkersoverleg OT1-6", None,
                              "online", trekkers))
    out.append(MeetingRec("CF-2022-1", D(2022, 3, 31), "conferentie", "NC BOR: sessie City Deal Openbare Ruimte",
                          "COM", "fysiek", sorted(r.sample(network, 14), key=lambda p: p.num)))
    out.append(MeetingRec("CF-2022-2", D(2022, 11, 29), "conferentie", "Dag van de Stad, Tilburg", "COM",
                          "fysiek", sorted(r.sample(network, 24), key=lambda p: p.num)))
    # Development teams: monthly from April 2021 (after the kwartiermakersfase), in 2022 monthly until
    # the summer and then every two months, as the work programme plans.
    months_2021 = [D(2021, m, 1) for m in (4, 5, 6, 7, 9, 10, 11, 12)]
    months_2022 = [D(2022, m, 1) for m in (1, 2, 3, 4, 5, 6, 9, 11)]
    for code, name, kind, _ in CDOR_PARTS:
        if kind != "ontwikkelteam":
            continue
        members = [p for p in people if code in p.teams]
        n = 0
        for m in months_2021 + months_2022:
            if code in ("OT4", "OT6") and m in (D(2021, 4, 1), D(2021, 7, 1)):
                continue  # these two teams took longer to get going
            day = m + dt.timedelta(days=7 + int(code[-1]) * 2 + r.randint(0, 3))
            while day.weekday() >= 5:
                day += dt.timedelta(days=1)
            n += 1
            cancelled = code == "OT4" and m in (D(2022, 3, 1), D(2022, 6, 1))
            out.append(MeetingRec(f"{code}-{day.year}-{n:02d}", day, "ontwikkelteam", f"Teamoverleg {code} {name}",
                                  code, online(day), members, cancelled))
    out.sort(key=lambda m: (m.date, m.id))
    return out


def attendance(meetings: list[MeetingRec], peildatum: dt.date, stream: str) -> list[dict]:
    """Attendance rows for every meeting held by the Peildatum: about 65-80% present."""
    r = rng_for(stream)
    base = {"kernteam": 0.86, "directeurenoverleg": 0.72, "ontwikkelteam": 0.74, "atelierdag": 0.7,
            "werksessie": 0.78, "excursie": 0.82, "kartrekkersoverleg": 0.85, "conferentie": 0.9}
    rows = []
    for m in meetings:
        if m.cancelled or m.date > peildatum:
            continue
        for p in m.invitees:
            pr = base[m.kind] * OFTEN_ABSENT.get(p.org, 1.0) * (0.95 if m.date.year == 2021 else 1.0)
            u = r.random()
            present = "ja" if u < pr else ("afgemeld" if r.random() < 0.6 else "nee")
            role = p.role if (m.kind == "ontwikkelteam" or p.role == "begeleider") else "lid"
            rows.append({"meeting": m.id, "participant": p.name, "organisation": p.org, "role": role,
                         "present": present})
    return rows


def meeting_rows(meetings: list[MeetingRec], peildatum: dt.date) -> list[dict]:
    rows = []
    for m in meetings:
        # Most rows leave Status empty (the loader derives it from the date); cancellations are explicit,
        # and the secretary marks a few future meetings as planned.
        status = "geannuleerd" if m.cancelled else ("gepland" if m.date > peildatum and m.kind == "kernteam" else None)
        rows.append({"id": m.id, "date": m.date, "kind": m.kind, "title": m.title, "part": m.part, "form": m.form,
                     "status": status, "invited": len(m.invitees)})
    return rows


# Milestones: (part, text, planned, start, done, end result, note, sloppy)
# planned is a quarter string or a date; done None = not done yet; sloppy = status left on "loopt" after the due date.
MS = tuple[str, str, str | dt.date, dt.date, dt.date | None, str | None, str | None, bool]
CDOR_MILESTONES: tuple[MS, ...] = (
    ("OT1", "Plan van aanpak vastgesteld", "2021-Q3", D(2021, 4, 1), D(2021, 9, 14), None, None, False),
    ("OT1", "Inventarisatie bestaande afwegingskaders", "2022-Q1", D(2021, 10, 1), D(2022, 3, 22), "ER-OT1-1", None, False),
    ("OT1", "Concept afwegingskader tussenschaal", "2022-Q3", D(2022, 3, 1), D(2022, 10, 11), "ER-OT1-1", None, False),
    ("OT1", "Verkenning onderzoeksfunctie bodembiodiversiteit en sociale opgaven", D(2022, 6, 30), D(2022, 1, 15),
     None, "ER-OT1-2", "Financiering onderzoek nog niet rond", False),
    ("OT1", "Afwegingskader getoetst in drie casussen", "2023-Q2", D(2022, 11, 1), None, "ER-OT1-1", None, False),
    ("OT2", "Plan van aanpak vastgesteld", "2021-Q3", D(2021, 4, 1), D(2021, 8, 31), None, None, False),
    ("OT2", "Voorstel structurele betrokkenheid netbeheerders", "2022-Q2", D(2022, 1, 1), D(2022, 6, 2), None, None, False),
    ("OT2", "Eerste versie volwassenheidsmodel stedelijk programmeren", "2022-Q3", D(2022, 2, 1), None, "ER-OT2-1",
     "Wacht op input van ervaren programmeurs uit de gemeenten", False),
    ("OT2", "Volwassenheidsmodel getest bij vier gemeenten", "2023-Q1", D(2022, 10, 1), None, "ER-OT2-1", None, False),
    ("OT3", "Plan van aanpak vastgesteld", "2021-Q3", D(2021, 4, 1), D(2021, 9, 28), None, None, False),
    ("OT3", "Workshops instrumenten in de casussen", "2022-Q2", D(2022, 1, 1), D(2022, 6, 21), "ER-OT3-1", None, False),
    ("OT3", "Instrumentenset wijkgericht werken (concept)", "2022-Q4", D(2022, 5, 1), None, "ER-OT3-1", None, False),
    ("OT4", "Plan van aanpak vastgesteld", "2021-Q3", D(2021, 5, 1), D(2021, 11, 2), None,
     "Later vastgesteld dan gepland", False),
    ("OT4", "Inventarisatie multi-stakeholderfinanciering NL en internationaal", "2022-Q2", D(2022, 1, 1), None,
     "ER-OT4-1", "Te weinig financieel strategen uit de gemeenten in het team", False),
    ("OT4", "Casusgerichte workshop financiële vragen", D(2022, 9, 30), D(2022, 6, 1), None, "ER-OT4-1", None, True),
    ("OT5", "Plan van aanpak vastgesteld", "2021-Q3", D(2021, 4, 1), D(2021, 9, 7), None, None, False),
    ("OT5", "Eerste tools getest in twee casussen", "2022-Q2", D(2022, 1, 1), D(2022, 5, 24), "ER-OT5-1", None, False),
    ("OT5", "Alliantie met VNG-datateam verkend", "2022-Q3", D(2022, 4, 1), D(2022, 9, 13), "ER-OT5-2", None, False),
    ("OT5", "Voorstel aangepaste standaarden en normen", "2023-Q2", D(2022, 10, 1), None, "ER-OT5-2", None, False),
    ("OT6", "Plan van aanpak vastgesteld", "2021-Q4", D(2021, 5, 1), D(2021, 12, 14), None, None, False),
    ("OT6", "Knelpuntenanalyse werkend stelsel Omgevingswet", "2022-Q2", D(2022, 1, 1), None, "ER-OT6-2", None, True),
    ("OT6", "Juridisch-planologische vragen van de andere teams gebundeld", "2022-Q4", D(2022, 6, 1), None,
     "ER-OT6-1", None, False),
    ("AT", "Mapping en duiding van de casussen", "2022-Q1", D(2022, 1, 1), D(2022, 3, 25), None, None, False),
    ("AT", "Atelierdag 1 gehouden", D(2022, 4, 7), D(2022, 2, 1), D(2022, 4, 7), None, None, False),
    ("AT", "Werkboek CDOR: update 1", "2022-Q2", D(2022, 3, 1), D(2022, 6, 28), "ER-AT-1", None, False),
    ("AT", "Update mapping casussen", "2022-Q3", D(2022, 7, 1), D(2022, 9, 29), None, None, False),
    ("AT", "Atelierdag 2 gehouden", D(2022, 10, 6), D(2022, 8, 1), D(2022, 10, 6), None, None, False),
    ("AT", "Werkboek CDOR: update 2", "2022-Q4", D(2022, 10, 1), None, "ER-AT-1", None, False),
    ("AT", "Opzet opleidingspakket / masterclass", "2023-Q2", D(2023, 1, 1), None, "ER-AT-2", None, False),
    ("CAS", "Eén of twee casussen per gemeente geselecteerd", "2021-Q4", D(2021, 6, 1), D(2022, 1, 20), None,
     "Selectie kostte meer tijd dan gedacht", False),
    ("CAS", "Casuseigenaren per gemeente betrokken", "2022-Q2", D(2022, 1, 1), None, "ER-CA-1", None, False),
    ("CAS", "Handvatten voor clusters van casussen (concept)", "2022-Q4", D(2022, 4, 1), None, "ER-CA-2", None, False),
    ("KT", "Werkprogramma 2022 vastgesteld", D(2022, 1, 31), D(2021, 11, 1), D(2022, 1, 27), None, None, False),
    ("KT", "Reflectie aanpak derde jaar", D(2022, 12, 13), D(2022, 10, 1), None, None, None, False),
    ("COM", "Zes teamupdates (één per ontwikkelteam)", "2022-Q4", D(2022, 1, 1), None, None, None, False),
    ("COM", "Tips en workshop voor reuring in de gemeenten", "2022-Q3", D(2022, 3, 1), None, None,
     "Nog geen capaciteit; opnieuw agenderen in kernteam", False),
    ("DO", "Bestuurlijke sessie Dag van de Stad voorbereid", D(2022, 11, 15), D(2022, 6, 1), None, None, None, False),
)


def _progress(start: dt.date, due: dt.date, p: dt.date) -> float:
    if p <= start:
        return 0.0
    frac = (p - start).days / max(1, (due - start).days)
    return round(min(0.9, max(0.1, frac * 0.9)), 1)


def milestone_rows(items: Iterable[MS], peildatum: dt.date, text_quarters: bool = True) -> list[dict]:
    rows = []
    for part, text, planned, start, done, er, note, sloppy in items:
        due = quarter_end(planned) if isinstance(planned, str) else planned
        if done is not None and done <= peildatum:
            status, progress, gereed = "gereed", 1.0, done
        elif start > peildatum:
            status, progress, gereed = "niet gestart", 0.0, None
        elif due < peildatum:
            status, progress, gereed = ("loopt" if sloppy else "vertraagd"), _progress(start, due, peildatum), None
        else:
            status, progress, gereed = "loopt", _progress(start, due, peildatum), None
        if done is not None and done > peildatum:
            note = None
        rows.append({"part": part, "milestone": text, "planned": planned if text_quarters else due, "done": gereed,
                     "status": status, "progress": progress, "end_result": er, "note": note})
    return rows


CDOR_END_RESULTS = (
    ("ER-AT-1", "AT", "Werkboek CDOR", "loopt", 0.5, "Update 1 verschenen juni 2022"),
    ("ER-AT-2", "AT", "Opleidingspakket of masterclass integrale aanpak openbare ruimte", "niet gestart", 0.0, None),
    ("ER-AT-3", "AT", "Een (verder) lerende community", "loopt", 0.4, None),
    ("ER-CA-1", "CAS", "Borging in gemeentelijke plannen, gedragen door directies en besturen", "loopt", 0.3, None),
    ("ER-CA-2", "CAS", "Handvatten voor clusters van soortgelijke casussen", "loopt", 0.2, None),
    ("ER-OT1-1", "OT1", "Afwegingskader voor integrale oplossingen op de tussenschaal tussen omgevingsvisie/-plan "
     "en projectvoorbereiding", "loopt", 0.4, None),
    ("ER-OT1-2", "OT1", "Toegepaste kennis over sociale transities en (bodem)biodiversiteit in de openbare ruimte",
     "loopt", 0.2, "Onderzoeksfunctie nog niet gefinancierd"),
    ("ER-OT2-1", "OT2", "Volwassenheidsmodel voor stedelijk programmeren, mogelijk vertaald in een standaard", "loopt",
     0.3, None),
    ("ER-OT3-1", "OT3", "Instrumenten voor wijkgericht ontwerpen, participeren, budgetteren, aanbesteden, bouwen en "
     "beheren", "loopt", 0.4, None),
    ("ER-OT4-1", "OT4", "Instrumenten voor multi-stakeholderfinanciering en begrotingsprincipes binnen de "
     "gemeentelijke organisatie", "loopt", 0.15, None),
    ("ER-OT5-1", "OT5", "Diverse tools voor datagedreven sturen", "loopt", 0.5, None),
    ("ER-OT5-2", "OT5", "Nieuwe of aangepaste standaarden en normen", "niet gestart", 0.0, None),
    ("ER-OT6-1", "OT6", "Voorstellen voor aanpassing van regelgeving (normen, wetten), namens alle ontwikkelteams",
     "loopt", 0.2, None),
    ("ER-OT6-2", "OT6", "Werkend stelsel onder de Omgevingswet", "loopt", 0.25, None),
)

# (date, part, issue, severity, status in June, status in October (None = not yet known in June), action)
CDOR_BOTTLENECKS = (
    (D(2021, 12, 7), None, "Te veel overleg over het proces, te weinig inhoud (uitkomst enquête 2021)", "hoog",
     "in behandeling", "opgelost", "Atelier als doorlopend traject met inhoudelijke werksessies"),
    (D(2021, 12, 7), None, "Gebrek aan overzicht en onduidelijke regierol in de hele City Deal", "middel",
     "in behandeling", "in behandeling", "Kernteam als stuurhut; teamupdates per ontwikkelteam"),
    (D(2022, 2, 8), "OT4", "Te weinig financieel strategen uit de gemeenten in het ontwikkelteam", "hoog",
     "open", "open", "Directeuren vragen om een financieel strateeg per gemeente"),
    (D(2022, 2, 8), "OT1", "Financiering van de onderzoeksfunctie (bodembiodiversiteit, sociale opgaven) ontbreekt",
     "middel", "open", "in behandeling", "Voorstel voor fasering en financiering in het kernteam"),
    (D(2022, 4, 5), "CAS", "Casuseigenaren in de gemeenten onvoldoende betrokken", "middel", "open", "open",
     "Directeuren agenderen de casussen in de eigen organisatie"),
    (D(2022, 4, 5), "OT2", "Structurele betrokkenheid van netbeheerders", "middel", "in behandeling", "opgelost",
     "Stedin aangesloten; voorstel via het netwerk van Mijnaansluiting"),
    (D(2022, 6, 14), None, "Eindbalans 2021 nog niet ontvangen", "laag", "open", "opgelost",
     "Opvragen bij Platform31"),
    (D(2022, 6, 14), "COM", "Datum NC BOR najaar 2022 onzeker", "laag", "open", "opgelost",
     "Afgestemd met CROW: volgende editie voorjaar 2023"),
    (D(2022, 9, 6), "OT6", "Knelpuntenanalyse Omgevingswet loopt achter door capaciteit bij het Rijk", "hoog",
     None, "open", "Extra juridische capaciteit vragen aan BZK"),
    (D(2022, 10, 18), None, "Doorwerking na 2023: eigenaarschap van de resultaten nog niet belegd", "middel",
     None, "open", "Verkennende gesprekken met ministeries, VNG en kennisinstellingen"),
)


def bottleneck_rows(items, peildatum: dt.date, october: bool) -> list[dict]:
    rows = []
    for d, part, issue, sev, st_jun, st_oct, action in items:
        if d > peildatum:
            continue
        rows.append({"date": d, "part": part, "issue": issue, "severity": sev,
                     "status": st_oct if october else st_jun, "action": action})
    return rows


def cdor_communication(peildatum: dt.date) -> list[dict]:
    r = rng_for("cdor-comm")
    rows: list[dict] = []
    news = [D(2021, 2, 15), D(2021, 4, 20), D(2021, 6, 22), D(2021, 9, 14), D(2021, 11, 2), D(2021, 12, 14),
            D(2022, 1, 25), D(2022, 7, 12)]  # 2022: the two atelier editions; the team updates are the others
    for i, d in enumerate(news, start=1):
        rows.append({"date": d, "channel": "nieuwsbrief", "title": f"Nieuwsbrief City Deal Openbare Ruimte #{i}",
                     "reach": 300 + int((d - D(2021, 1, 1)).days * 0.27) + r.randint(-5, 5), "part": "COM"})
    for d, ot in ((D(2022, 2, 22), "OT1"), (D(2022, 4, 26), "OT2"), (D(2022, 6, 21), "OT3"), (D(2022, 8, 30), "OT4"),
                  (D(2022, 10, 25), "OT5")):
        rows.append({"date": d, "channel": "teamupdate", "title": f"Teamupdate {ot}", "reach": 150 + r.randint(0, 30),
                     "part": ot})
    for d in (D(2021, 2, 1), D(2021, 3, 1), D(2021, 5, 1), D(2021, 6, 1), D(2021, 9, 1), D(2021, 10, 1),
              D(2021, 11, 1), D(2021, 12, 1), D(2022, 2, 1), D(2022, 3, 1), D(2022, 5, 1), D(2022, 6, 1),
              D(2022, 9, 1), D(2022, 10, 1)):
        rows.append({"date": d, "channel": "artikel", "title": f"Artikel in Stadswerk {d.month:02d}/{d.year}",
                     "reach": None, "part": "COM"})
    d = D(2021, 3, 8)
    while d <= D(2022, 10, 31):
        rows.append({"date": d, "channel": "linkedin", "title": "LinkedIn-bericht", "reach": r.randint(700, 2600),
                     "part": "COM"})
        d += dt.timedelta(days=r.randint(10, 21))
    rows.append({"date": D(2021, 12, 20), "channel": "werkboek", "title": "Werkboek CDOR, eerste editie",
                 "reach": None, "part": "AT"})
    rows.append({"date": D(2022, 6, 28), "channel": "werkboek", "title": "Werkboek CDOR, update 1", "reach": None,
                 "part": "AT"})
    rows.append({"date": D(2021, 3, 1), "channel": "website", "title": "Vernieuwde website en community-omgeving",
                 "reach": None, "part": "COM"})
    rows.append({"date": D(2021, 5, 27), "channel": "webinar", "title": "Webinar: wat is de City Deal Openbare Ruimte?",
                 "reach": 140, "part": "COM"})
    rows.append({"date": D(2022, 3, 31), "channel": "congres", "title": "NC BOR 2022: sessie City Deal", "reach": 120,
                 "part": "COM"})
    return sorted((x for x in rows if x["date"] <= peildatum), key=lambda x: (x["date"], x["channel"]))


QUESTIONS = (
    ("V01", "Ik ben tevreden over het netwerk dat ik via de City Deal heb opgebouwd.", "likert5", "Netwerk"),
    ("V02", "Ik heb via de City Deal ervaringsdeskundigen uit andere organisaties ontmoet.", "likert5", "Netwerk"),
    ("V03", "We zijn voldoende met de inhoud bezig, niet alleen met het proces.", "likert5", "Inhoud"),
    ("V04", "De ontwikkelteams werken aan concrete instrumenten.", "likert5", "Inhoud"),
    ("V05", "Ik heb voldoende overzicht van wat er in de hele City Deal gebeurt.", "likert5", "Overzicht en regie"),
    ("V06", "Het is duidelijk waar en wanneer er regie wordt genomen.", "likert5", "Overzicht en regie"),
    ("V07", "De praktijkcasussen zijn goed verbonden met de ontwikkelteams.", "likert5", "Praktijk"),
    ("V08", "Ik voel mij mede-eigenaar van de City Deal.", "likert5", "Eigenaarschap"),
    ("V09", "De nieuwsbrieven en updates houden mij goed op de hoogte.", "likert5", "Communicatie"),
    ("V10", "Mijn eigen organisatie heeft profijt van de deelname.", "likert5", "Eigenaarschap"),
    ("V11", "Is er behoefte aan nieuwe partners in de City Deal?", "janee", "Partners"),
    ("V12", "Hoeveel uur per maand besteed je gemiddeld aan de City Deal?", "getal", "Inzet"),
    ("V13", "Wat kan er volgens jou beter?", "tekst", "Verbeterpunten"),
)
LIKERT_NL = ("Helemaal mee oneens", "Mee oneens", "Neutraal", "Mee eens", "Helemaal mee eens")
# Mean Likert score per question and wave: the 2021 findings of the work programme (happy with the network,
# too little content, losing the overview, unclear regie), and the improvement the 2022 approach aimed at.
MEANS = {
    "2021-11": {"V01": 4.1, "V02": 4.0, "V03": 2.3, "V04": 2.8, "V05": 2.2, "V06": 2.1, "V07": 2.5, "V08": 3.0,
                "V09": 3.5, "V10": 3.4},
    "2022-10": {"V01": 4.2, "V02": 4.1, "V03": 3.3, "V04": 3.5, "V05": 2.9, "V06": 3.1, "V07": 3.2, "V08": 3.3,
                "V09": 3.9, "V10": 3.6},
}
OPEN_ANSWERS = (
    "Meer inhoud, minder overleg over hoe we werken.",
    "Het overzicht over alle teams ontbreekt; een korte update per team zou helpen.",
    "Duidelijker wie waarover beslist.",
    "De casussen vaker als vertrekpunt nemen.",
    "Fysiek bijeenkomen werkt beter dan online.",
    "Meer tijd vrijmaken in de eigen organisatie.",
    "Betere koppeling tussen de ontwikkelteams onderling.",
    "De atelierdagen zijn waardevol, graag vaker.",
    "Resultaten eerder delen met de eigen organisatie.",
    "Minder vrijblijvend: concrete afspraken en deadlines.",
)


def survey(people: list[Person], wave: str, n: int, stream: str) -> list[dict]:
    """n respondents' answers (one dict per respondent) with realistic spread around the wave's means."""
    r = rng_for(stream)
    resp = sorted(r.sample(people, n), key=lambda p: p.num)
    out = []
    for p in resp:
        person_bias = r.gauss(0, 0.4)
        ans: dict[str, object] = {}
        for code, _, scale, _ in QUESTIONS:
            if scale == "likert5":
                v = round(r.gauss(MEANS[wave][code] + person_bias, 0.8))
                ans[code] = min(5, max(1, v))
            elif scale == "janee":
                ans[code] = "Ja" if r.random() < (0.3 if wave == "2021-11" else 0.2) else "Nee"
            elif scale == "getal":
                ans[code] = r.choice((2, 4, 4, 6, 8, 8, 10, 12, 16))
            else:
                ans[code] = r.choice(OPEN_ANSWERS) if r.random() < 0.7 else None
        out.append({"person": p, "answers": ans})
    return out


def survey_long(resp: list[dict], wave: str) -> list[dict]:
    rows = []
    for x in resp:
        p: Person = x["person"]
        for code, _, scale, _ in QUESTIONS:
            a = x["answers"][code]
            if a is None:
                continue
            text = LIKERT_NL[a - 1] if scale == "likert5" else str(a)
            rows.append({"respondent": p.email, "wave": wave, "question": code, "answer": text,
                         "org_kind": p.org_kind, "part": p.teams[0] if p.teams else None})
    return rows


def write_forms_export(path: Path, resp: list[dict], day0: dt.date) -> None:
    """A Microsoft Forms results workbook (Dutch UI): one row per respondent, one column per question."""
    r = rng_for("cdor-forms-times")
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"created": CREATED})
    f_dt = wb.add_format({"num_format": "m/d/yy h:mm:ss"})
    ws = wb.add_worksheet("Sheet1")
    heads = ["ID", "Begintijd", "Tijd van voltooien", "E-mail", "Naam"] + [q for _, q, _, _ in QUESTIONS]
    for c, h in enumerate(heads):
        ws.write_string(0, c, h)
    for i, x in enumerate(resp, start=1):
        p: Person = x["person"]
        start = dt.datetime.combine(day0 + dt.timedelta(days=r.randint(0, 16)), dt.time(8, 0)) + dt.timedelta(
            minutes=r.randint(0, 9 * 60))
        end = start + dt.timedelta(seconds=r.randint(180, 900))
        ws.write_number(i, 0, i)
        ws.write_datetime(i, 1, start, f_dt)
        ws.write_datetime(i, 2, end, f_dt)
        ws.write_string(i, 3, p.email)
        ws.write_string(i, 4, p.name)
        for c, (code, _, scale, _) in enumerate(QUESTIONS, start=5):
            a = x["answers"][code]
            if a is None:
                continue
            if scale == "likert5":
                ws.write_string(i, c, LIKERT_NL[a - 1])
            elif scale == "getal":
                ws.write_number(i, c, a)
            else:
                ws.write_string(i, c, str(a))
    wb.close()


MAILCHIMP_HEADERS = (
    "Email Address", "First Name", "Last Name", "MEMBER_RATING", "OPTIN_TIME", "OPTIN_IP", "CONFIRM_TIME",
    "CONFIRM_IP", "LATITUDE", "LONGITUDE", "GMTOFF", "DSTOFF", "TIMEZONE", "CC", "REGION", "LAST_CHANGED",
    "LEID", "EUID", "NOTES", "TAGS",
)
TAG_BY_KIND = {
    "gemeente": "Gemeenten", "rijk": "Departementen", "kennisinstelling": "Kennisinstellingen",
    "brancheorganisatie": "Brancheorganisaties", "adviesbureau": "Adviesbureaus",
    "maatschappelijke organisatie": "Maatschappelijke organisaties", "waterschap": "Waterschappen",
}


def write_mailchimp(path: Path, people: list[Person], total: int, by_2021: int, kt: list[Person]) -> None:
    """A Mailchimp audience export: participants plus followers; `by_2021` opted in before 2022."""
    r = rng_for("cdor-mailchimp")
    rows = []
    for p in people:
        tags = ["Deelnemers"] + ([TAG_BY_KIND[p.org_kind]] if p.org_kind in TAG_BY_KIND else [])
        tags += [f"Ontwikkelteam {t[-1]}" for t in p.teams if t.startswith("OT")]
        if p in kt:
            tags.append("Kernteam")
        rows.append([p.email, "Deelnemer", f"{p.num:03d}", tags])
    n_follow = total - len(rows)
    for i in range(1, n_follow + 1):
        tags = ["Volgers"]
        u = r.random()
        if u < 0.35:
            tags.append("Gemeenten")
        elif u < 0.45:
            tags.append("Adviesbureaus")
        elif u < 0.5:
            tags.append("Communicatie contacten")
        first, last = ("Volger", f"{i:04d}") if r.random() < 0.7 else ("", "")
        rows.append([f"volger{i:04d}@voorbeeld.nl", first, last, tags])
    # Opt-in dates: exactly by_2021 contacts before 2022 (462 at the end of 2021), the rest in 2022.
    order = list(range(len(rows)))
    r.shuffle(order)
    early = set(order[:by_2021])
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n")
    w.writerow(MAILCHIMP_HEADERS)
    for i, (email, first, last, tags) in enumerate(rows):
        if i in early:
            d = D(2020, 11, 1) + dt.timedelta(days=r.randint(0, 425))
        else:
            d = D(2022, 1, 3) + dt.timedelta(days=r.randint(0, 170))
        t = dt.datetime.combine(d, dt.time(r.randint(7, 20), r.randint(0, 59), r.randint(0, 59)))
        tag_text = ",".join(f'"{t_}"' for t_ in tags)
        w.writerow([email, first, last, r.randint(1, 5), t.strftime("%Y-%m-%d %H:%M:%S"), "",
                    (t + dt.timedelta(minutes=2)).strftime("%Y-%m-%d %H:%M:%S"), "", "", "", "", "",
                    "Europe/Amsterdam", "NL", "", t.strftime("%Y-%m-%d %H:%M:%S"), str(100000 + i), f"{i:08x}", "",
                    tag_text])
    path.write_text(buf.getvalue(), encoding="utf-8")


# Budget: (cost type, post, part, {year: budgeted}, {year: (realised by June 2022, realised by October 2022)})
BUDGET_POSTS = (
    ("basis", "Coördinatie en projectleiding", "KT", {2021: 120000, 2022: 125000, 2023: 125000}),
    ("basis", "Projectsecretariaat", "KT", {2021: 60000, 2022: 62000, 2023: 62000}),
    ("basis", "Communicatie en website", "COM", {2021: 55000, 2022: 55000, 2023: 50000}),
    ("basis", "Ateliermeesterploeg", "AT", {2021: 90000, 2022: 110000, 2023: 100000}),
    ("basis", "Bijeenkomsten, locaties en catering", None, {2021: 35000, 2022: 40000, 2023: 40000}),
    ("basis", "Community-omgeving en tools", "COM", {2021: 20000, 2022: 10000, 2023: 10000}),
    ("basis", "Onvoorzien", None, {2021: 20000, 2022: 20000, 2023: 20000}),
    *(("ontwikkeling", f"Ontwikkelbudget {ot}", ot, {2021: 60000, 2022: 45000, 2023: 50000})
      for ot in ("OT1", "OT2", "OT3", "OT4", "OT5", "OT6")),
    ("ontwikkeling", "Begeleiding ontwikkelteams (Jonge Honden)", None, {2021: 0, 2022: 85000, 2023: 60000}),
    ("ontwikkeling", "Verdieping casussen", "CAS", {2021: 40000, 2022: 60000, 2023: 40000}),
    ("ontwikkeling", "Werksessies atelier", "AT", {2021: 30000, 2022: 45000, 2023: 35000}),
)
# Share realised: 2021 final; 2022 to date at each Peildatum. Development teams hardly spent in 2021.
REALISED = {
    "basis": {2021: 0.97, (2022, 6): 0.46, (2022, 10): 0.79},
    "ontwikkeling": {2021: 0.19, (2022, 6): 0.36, (2022, 10): 0.7},
}


def budget_rows(peildatum: dt.date) -> list[dict]:
    rows = []
    for year in (2021, 2022, 2023):
        for kind, post, part, amounts in BUDGET_POSTS:
            b = amounts[year]
            if b == 0:
                continue
            if year == 2021:
                share = REALISED[kind][2021]
            elif year == 2022:
                share = REALISED[kind][(2022, peildatum.month)]
            else:
                share = None
            if share is not None:
                # OT4 and OT6 spent least (slow start); the others vary around the average. One stream per
                # post and year, so a closed year reads the same in every delivery.
                spread = 0.25 if kind == "ontwikkeling" else 0.05
                adj = 0.35 if part in ("OT4", "OT6") else 1.0 + rng_for(f"budget-{year}-{post}").uniform(-spread, spread)
                real = round(b * min(1.05, share * adj) / 50) * 50
            else:
                real = None
            note = None
            if kind == "ontwikkeling" and year == 2021 and part and part.startswith("OT"):
                note = "Ontwikkelteams deden in 2021 nog nauwelijks uitgaven; overschot gaat mee naar 2022"
            elif post.startswith("Begeleiding") and year == 2022:
                note = "Vanaf 2022 ten laste van het ontwikkelbudget"
            elif post == "Ateliermeesterploeg" and year == 2022:
                note = "Hoger door intensivering atelier en verdieping casussen"
            elif year == 2022:
                note = f"Stand t/m {peildatum.strftime('%d-%m-%Y')}" if post == "Coördinatie en projectleiding" else None
            rows.append({"year": year, "cost_type": kind, "post": post, "part": part, "budgeted": float(b),
                         "realised": None if real is None else float(real), "note": note})
    return rows


def write_budget_messy(path: Path, peildatum: dt.date, with_contributions: list[dict] | None) -> None:
    """The finance workbook as the secretary keeps it: title rows, a blank line per year, text amounts, Totaal."""
    bk = Book(path, "Begroting City Deal Openbare Ruimte")
    ws = bk.wb.add_worksheet("Begroting")
    ws.write_string(0, 0, "City Deal Openbare Ruimte: begroting en realisatie 2021-2023", bk.f_title)
    ws.write_string(1, 0, f"Stand per {peildatum.strftime('%d-%m-%Y')} (bron: projectsecretariaat)")
    heads = ("Jaar", "Kostensoort", "Post", "Onderdeel", "Begroot (€)", "Gerealiseerd (€)", "Toelichting")
    for c, h in enumerate(heads):
        ws.write_string(3, c, h, bk.f_head)
    widths = (8, 14, 42, 11, 16, 18, 60)
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    row = 4
    rows = budget_rows(peildatum)
    tot_b = tot_r = 0.0
    last_year = None
    for x in rows:
        if last_year is not None and x["year"] != last_year:
            row += 1  # a blank line between years, as people do
        last_year = x["year"]
        ws.write_number(row, 0, x["year"])
        ws.write_string(row, 1, x["cost_type"].capitalize())
        ws.write_string(row, 2, x["post"])
        if x["part"]:
            ws.write_string(row, 3, x["part"])
        ws.write_string(row, 4, nl_money(x["budgeted"]))
        tot_b += x["budgeted"]
        if x["realised"] is not None:
            # Realised amounts typed as numbers in one year and as text in the other, as happens.
            if x["year"] == 2021:
                ws.write_number(row, 5, x["realised"], bk.f_money)
            else:
                ws.write_string(row, 5, nl_money(x["realised"]))
            tot_r += x["realised"]
        if x["note"]:
            ws.write_string(row, 6, x["note"])
        row += 1
    ws.write_string(row, 0, "Totaal", bk.f_bold)
    ws.write_string(row, 4, nl_money(tot_b), bk.f_bold)
    ws.write_string(row, 5, nl_money(tot_r), bk.f_bold)
    if with_contributions is not None:
        ws2 = bk.wb.add_worksheet("Financiering")
        ws2.write_string(0, 0, "Bijdragen per financierende partner", bk.f_title)
        heads = ("Jaar", "Organisatie", "Kostensoort", "Toegezegd", "Ontvangen")
        for c, h in enumerate(heads):
            ws2.write_string(2, c, h, bk.f_head)
        ws2.set_column(1, 1, 55)
        ws2.set_column(2, 4, 15)
        for i, x in enumerate(with_contributions, start=3):
            ws2.write_number(i, 0, x["year"])
            ws2.write_string(i, 1, x["organisation"])
            ws2.write_string(i, 2, x["cost_type"])
            ws2.write_string(i, 3, nl_money(x["promised"]))
            if x["received"] is not None:
                ws2.write_string(i, 4, nl_money(x["received"]))
    bk.close()


def cdor_contributions(partners: list[dict], peildatum: dt.date) -> list[dict]:
    r = rng_for("cdor-contrib")
    basis = {BZK: 100000, IENW: 50000, LNV: 30000}
    dev = {BZK: 100000, IENW: 40000, LNV: 20000}
    late_2022 = {"Gemeente Almere", "Gemeente Apeldoorn", LNV}
    rows = []
    for year in (2021, 2022, 2023):
        for p in partners:
            if not p["funding"]:
                continue
            org = p["organisation"]
            for kind, amount in (("basis", basis.get(org, 20000)), ("ontwikkeling", dev.get(org, 25000))):
                if year == 2021:
                    received = amount
                elif year == 2022:
                    received = None if org in late_2022 else (amount if r.random() < 0.85 else amount / 2)
                else:
                    received = None
                rows.append({"year": year, "organisation": org, "cost_type": kind, "promised": float(amount),
                             "received": None if received is None else float(received)})
    return rows


def write_meetings_messy(path: Path, meetings: list[MeetingRec], peildatum: dt.date, att: list[dict]) -> None:
    """Meetings and attendance lists: a title row, text dates, a few header variants."""
    bk = Book(path, "Bijeenkomsten en presentielijsten")
    ws = bk.wb.add_worksheet("Bijeenkomsten")
    ws.write_string(0, 0, "Overzicht bijeenkomsten City Deal Openbare Ruimte", bk.f_title)
    heads = ("ID", "Datum", "Soort", "Titel", "Onderdeel", "Vorm", "Status", "Aantal uitgenodigd")
    for c, h in enumerate(heads):
        ws.write_string(2, c, h, bk.f_head)
    ws.set_column(0, 2, 14)
    ws.set_column(3, 3, 60)
    for i, x in enumerate(meeting_rows(meetings, peildatum), start=3):
        ws.write_string(i, 0, x["id"])
        ws.write_string(i, 1, nl_date(x["date"]))  # typed as text, as in many secretariat lists
        ws.write_string(i, 2, x["kind"].capitalize())
        ws.write_string(i, 3, x["title"])
        if x["part"]:
            ws.write_string(i, 4, x["part"])
        ws.write_string(i, 5, x["form"])
        if x["status"]:
            ws.write_string(i, 6, x["status"])
        ws.write_number(i, 7, x["invited"])
    ws2 = bk.wb.add_worksheet("Presentielijst")
    heads = ("Bijeenkomst", "Naam", "Organisatie", "Rol", "Aanwezig")
    for c, h in enumerate(heads):
        ws2.write_string(0, c, h, bk.f_head)
    ws2.set_column(0, 4, 22)
    ws2.set_column(2, 2, 50)
    for i, x in enumerate(att, start=1):
        ws2.write_string(i, 0, x["meeting"])
        ws2.write_string(i, 1, x["participant"])
        ws2.write_string(i, 2, x["organisation"])
        ws2.write_string(i, 3, x["role"])
        ws2.write_string(i, 4, x["present"].capitalize())
    bk.close()


SELF_THEMES = (
    "Gedeelde ambitie", "Samenwerking tussen partners", "Eigenaarschap en commitment", "Voortgang naar resultaten",
    "Kennisdeling en opschaling", "Bestuurlijke verankering",
)


def cdor_batches(out: Path) -> list[dict]:
    partners = cdor_partners()
    people = cdor_people(partners)
    meetings = cdor_meetings(people, partners)
    kt = _kernteam(people)
    june, october = D(2022, 6, 30), D(2022, 10, 31)
    deal = {"code": "CDOR", "name": "City Deal Openbare Ruimte", "start": D(2021, 1, 1), "end": D(2023, 12, 31)}
    parts = [{"code": c, "name": n, "kind": k, "lead": lead} for c, n, k, lead in CDOR_PARTS]

    # Delivery 1: Peildatum 30 June 2022, all sheets.
    main1 = out / "CDOR_levering_2022-06-30.xlsx"
    bk = Book(main1, "City Deal Openbare Ruimte: levering juni 2022")
    bk.tidy(Deal, [{**deal, "as_of": june}])
    bk.tidy(Part, parts)
    bk.tidy(Partner, partners)
    bk.tidy(Question, [{"code": c, "question": q, "scale": s, "theme": t} for c, q, s, t in QUESTIONS])
    bk.tidy(Milestone, milestone_rows(CDOR_MILESTONES, june))
    bk.tidy(EndResult, [{"id": i, "part": p, "result": res, "status": st, "progress": pr, "note": nt}
                        for i, p, res, st, pr, nt in CDOR_END_RESULTS])
    bk.tidy(Bottleneck, bottleneck_rows(CDOR_BOTTLENECKS, june, october=False))
    bk.tidy(Communication, cdor_communication(june))
    bk.tidy(SelfAssessment, [
        {"wave": "2021-11", "theme": t, "score": s, "note": n} for t, s, n in zip(SELF_THEMES, (4, 4, 2, 2, 3, 2), (
            "Ambitie breed gedragen", "Netwerk groeit snel", "Veel vrijblijvend overleg", "Plannen van aanpak laat",
            "Werkboek en Stadswerk-artikelen", "Directeuren nog op afstand"), strict=True)] + [
        {"wave": "2022-06", "theme": t, "score": s, "note": n} for t, s, n in zip(SELF_THEMES, (4, 4, 3, 3, 3, 3), (
            None, None, "Casuseigenaren nog onvoldoende betrokken", "Eerste instrumenten in de casussen", None,
            "Directeuren betrokken bij ateliersessies"), strict=True)])
    bk.tidy(Target, [
        {"indicator": "work_sessions", "year": 2021, "minimum": 2, "maximum": 4},
        {"indicator": "team_meetings", "year": 2022, "minimum": 6, "maximum": 9},
        {"indicator": "contacts", "year": 2022, "minimum": 480, "maximum": None},
    ])
    bk.close()
    fin1 = out / "CDOR_financien_2022-06-30.xlsx"
    write_budget_messy(fin1, june, cdor_contributions(partners, june))
    meet1 = out / "CDOR_bijeenkomsten_2022-06-30.xlsx"
    write_meetings_messy(meet1, meetings, june, attendance(meetings, june, "cdor-att"))
    forms = out / "CDOR_enquete_november_2021_Forms.xlsx"
    resp21 = survey(people, "2021-11", 33, "cdor-survey-2021")
    write_forms_export(forms, resp21, D(2021, 11, 2))
    mc = out / "subscribed_members_export_cdor_2022-06.csv"
    write_mailchimp(mc, people, total=488, by_2021=462, kt=kt)

    # Delivery 2: Peildatum 31 October 2022, only the sheets that changed.
    main2 = out / "CDOR_update_2022-10-31.xlsx"
    bk = Book(main2, "City Deal Openbare Ruimte: update oktober 2022")
    bk.tidy(Deal, [{**deal, "as_of": october}])
    bk.tidy(Meeting, meeting_rows(meetings, october))
    bk.tidy(Attendance, attendance(meetings, october, "cdor-att"))
    bk.tidy(Milestone, milestone_rows(CDOR_MILESTONES, october))
    bk.tidy(Bottleneck, bottleneck_rows(CDOR_BOTTLENECKS, october, october=True))
    bk.tidy(Communication, cdor_communication(october))
    # The survey sheet replaces the earlier one, so it holds both waves in long form.
    resp22 = survey(people, "2022-10", 38, "cdor-survey-2022")
    bk.tidy(SurveyAnswer, survey_long(resp21, "2021-11") + survey_long(resp22, "2022-10"))
    bk.close()
    fin2 = out / "CDOR_financien_2022-10-31.xlsx"
    write_budget_messy(fin2, october, None)
    return [
        {"files": [main1.name, fin1.name, meet1.name, forms.name, mc.name], "deal": "CDOR"},
        {"files": [main2.name, fin2.name], "deal": "CDOR"},
    ]


# --- fictional deals ---------------------------------------------------------------------------------

@dataclass
class SmallDeal:
    code: str
    name: str
    start: dt.date
    end: dt.date
    peildatum: dt.date
    teams: tuple[tuple[str, str, str], ...]  # (code, name, lead)
    partners: tuple[tuple[str, str, bool], ...]  # (organisation, kind, funding)
    results: tuple[tuple[str, str], ...]  # (team code, end result)
    bottlenecks: tuple[tuple[str, str | None, str], ...]  # (issue, part, severity)
    self_scores: tuple[tuple[str, tuple[int, ...]], ...]  # (wave, scores per SELF_THEMES)
    first_person: int
    skip: frozenset[str] = frozenset()
    survey_waves: tuple[tuple[str, int], ...] = ()
    budget_per_year: tuple[int, int] = (150000, 200000)  # basis, ontwikkeling
    targets: tuple[dict, ...] = ()  # Doelen: the CDOR defaults do not fit a smaller deal


FICTIONAL = (
    SmallDeal(
        code="CDKW", name="City Deal Klimaatadaptieve Wijken (fictief)", start=D(2020, 1, 1), end=D(2022, 12, 31),
        peildatum=D(2022, 12, 31),
        teams=(("WT1", "Hittebestendige straten", "Gemeente Arnhem"),
               ("WT2", "Water vasthouden in de wijk", "Waterschap Rivierenland"),
               ("WT3", "Bewoners aan zet", "Gemeente Deventer")),
        partners=(("Gemeente Arnhem", "gemeente", True), ("Gemeente Nijmegen", "gemeente", True),
                  ("Gemeente Deventer", "gemeente", True), ("Gemeente Breda", "gemeente", True),
                  ("Gemeente Dordrecht", "gemeente", True), ("Gemeente 's-Hertogenbosch", "gemeente", True),
                  (IENW, "rijk", True), (BZK, "rijk", False), ("Provincie Gelderland", "provincie", True),
                  ("Waterschap Rivierenland", "waterschap", True), ("Waterschap Aa en Maas", "waterschap", False),
                  ("Hogeschool Van Hall Larenstein", "kennisinstelling", False),
                  ("Stichting RIONED", "kennisinstelling", False),
                  ("Natuur & Milieu", "maatschappelijke organisatie", False)),
        results=(("WT1", "Ontwerpprincipes hittebestendige straat"), ("WT1", "Hittekaart-standaard voor gemeenten"),
                 ("WT2", "Handreiking water vasthouden in bestaande wijken"),
                 ("WT3", "Aanpak bewonersparticipatie klimaatadaptatie"), ("WT3", "Tien voorbeeldprojecten gedocumenteerd")),
        bottlenecks=(("Capaciteit bij kleinere gemeenten beperkt", None, "middel"),
                     ("Uitvoering voorbeeldprojecten vertraagd door personeelstekort aannemers", "WT2", "hoog"),
                     ("Borging na afloop van de deal nog niet geregeld", None, "hoog"),
                     ("Bewonersavonden slecht bezocht tijdens corona", "WT3", "laag")),
        self_scores=(("2021-06", (4, 3, 3, 3, 3, 2)), ("2022-11", (4, 4, 4, 4, 4, 3))),
        first_person=301, survey_waves=(("2020-11", 24), ("2021-11", 27), ("2022-11", 22)),
        budget_per_year=(140000, 180000),
        targets=({"indicator": "partners", "minimum": 12, "maximum": 16},
                 {"indicator": "municipalities", "minimum": 6},
                 {"indicator": "work_sessions", "minimum": 4, "maximum": 6},
                 {"indicator": "newsletters", "minimum": 6, "maximum": 10},
                 {"indicator": "team_updates", "minimum": 3, "maximum": 3},
                 {"indicator": "workbook_updates", "minimum": 1, "maximum": 1},
                 {"indicator": "survey_respondents", "minimum": 20}),
    ),
    SmallDeal(
        code="CDCB", name="City Deal Circulaire Bedrijventerreinen (fictief)", start=D(2022, 1, 1),
        end=D(2024, 12, 31), peildatum=D(2022, 10, 31),
        teams=(("CT1", "Materiaalstromen in kaart", "Gemeente Venlo"),
               ("CT2", "Circulair aanbesteden", "Gemeente Helmond"),
               ("CT3", "Ruimte voor de circulaire maakindustrie", "Provincie Noord-Brabant"),
               ("CT4", "Samenwerking ondernemers", "Gemeente Emmen")),
        partners=(("Gemeente Venlo", "gemeente", True), ("Gemeente Helmond", "gemeente", True),
                  ("Gemeente Emmen", "gemeente", True), ("Gemeente Zaanstad", "gemeente", True),
                  (IENW, "rijk", True), ("Ministerie van Economische Zaken en Klimaat", "rijk", True),
                  ("Provincie Noord-Brabant", "provincie", True), ("Rijksuniversiteit Groningen", "kennisinstelling", False),
                  ("Parkmanagement Nederland", "brancheorganisatie", False)),
        results=(("CT1", "Monitor materiaalstromen per bedrijventerrein"), ("CT2", "Modelbestek circulair aanbesteden"),
                 ("CT3", "Ruimtelijke spelregels circulaire hubs"), ("CT4", "Aanpak collectieve inkoop ondernemers")),
        bottlenecks=(("Bijdrage provincie voor 2023 nog niet toegezegd", None, "hoog"),
                     ("Ondernemers moeilijk te bereiken", "CT4", "middel"),
                     ("Data over materiaalstromen versnipperd", "CT1", "middel")),
        self_scores=(("2022-04", (4, 3, 2, 2, 2, 3)), ("2022-10", (4, 3, 3, 3, 2, 3))),
        first_person=501, skip=frozenset({"Enquete", "Vragen", "Bijdragen"}),
        budget_per_year=(120000, 150000),
        targets=({"indicator": "partners", "minimum": 8, "maximum": 12},
                 {"indicator": "municipalities", "minimum": 4},
                 {"indicator": "work_sessions", "minimum": 4, "maximum": 6},
                 {"indicator": "newsletters", "minimum": 6, "maximum": 10},
                 {"indicator": "team_updates", "minimum": 4, "maximum": 4},
                 {"indicator": "workbook_updates", "minimum": 1, "maximum": 1}),
    ),
)


def small_deal(spec: SmallDeal, out: Path) -> dict:
    r = rng_for(f"deal-{spec.code}")
    p_end = spec.peildatum
    parts = [{"code": c, "name": n, "kind": "ontwikkelteam", "lead": lead} for c, n, lead in spec.teams]
    parts += [{"code": "KT", "name": "Kernteam", "kind": "kernteam", "lead": spec.partners[0][0]},
              {"code": "DO", "name": "Directeurenoverleg", "kind": "directeurenoverleg", "lead": spec.partners[0][0]},
              {"code": "AT", "name": "Werkplaats", "kind": "atelier", "lead": spec.partners[1][0]}]
    partners = [{"organisation": o, "kind": k, "since": spec.start + dt.timedelta(days=30 * (i % 3)), "until": None,
                 "funding": f} for i, (o, k, f) in enumerate(spec.partners)]
    people: list[Person] = []
    n = spec.first_person
    for o, k, _ in spec.partners:
        for _ in range(3 if k == "gemeente" else 2):
            people.append(Person(n, o, k))
            n += 1
    team_codes = [c for c, _, _ in spec.teams]
    for i, p in enumerate(people):
        p.teams = [team_codes[i % len(team_codes)]]
    kt = people[::3][:8]
    do = [next(p for p in people if p.org == o) for o, _, f in spec.partners if f]
    years = range(spec.start.year, spec.end.year + 1)
    meetings: list[MeetingRec] = []
    for y in years:
        for i, m in enumerate((2, 3, 5, 6, 9, 11), start=1):
            meetings.append(MeetingRec(f"KT-{y}-{i}", D(y, m, 10 + i), "kernteam", "Kernteamoverleg", "KT", "online", kt))
        for i, m in enumerate((4, 11), start=1):
            meetings.append(MeetingRec(f"DO-{y}-{i}", D(y, m, 20), "directeurenoverleg", "Directeurenoverleg", "DO",
                                       "fysiek", do))
        for i, m in enumerate((4, 10), start=1):
            meetings.append(MeetingRec(f"AD-{y}-{i}", D(y, m, 14), "atelierdag", "Werkplaatsdag", "AT", "hybride",
                                       sorted(r.sample(people, min(len(people), 22)), key=lambda p: p.num)))
        for i, m in enumerate((3, 5, 6, 9, 11, 12)[: 4 + (y % 3)], start=1):
            meetings.append(MeetingRec(f"WS-{y}-{i}", D(y, m, 24), "werksessie", "Werksessie", "AT", "fysiek",
                                       sorted(r.sample(people, 12), key=lambda p: p.num)))
        for i, m in enumerate((3, 6, 10), start=1):
            meetings.append(MeetingRec(f"KTR-{y}-{i}", D(y, m, 3), "kartrekkersoverleg", "Trekkersoverleg", None,
                                       "online", [next(p for p in people if code in p.teams) for code in team_codes]))
        for code, name, _ in spec.teams:
            members = [p for p in people if code in p.teams]
            months = (1, 2, 3, 4, 5, 6, 9, 10, 11) if code != spec.teams[-1][0] else (2, 4, 6, 9, 11)
            for i, m in enumerate(months, start=1):
                meetings.append(MeetingRec(f"{code}-{y}-{i:02d}", D(y, m, 8 + i), "ontwikkelteam", f"Teamoverleg {name}",
                                           code, r.choice(("online", "fysiek")), members))
    meetings = [m for m in meetings if spec.start <= m.date <= spec.end]
    meetings.sort(key=lambda m: (m.date, m.id))
    path = out / f"{spec.code}_levering_{p_end.isoformat()}.xlsx"
    bk = Book(path, spec.name)
    bk.tidy(Deal, [{"code": spec.code, "name": spec.name, "start": spec.start, "end": spec.end, "as_of": p_end}])
    bk.tidy(Part, parts)
    bk.tidy(Partner, partners)
    budget = []
    for y in years:
        for kind, total in (("basis", spec.budget_per_year[0]), ("ontwikkeling", spec.budget_per_year[1])):
            posts = (("Coördinatie", "KT", 0.6), ("Communicatie en bijeenkomsten", None, 0.4)) if kind == "basis" else \
                tuple((f"Ontwikkelbudget {c}", c, 1 / len(spec.teams)) for c, _, _ in spec.teams)
            for post, part, share in posts:
                b = round(total * share / 100) * 100
                if y < p_end.year or p_end == D(y, 12, 31):
                    # A slow first year for development money, caught up in the later years.
                    if kind == "ontwikkeling":
                        real = b * (0.6 if y == spec.start.year else r.uniform(1.1, 1.25))
                    else:
                        real = b * r.uniform(0.92, 1.03)
                elif y == p_end.year:
                    real = b * (p_end.timetuple().tm_yday / 366) * r.uniform(0.7, 1.2)
                else:
                    real = None
                budget.append({"year": y, "cost_type": kind, "post": post, "part": part, "budgeted": float(b),
                               "realised": None if real is None else float(round(real / 10) * 10)})
    bk.tidy(BudgetSheet, budget)
    if "Bijdragen" not in spec.skip:
        funders = [p for p in spec.partners if p[2]]
        contrib = []
        for y in years:
            for o, _, _ in funders:
                for kind, total in (("basis", spec.budget_per_year[0]), ("ontwikkeling", spec.budget_per_year[1])):
                    amt = float(round(total / len(funders) / 500) * 500)
                    contrib.append({"year": y, "organisation": o, "cost_type": kind, "promised": amt,
                                    "received": amt if y <= p_end.year else None})
        bk.tidy(Contribution, contrib)
    bk.tidy(Meeting, meeting_rows(meetings, p_end))
    bk.tidy(Attendance, attendance(meetings, p_end, f"att-{spec.code}"))
    if "Enquete" not in spec.skip:
        rows = []
        for wave, n_resp in spec.survey_waves:
            rows += survey_long(survey(people, "2022-10" if wave >= "2022" else "2021-11", n_resp,
                                       f"survey-{spec.code}-{wave}"), wave)
        bk.tidy(SurveyAnswer, rows)
    if "Vragen" not in spec.skip:
        bk.tidy(Question, [{"code": c, "question": q, "scale": s, "theme": t} for c, q, s, t in QUESTIONS])
    ms = []
    results = []
    for i, (team, res) in enumerate(spec.results, start=1):
        er = f"ER-{team}-{i}"
        span = (spec.end - spec.start).days
        plans = [spec.start + dt.timedelta(days=int(span * f)) for f in (0.25, 0.55, 0.9)]
        for j, (label, due) in enumerate(zip(("Verkenning", "Prototype", "Oplevering"), plans, strict=True)):
            slip = r.random()
            done = due - dt.timedelta(days=r.randint(0, 30)) if slip < 0.75 else due + dt.timedelta(days=r.randint(20, 90))
            if j == 2 and team == spec.teams[-1][0]:
                done = None  # the quiet team does not finish
            ms.append((team, f"{label}: {res.lower()}", due, spec.start + dt.timedelta(days=j * 200), done, er, None,
                       False))
        last_done = ms[-1][4]
        if last_done is not None and last_done <= p_end:
            status, prog = "gereed", 1.0
        elif spec.start > p_end - dt.timedelta(days=60):
            status, prog = "niet gestart", 0.0
        else:
            status, prog = "loopt", round(min(0.9, (p_end - spec.start).days / span), 1)
        results.append({"id": er, "part": team, "result": res, "status": status, "progress": prog})
    bk.tidy(Milestone, milestone_rows(ms, p_end, text_quarters=False))
    bk.tidy(EndResult, results)
    bn = []
    for i, (issue, part, sev) in enumerate(spec.bottlenecks):
        d = p_end - dt.timedelta(days=40 + 70 * i)
        status = ("open", "in behandeling", "opgelost")[i % 3]
        bn.append({"date": d, "part": part, "issue": issue, "severity": sev, "status": status,
                   "action": "Bespreken in het kernteam"})
    bk.tidy(Bottleneck, bn)
    comm = []
    for y in years:
        for i, m in enumerate((2, 4, 6, 9, 11, 12)[: 4 + (y % 3)], start=1):
            d = D(y, m, 15)
            if spec.start <= d <= p_end:
                comm.append({"date": d, "channel": "nieuwsbrief", "title": f"Nieuwsbrief {y}-{i}",
                             "reach": 150 + 40 * (y - spec.start.year) + r.randint(0, 20)})
        for m in range(1, 13, 2):
            d = D(y, m, 5)
            if spec.start <= d <= p_end:
                comm.append({"date": d, "channel": "linkedin", "title": "LinkedIn-bericht", "reach": r.randint(300, 1200)})
        d = D(y, 10, 1)
        if spec.start <= d <= p_end:
            comm.append({"date": d, "channel": "werkboek", "title": f"Werkboek {y}"})
        for i, (code, _, _) in enumerate(spec.teams):
            d = D(y, 3 + 2 * i, 20)
            if spec.start <= d <= p_end:
                comm.append({"date": d, "channel": "teamupdate", "title": f"Teamupdate {code}", "part": code,
                             "reach": 60 + r.randint(0, 30)})
    bk.tidy(Communication, comm)
    bk.tidy(Target, list(spec.targets))
    bk.tidy(SelfAssessment, [{"wave": w, "theme": t, "score": s} for w, scores in spec.self_scores
                             for t, s in zip(SELF_THEMES, scores, strict=True)])
    bk.close()
    return {"files": [path.name], "deal": None}


# --- entry point -------------------------------------------------------------------------------------

def build_demo(out: Path = OUT) -> list[dict]:
    """Write every demo file and manifest.json into `out`; returns the manifest (batches in load order)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    manifest = cdor_batches(out)
    manifest += [small_deal(spec, out) for spec in FICTIONAL]
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Schrijf de demobestanden naar data/demo/.")
    ap.add_argument("--out", type=Path, default=OUT, help="map voor de demobestanden (standaard data/demo)")
    args = ap.parse_args(argv)
    manifest = build_demo(args.out)
    files = [f for b in manifest for f in b["files"]]
    size = sum((args.out / f).stat().st_size for f in files)
    print(f"{len(files)} demobestanden in {len(manifest)} leveringen geschreven naar {args.out} ({size / 1024:.0f} kB).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
