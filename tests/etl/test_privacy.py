"""No name or e-mail address in clear in the database: every VARCHAR column of every table is scanned."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from etl.load import load_files
from tests.conftest import write_workbook

# Fictional people; each must be pseudonymised wherever it was delivered.
PEOPLE = ["Anna Jansen", "a.jansen@voorbeeld.nl", "Bert de Vries", "b.devries@voorbeeld.nl", "Deelnemer 12",
          "Chantal Bakker", "c.bakker@voorbeeld.nl", "Daan Visser", "d.visser@voorbeeld.nl", "e.smit@voorbeeld.nl"]
NEEDLES = ["jansen", "devries", "de vries", "bakker", "visser", "smit@", "deelnemer 12", "@voorbeeld.nl"]

DEAL = [["Code", "Naam", "Peildatum"], ["CDX", "City Deal Fictief (test)", dt.date(2022, 6, 30)]]


def varchar_values(db: Path) -> dict[str, list[str]]:
    """Every non-null value of every VARCHAR column of every base table, by 'schema.table.column'."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        cols = con.execute(
            "SELECT c.table_schema, c.table_name, c.column_name FROM information_schema.columns c "
            "JOIN information_schema.tables t USING (table_catalog, table_schema, table_name) "
            "WHERE t.table_type = 'BASE TABLE' AND c.data_type = 'VARCHAR'").fetchall()
        out = {}
        for schema, table, column in cols:
            rel = con.table(f'"{schema}"."{table}"').select(duckdb.ColumnExpression(column))
            out[f"{schema}.{table}.{column}"] = [v for (v,) in rel.fetchall() if v is not None]
        return out
    finally:
        con.close()


def leaks(db: Path) -> list[tuple[str, str]]:
    found = []
    for where, values in varchar_values(db).items():
        for v in values:
            low = v.lower()
            found += [(where, v) for n in NEEDLES if n in low]
    return found


def test_attendance_and_survey_are_pseudonymised(tmp_path: Path, tmp_db: Path):
    f = write_workbook(tmp_path / "levering.xlsx", {
        "Deal": DEAL,
        "Bijeenkomsten": [["ID", "Datum", "Soort"], ["M-1", dt.date(2022, 2, 1), "kernteam"]],
        "Aanwezigheid": [["Bijeenkomst", "Deelnemer", "Organisatie"],
                         ["M-1", "Anna Jansen", "Gemeente A"], ["M-1", "a.jansen@voorbeeld.nl", "Gemeente A"],
                         ["M-1", "Bert de Vries", "Gemeente B"], ["M-1", "Deelnemer 12", "Gemeente C"]],
        "Enquete": [["Respondent", "Meting", "Vraag", "Antwoord"],
                    ["c.bakker@voorbeeld.nl", "2021-11", "V01", "eens"], ["Daan Visser", "2021-11", "V01", "oneens"]],
    })
    result = load_files([f], tmp_db)
    assert result.status == "loaded", result.problems
    assert result.rows["Aanwezigheid"] == 4
    values = varchar_values(tmp_db)
    assert len(values["raw.attendance.participant"]) == 4
    assert len(set(values["raw.attendance.participant"])) == 4
    assert len(values["raw.survey.respondent"]) == 2
    assert leaks(tmp_db) == []
    # the scan itself can find a leak: the organisation names are stored in clear
    assert any("Gemeente A" in v for v in values["raw.attendance.organisation"])


def test_forms_and_mailchimp_exports_are_pseudonymised(tmp_path: Path, tmp_db: Path):
    forms = write_workbook(tmp_path / "Enquete CDX 2021(1-3).xlsx", {"Sheet1": [
        ["ID", "Begintijd", "Tijd van voltooien", "E-mail", "Naam", "Hoe tevreden bent u over het atelier?",
         "Ik deel kennis met andere gemeenten"],
        [1, dt.datetime(2021, 11, 3, 9, 0), dt.datetime(2021, 11, 3, 9, 5), "c.bakker@voorbeeld.nl", "Chantal Bakker",
         "Eens", "Helemaal eens"],
        [2, dt.datetime(2021, 11, 4, 9, 0), dt.datetime(2021, 11, 4, 9, 5), "d.visser@voorbeeld.nl", "Daan Visser",
         "Neutraal", "Oneens"],
    ]})
    mailchimp = tmp_path / "members_export_3f2a.csv"
    mailchimp.write_text(
        "Email Address,First Name,Last Name,MEMBER_RATING,OPTIN_TIME,TAGS\n"
        "e.smit@voorbeeld.nl,Eva,Smit,2,2021-03-01 10:00:00,\"OT1,Nieuwsbrief\"\n"
        "b.devries@voorbeeld.nl,Bert,de Vries,3,2021-04-01 10:00:00,Nieuwsbrief\n", encoding="utf-8")
    deal = write_workbook(tmp_path / "deal.xlsx", {"Deal": DEAL})
    result = load_files([deal, forms, mailchimp], tmp_db)
    assert result.status == "loaded", result.problems
    assert result.rows["Contacten"] == 2
    assert result.rows["Enquete"] == 4
    assert leaks(tmp_db) == []
