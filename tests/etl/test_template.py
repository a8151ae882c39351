"""`stuurhut template`: structure derived from the contract, the Uitleg sheet, and a filled-in template that loads."""

from __future__ import annotations

import argparse
import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import openpyxl
import pytest

from etl.contract import SHEETS, columns
from etl.template import build_template, cli_template


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_template(tmp_path_factory.mktemp("tpl") / "sjabloon.xlsx")


@pytest.fixture(scope="module")
def wb(template: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(template)


def _num_format(ws, col_idx: int) -> str | None:
    """The number format of a whole column (openpyxl groups equal neighbouring columns into one dimension)."""
    for dim in ws.column_dimensions.values():
        if dim.min is not None and dim.min <= col_idx <= dim.max:
            return dim.number_format
    return None


def _validation(ws, col_letter: str):
    for dv in ws.data_validations.dataValidation:
        if str(dv.sqref) == f"{col_letter}2:{col_letter}1001":
            return dv
    return None


def test_sheets_in_order_with_hidden_lists(wb: openpyxl.Workbook) -> None:
    assert wb.sheetnames == [
        "Uitleg", "Deal", "Onderdelen", "Partners", "Begroting", "Bijdragen", "Bijeenkomsten", "Aanwezigheid",
        "Enquete", "Vragen", "Mijlpalen", "Eindresultaten", "Knelpunten", "Communicatie", "Contacten", "Doelen",
        "Zelfevaluatie", "Lijsten",
    ]
    assert wb["Lijsten"].sheet_state == "hidden"
    assert wb["Uitleg"].sheet_state == "visible"


def test_every_contract_column_is_a_header_required_ones_bold_with_comment(wb: openpyxl.Workbook) -> None:
    for model in SHEETS:
        ws = wb[model.sheet]
        cols = columns(model)
        assert [c.value for c in ws[1]] == [c.header for c in cols], model.sheet
        assert ws.freeze_panes == "A2"
        for cell, c in zip(ws[1], cols, strict=True):
            assert bool(cell.font.b) == c.required, (model.sheet, c.header)
            assert cell.comment is not None
            assert cell.comment.text.startswith("verplicht.") == c.required, (model.sheet, c.header)
        assert ws.max_row == 1  # no data rows, no stray blank cells


def test_literal_headers_of_begroting(wb: openpyxl.Workbook) -> None:
    ws = wb["Begroting"]
    assert [c.value for c in ws[1]] == [
        "Jaar", "Kostensoort", "Post", "Onderdeel", "Begroot", "Gerealiseerd", "Toelichting"]
    assert [bool(c.font.b) for c in ws[1]] == [True, True, True, False, True, False, False]
    assert ws["E1"].comment.text == "verplicht. Begroot bedrag in euro."


def test_drop_down_lists_on_every_enum_and_bool_column(wb: openpyxl.Workbook) -> None:
    lists = wb["Lijsten"]
    for model in SHEETS:
        ws = wb[model.sheet]
        for i, c in enumerate(columns(model), start=1):
            if c.kind not in ("enum", "bool"):
                continue
            dv = _validation(ws, openpyxl.utils.get_column_letter(i))
            assert dv is not None and dv.type == "list", (model.sheet, c.header)
            expected = list(c.allowed) if c.kind == "enum" else ["ja", "nee"]
            f = dv.formula1
            if f.startswith('"'):
                assert f.strip('"').split(",") == expected
            else:  # a long list lives on the hidden sheet: Lijsten!$A$1:$A$18
                rng = f.split("!")[1].replace("$", "")
                values = [cell.value for row in lists[rng] for cell in row]
                assert values == expected, (model.sheet, c.header)


def test_literal_validations(wb: openpyxl.Workbook) -> None:
    soort = _validation(wb["Bijeenkomsten"], "C")
    assert soort.formula1 == ('"kernteam,directeurenoverleg,atelierdag,werksessie,ontwikkelteam,'
                              'kartrekkersoverleg,excursie,conferentie,overig"')
    assert _validation(wb["Partners"], "E").formula1 == '"ja,nee"'
    # 18 indicator codes are longer than Excel's 255-character inline limit.
    indicator = _validation(wb["Doelen"], "A")
    assert indicator.formula1 == "Lijsten!$A$1:$A$18"
    assert wb["Lijsten"]["A1"].value == "kernteam_meetings"
    score = _validation(wb["Zelfevaluatie"], "C")
    assert (score.type, score.formula1, score.formula2) == ("whole", "1", "5")


def test_number_formats_for_money_percent_dates(wb: openpyxl.Workbook) -> None:
    assert _num_format(wb["Begroting"], 5) == '"€" #,##0.00'  # Begroot
    assert _num_format(wb["Begroting"], 6) == '"€" #,##0.00'  # Gerealiseerd
    assert _num_format(wb["Mijlpalen"], 3) == "dd-mm-yyyy"  # Gepland
    assert _num_format(wb["Mijlpalen"], 6) == "0%"  # Voortgang
    assert _num_format(wb["Bijeenkomsten"], 2) == "dd-mm-yyyy"
    assert _num_format(wb["Enquete"], 2) == "@"  # Meting stays text, "2021-11" is no date


def _uitleg_sections(ws) -> dict[str, list[tuple]]:
    sections: dict[str, list[tuple]] = {}
    current = None
    for row in ws.iter_rows(values_only=True):
        first = row[0]
        if isinstance(first, str) and first.startswith("Tabblad "):
            current = first.removeprefix("Tabblad ")
            sections[current] = []
        elif current and first and row[1] in ("ja", "nee"):
            sections[current].append(row[:6])
    return sections


def test_uitleg_lists_every_column(wb: openpyxl.Workbook) -> None:
    sections = _uitleg_sections(wb["Uitleg"])
    assert list(sections) == [m.sheet for m in SHEETS]
    for model in SHEETS:
        rows = sections[model.sheet]
        assert [(r[0], r[1]) for r in rows] == [(c.header, "ja" if c.required else "nee") for c in columns(model)]
        assert all(r[2] and r[4] for r in rows), model.sheet  # type and help text filled in
    kostensoort = next(r for r in sections["Begroting"] if r[0] == "Kostensoort")
    assert kostensoort == ("Kostensoort", "ja", "keuze uit de lijst", "basis, ontwikkeling",
                           "basis of ontwikkeling; alleen ontwikkelgeld schuift door naar volgend jaar.", "basis")
    begroot = next(r for r in sections["Begroting"] if r[0] == "Begroot")
    assert begroot[2] == "bedrag in euro" and begroot[5] == "€ 12.500,00"
    # Examples come from the contract's help texts, following a reference to the referenced column.
    assert sections["Deal"][0][5] == "CDOR"
    assert next(r for r in sections["Mijlpalen"] if r[0] == "Eindresultaat")[5] == "ER-OT1-1"
    assert next(r for r in sections["Mijlpalen"] if r[0] == "Onderdeel")[5] == "OT1"
    deelnemer = next(r for r in sections["Aanwezigheid"] if r[0] == "Deelnemer")
    assert deelnemer[2] == "tekst (wordt gepseudonimiseerd)"
    bijeenkomst = next(r for r in sections["Aanwezigheid"] if r[0] == "Bijeenkomst")
    assert "Moet voorkomen in tabblad Bijeenkomsten, kolom ID." in bijeenkomst[4]


def test_template_is_reproducible(tmp_path: Path, template: Path) -> None:
    again = build_template(tmp_path / "b.xlsx")
    assert again.read_bytes() == template.read_bytes()


def test_filled_template_loads(tmp_path: Path, template: Path) -> None:
    from etl.load import load_files

    wb = openpyxl.load_workbook(template)
    wb["Deal"].append(["TST", "Testdeal", dt.date(2022, 1, 1), dt.date(2024, 12, 31), dt.date(2022, 6, 30)])
    wb["Onderdelen"].append(["OT1", "Ontwikkelteam een", "ontwikkelteam", "Gemeente Utrecht"])
    wb["Onderdelen"].append(["KT", "Kernteam", "Kernteam", None])
    wb["Begroting"].append([2022, "ontwikkeling", "Ontwikkelbudget OT1", "OT1", 12500.5, "€ 1.234,56", "toelichting"])
    wb["Begroting"].append([2022, "basis", "Coördinatie", "KT", 30000, None, None])
    wb["Mijlpalen"].append(["OT1", "Plan van aanpak vastgesteld", "2022-Q2", dt.date(2022, 5, 1), "gereed", 1, None, None])
    wb["Doelen"].append(["newsletters", 2022, 4, 6])
    # Sheets left empty are removed, as the Uitleg advises.
    for name in ("Partners", "Bijdragen", "Bijeenkomsten", "Aanwezigheid", "Enquete", "Vragen", "Eindresultaten",
                 "Knelpunten", "Communicatie", "Contacten", "Zelfevaluatie"):
        del wb[name]
    filled = tmp_path / "ingevuld.xlsx"
    wb.save(filled)
    db = tmp_path / "t.duckdb"
    res = load_files([filled], db)
    assert res.status == "loaded", [p.message for p in res.problems]
    assert res.rows == {"Deal": 1, "Onderdelen": 2, "Begroting": 2, "Mijlpalen": 1, "Doelen": 1}
    con = duckdb.connect(str(db), read_only=True)
    try:
        budget = con.execute("SELECT post, budgeted, realised FROM raw.budget ORDER BY source_row").fetchall()
        assert budget == [("Ontwikkelbudget OT1", Decimal("12500.50"), Decimal("1234.56")),
                          ("Coördinatie", Decimal("30000.00"), None)]
        assert con.execute("SELECT planned, done, status FROM raw.milestones").fetchall() == [
            (dt.date(2022, 6, 30), dt.date(2022, 5, 1), "gereed")]
        assert con.execute("SELECT kind FROM raw.parts ORDER BY code").fetchall() == [("kernteam",), ("ontwikkelteam",)]
        assert con.execute("SELECT peildatum FROM meta.deliveries WHERE sheet = 'Deal'").fetchone() == (
            dt.date(2022, 6, 30),)
    finally:
        con.close()


def test_cli_template_writes_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "sub" / "sjabloon.xlsx"
    assert cli_template(argparse.Namespace(output=out)) == 0
    assert out.exists()
    assert capsys.readouterr().out == (
        f"Sjabloon geschreven naar {out}: tabblad Uitleg met uitleg en 16 tabbladen om in te vullen.\n")


def test_cli_template_unwritable_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "bestand"
    blocker.write_text("x")
    assert cli_template(argparse.Namespace(output=blocker / "sjabloon.xlsx")) == 2
    assert "kan het sjabloon niet schrijven" in capsys.readouterr().err
