"""Rough edges of real deliveries: untouched template sheets, the template's own sheets, quoted Mailchimp tags, mixed number/text columns."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import openpyxl

from etl.load import load_files
from etl.read import read_file
from etl.template import LISTS, UITLEG, build_template
from etl.validate import Context, validate
from tests.etl.messy import write_csv, write_xlsx

DEAL = [["Code", "Naam", "Peildatum"], ["CDOR", "City Deal Openbare Ruimte", dt.date(2022, 6, 30)]]
KNELPUNTEN = [["Datum", "Knelpunt", "Status"], [dt.date(2022, 3, 1), "Te weinig capaciteit", "open"],
              [dt.date(2022, 4, 1), "Geen locatie", "opgelost"]]
BUDGET_HEAD = ["Jaar", "Kostensoort", "Post", "Begroot"]


def q(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_header_only_sheet_is_skipped_and_previous_delivery_stays(tmp_path: Path, tmp_db: Path):
    first = write_xlsx(tmp_path / "eerst.xlsx", {"Deal": DEAL, "Knelpunten": KNELPUNTEN})
    assert load_files([first], tmp_db).status == "loaded"
    second = write_xlsx(tmp_path / "sjabloon-ingevuld.xlsx", {
        "Deal": DEAL, "Knelpunten": [KNELPUNTEN[0]], "Begroting": [BUDGET_HEAD, [2022, "basis", "Huur", 10]]})
    r = load_files([second], tmp_db)
    assert r.status == "loaded", r.problems
    assert r.rows == {"Deal": 1, "Begroting": 1}
    assert [(w.file, w.sheet, w.row, w.message) for w in r.warnings] == [
        ("sjabloon-ingevuld.xlsx", "Knelpunten", None,
         "Tabblad Knelpunten bevat geen gegevensrijen en is overgeslagen; de vorige levering blijft gelden")]
    # the bottlenecks of the first delivery are still the current ones
    assert q(tmp_db, "SELECT sheet, file, rows FROM meta.deliveries WHERE sheet = 'Knelpunten'") == [
        ("Knelpunten", "eerst.xlsx", 2)]
    assert q(tmp_db, "SELECT count(*) FROM meta.deliveries") == [(4,)]


def test_only_header_only_sheets_is_rejected(tmp_path: Path, tmp_db: Path):
    first = write_xlsx(tmp_path / "eerst.xlsx", {"Deal": DEAL, "Knelpunten": KNELPUNTEN})
    assert load_files([first], tmp_db).status == "loaded"
    before = tmp_db.read_bytes()
    empty = write_xlsx(tmp_path / "leeg.xlsx", {"Knelpunten": [KNELPUNTEN[0]], "Begroting": [BUDGET_HEAD]})
    r = load_files([empty], tmp_db, deal="CDOR")
    assert r.status == "rejected"
    assert [(p.file, p.sheet, p.row, p.message) for p in r.problems] == [
        ("leeg.xlsx", "Begroting", None, "Tabblad Begroting bevat alleen een kopregel: geen gegevens gevonden. Vul de "
                                         "rijen onder de kopregel in en lever het bestand opnieuw aan"),
        ("leeg.xlsx", "Knelpunten", None, "Tabblad Knelpunten bevat alleen een kopregel: geen gegevens gevonden. Vul de "
                                          "rijen onder de kopregel in en lever het bestand opnieuw aan"),
    ]
    assert tmp_db.read_bytes() == before


def test_filled_in_template_loads_without_noise(tmp_path: Path, tmp_db: Path):
    path = build_template(tmp_path / "sjabloon.xlsx")
    wb = openpyxl.load_workbook(path)
    assert UITLEG in wb.sheetnames and LISTS in wb.sheetnames
    for sheet, rows in (("Deal", DEAL[1:]), ("Knelpunten", KNELPUNTEN[1:])):
        ws = wb[sheet]
        header = [c.value for c in ws[1]]
        for i, row in enumerate(rows, start=2):
            for name, value in zip(DEAL[0] if sheet == "Deal" else KNELPUNTEN[0], row, strict=True):
                ws.cell(row=i, column=header.index(name) + 1, value=value)
    wb.save(path)
    r = load_files([path], tmp_db)
    assert r.status == "loaded", r.problems
    assert r.rows == {"Deal": 1, "Knelpunten": 2}
    assert not [w for w in r.warnings if "niet herkend" in w.message]
    skipped = sorted(w.sheet for w in r.warnings)
    assert len(skipped) == 14 and "Begroting" in skipped and "Knelpunten" not in skipped and "Deal" not in skipped
    assert all(w.message == f"Tabblad {w.sheet} bevat geen gegevensrijen en is overgeslagen; de vorige levering blijft "
                            "gelden" for w in r.warnings)


def test_template_sheets_are_not_reported_but_other_unknown_sheets_are(tmp_path: Path):
    path = write_xlsx(tmp_path / "x.xlsx", {UITLEG: [["Kolom", "Uitleg"], ["Code", "Korte code"]],
                                            LISTS: [["Soort"], ["gemeente"]], "Kladblok": [["iets"]],
                                            "Knelpunten": KNELPUNTEN})
    r = read_file(path, isolate=False)
    assert [(p.sheet, p.severity) for p in r.problems] == [("Kladblok", "warning")]
    assert "niet herkend" in r.problems[0].message


def test_quoted_mailchimp_tags_are_unquoted_and_counted_per_tag(tmp_path: Path, tmp_db: Path):
    deal = write_xlsx(tmp_path / "deal.xlsx", {"Deal": DEAL})
    export = write_csv(tmp_path / "members_export_5d1e.csv", [
        ["Email Address", "First Name", "TAGS"],
        ["a.jansen@voorbeeld.nl", "Deelnemer 1", '"Kernteam", "Nieuwsbrief"'],
        ["b.devries@voorbeeld.nl", "Deelnemer 2", '"Nieuwsbrief"'],
        ["c.bakker@voorbeeld.nl", "Deelnemer 3", ""]], delimiter=",")
    [s] = read_file(export).sheets
    assert s.frame["tags"].to_list() == ["Kernteam, Nieuwsbrief", "Nieuwsbrief", None]
    r = load_files([deal, export], tmp_db)
    assert r.status == "loaded", r.problems
    assert q(tmp_db, "SELECT tag, contacts FROM contacts_by_tag('CDOR', NULL) ORDER BY tag NULLS LAST") == [
        ("Kernteam", 1), ("Nieuwsbrief", 2), (None, 1)]


def test_a_mailchimp_tag_with_a_comma_stays_one_tag(tmp_path: Path, tmp_db: Path):
    deal = write_xlsx(tmp_path / "deal.xlsx", {"Deal": DEAL})
    export = write_csv(tmp_path / "members_export_5d1f.csv", [
        ["Email Address", "First Name", "TAGS"],
        ["a.jansen@voorbeeld.nl", "Deelnemer 1", '"Gemeente, provincie", "Nieuwsbrief"'],
        ["b.devries@voorbeeld.nl", "Deelnemer 2", '"Gemeente, provincie"'],
        ["c.bakker@voorbeeld.nl", "Deelnemer 3", '"Kernteam"']], delimiter=",")
    [s] = read_file(export).sheets
    assert s.frame["tags"].to_list() == ['"Gemeente, provincie", Nieuwsbrief', '"Gemeente, provincie"', "Kernteam"]
    r = load_files([deal, export], tmp_db)
    assert r.status == "loaded", r.problems
    assert q(tmp_db, "SELECT tag, contacts FROM contacts_by_tag('CDOR', NULL) ORDER BY tag") == [
        ("Gemeente, provincie", 2), ("Kernteam", 1), ("Nieuwsbrief", 1)]


def test_numbers_in_a_column_mixed_with_text_stay_numbers(tmp_path: Path):
    rows = [BUDGET_HEAD + ["Gerealiseerd"],
            [2022, "basis", "A", 1.234, "€ 1.234,56"],  # number 1.234 (one euro and 23 cents)
            [2022, "basis", "B", "€ 1.234,56", 1000.5],
            [2022, "basis", "C", 2500, "1.234"],  # text 1.234: Dutch thousands, 1234 euro
            [2022, "basis", "D", "1.234", 1.5]]
    path = write_xlsx(tmp_path / "gemengd.xlsx", {"Begroting": rows})
    for isolate in (False, True):
        [s] = read_file(path, isolate=isolate).sheets
        assert s.frame["budgeted"].dtype == s.frame["realised"].dtype == s.frame["post"].dtype  # text: calamine mixed
        assert s.extra["number_rows"] == {"budgeted": [2, 4], "realised": [3, 5]}
        typed, problems = validate(s, Context())
        assert problems == []
        assert typed.select("post", "budgeted", "realised").rows() == [
            ("A", Decimal("1.23"), Decimal("1234.56")),
            ("B", Decimal("1234.56"), Decimal("1000.50")),
            ("C", Decimal("2500.00"), Decimal("1234.00")),
            ("D", Decimal("1234.00"), Decimal("1.50")),
        ]


def test_mixed_column_problems_show_the_cell_as_typed(tmp_path: Path):
    rows = [BUDGET_HEAD, [2022, "basis", "A", -12.5], [2022, "basis", "B", "veel"], [2022, "basis", "C", "€ 3,00"]]
    [s] = read_file(write_xlsx(tmp_path / "x.xlsx", {"Begroting": rows}), isolate=False).sheets
    typed, problems = validate(s, Context())
    assert [(p.row, p.column, p.message) for p in problems] == [
        (3, "Begroot", "'veel' is geen bedrag; verwacht een bedrag zoals 1.234,56 of € 1.234"),
        (2, "Begroot", "Begroot -12.5 is negatief; vul een bedrag van 0 of meer in"),
    ]
    assert typed["budgeted"].to_list() == [Decimal("-12.50"), None, Decimal("3.00")]
