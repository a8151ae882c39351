"""Reading messy deliveries: title rows, odd headers, totals, merges, CSV dialects, ODS and the Forms/Mailchimp exports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from etl.contract import Budget, Contact, Meeting, Milestone, Part, SurveyAnswer
from etl.read import clean_sheet_name, decode_text, read_file, sniff_delimiter
from tests.etl.messy import write_csv, write_ods, write_xlsx

TITLE = "City Deal Openbare Ruimte — begroting 2022"


def errors(result):
    return [p for p in result.problems if p.severity == "error"]


def warnings(result):
    return [p for p in result.problems if p.severity == "warning"]


@pytest.fixture(scope="module")
def messy_budget(tmp_path_factory) -> Path:
    rows = [
        [TITLE],
        [],
        ["Jaar", "kosten soort", "POST", "Onderdeel", "  begroot (€) ", "Realised", "Toelichting"],
        [2022, "ontwikkeling", "Atelierdagen", "OT1", "€ 1.234,56", 1000.5, "voorjaar"],
        [2022, "basis", "Secretariaat", None, 2500, None, None],
        [],
        [None, None, None, None, None, None, None],
        [2023, "Ontwikkeling", "Werkboek", "OT5", 300, None, "17-12-2021"],
        ["Totaal", None, None, None, 4034.56, 1000.5, None],
    ]
    return write_xlsx(tmp_path_factory.mktemp("budget") / "levering.xlsx", {"Begroting": rows})


@pytest.mark.parametrize("isolate", [False, True])
def test_title_rows_odd_headers_empty_rows_and_total(messy_budget: Path, isolate: bool):
    r = read_file(messy_budget, isolate=isolate)
    assert r.problems == []
    [s] = r.sheets
    assert s.model.sheet == Budget.sheet and s.source_sheet == "Begroting" and s.file == "levering.xlsx"
    assert s.header_row == 3
    assert s.frame.columns == ["year", "cost_type", "post", "part", "budgeted", "realised", "note", "__row"]
    assert s.frame["__row"].to_list() == [4, 5, 8]
    assert s.frame["post"].to_list() == ["Atelierdagen", "Secretariaat", "Werkboek"]
    # values as read: the text amount and text date stay text, numbers stay numbers
    assert s.frame["budgeted"].to_list() == ["€ 1.234,56", "2500", "300"]
    assert s.frame["realised"].to_list() == [1000.5, None, None]
    assert s.frame["note"].to_list() == ["voorjaar", None, "17-12-2021"]
    assert len(s.sha256) == 64


def test_value_written_at_row_7_reports_row_7(tmp_path: Path):
    rows = [[] for _ in range(6)] + [["ID", "Datum", "Soort"], ["M-1", dt.date(2022, 2, 1), "kernteam"],
                                     [], ["M-2", dt.date(2022, 3, 1), "werksessie"]]
    r = read_file(write_xlsx(tmp_path / "b.xlsx", {"Bijeenkomsten": rows}), isolate=False)
    [s] = r.sheets
    assert s.model.sheet == Meeting.sheet and s.header_row == 7
    assert s.frame["__row"].to_list() == [8, 10]
    assert s.frame["date"].to_list() == [dt.datetime(2022, 2, 1), dt.datetime(2022, 3, 1)]


def test_header_in_second_column_with_leading_columns_empty(tmp_path: Path):
    rows = [[None, "Overzicht partners"], [], [None, "Organisatie", "Soort", "Sinds"],
            [None, "Gemeente Voorbeeldstad", "gemeente", "2020"]]
    [s] = read_file(write_xlsx(tmp_path / "p.xlsx", {"Partners": rows}), isolate=False).sheets
    assert s.frame.to_dicts() == [{"organisation": "Gemeente Voorbeeldstad", "kind": "gemeente", "since": "2020", "__row": 4}]


def test_missing_required_column_names_sheet_row_and_header(tmp_path: Path):
    rows = [[TITLE], [], ["Jaar", "Kostensoort", "Begroot"], [2022, "basis", 100]]
    r = read_file(write_xlsx(tmp_path / "x.xlsx", {"Budget": rows}), isolate=False)
    [e] = errors(r)
    assert (e.sheet, e.row, e.column) == ("Begroting", 3, "Post")
    assert "verplichte kolom Post ontbreekt" in e.message and "Voeg een kolom 'Post' toe" in e.message
    assert r.sheets[0].frame.columns == ["year", "cost_type", "budgeted", "__row"]


def test_duplicate_header_is_an_error_and_unmatched_columns_one_warning(tmp_path: Path):
    rows = [["Jaar", "Kostensoort", "Post", "Begroot", "Budget", "Kleur", "Extra"], [2022, "basis", "Huur", 1, 2, "rood", "x"]]
    r = read_file(write_xlsx(tmp_path / "x.xlsx", {"Begroting": rows}), isolate=False)
    [e] = errors(r)
    assert e.column == "Begroot" and e.row == 1
    assert "meer dan eens" in e.message and "'Budget' (kolom E)" in e.message
    [w] = warnings(r)
    assert "niet herkend" in w.message and "Kleur, Extra" in w.message
    assert "budgeted" not in r.sheets[0].frame.columns


def test_no_header_row_is_an_error(tmp_path: Path):
    rows = [["iets"], ["anders"], [1, 2, 3]]
    r = read_file(write_xlsx(tmp_path / "x.xlsx", {"Knelpunten": rows}), isolate=False)
    [e] = errors(r)
    assert e.sheet == "Knelpunten" and "geen kopregel gevonden" in e.message and "Datum, Knelpunt, Status" in e.message
    assert r.sheets == []


def test_unknown_and_hidden_sheets(tmp_path: Path):
    path = write_xlsx(tmp_path / "x.xlsx", {
        "Notities": [["Lees dit eerst"]],
        "Teams": [["Code", "Naam", "Soort"], ["OT1", "Integrale opgave", "ontwikkelteam"]],
    }, hidden=("Teams",))
    r = read_file(path, isolate=False)
    [w] = warnings(r)
    assert w.sheet == "Notities" and "niet herkend" in w.message and "Begroting" in w.message
    [s] = r.sheets
    assert s.model.sheet == Part.sheet and s.source_sheet == "Teams" and s.frame["__row"].to_list() == [2]


def test_workbook_without_any_known_sheet_is_an_error(tmp_path: Path):
    r = read_file(write_xlsx(tmp_path / "x.xlsx", {"Blad1": [["a", "b"], [1, 2]]}), isolate=False)
    assert r.sheets == []
    assert any("geen enkel tabblad herkend" in p.message for p in errors(r))


def test_english_sheet_and_headers_keep_text_dates(tmp_path: Path):
    rows = [["Meeting ID", "Date", "Type", "Title", "Format"], ["M-1", "17-12-2021", "kernteam", "Kick-off", "online"]]
    [s] = read_file(write_xlsx(tmp_path / "x.xlsx", {"Meetings 2021": rows}), isolate=False).sheets
    assert s.model.sheet == Meeting.sheet
    assert s.frame.to_dicts() == [{"id": "M-1", "date": "17-12-2021", "kind": "kernteam", "title": "Kick-off",
                                   "form": "online", "__row": 2}]


def test_merged_label_cells_fill_down_but_amounts_do_not(tmp_path: Path):
    rows = [["Mijlpalen 2022"], [], ["Onderdeel", "Mijlpaal", "Gepland", "Status", "Voortgang"],
            [None, "Start", "2022-Q1", "gereed", None], [None, "Tussenrapport", "2022-Q2", "loopt", None],
            [None, "Eindrapport", "2022-Q4", "niet gestart", None], ["OT2", "Model", "2022-Q3", "loopt", 0.5]]
    path = write_xlsx(tmp_path / "m.xlsx", {"Mijlpalen": rows}, merges={"Mijlpalen": [("A4:A6", "OT1"), ("E4:E6", 0.3)]})
    [s] = read_file(path, isolate=False).sheets
    assert s.model.sheet == Milestone.sheet
    assert s.frame["part"].to_list() == ["OT1", "OT1", "OT1", "OT2"]
    assert s.frame["progress"].to_list() == [0.3, None, None, 0.5]
    assert s.frame["__row"].to_list() == [4, 5, 6, 7]


def test_formula_error_cells_in_contract_columns_are_errors(tmp_path: Path):
    rows = [["Jaar", "Kostensoort", "Post", "Begroot", "Gerealiseerd"], [2022, "basis", "Huur", 0, None]]
    path = write_xlsx(tmp_path / "f.xlsx", {"Begroting": rows}, formulas={"Begroting": [("E2", "=1/D2")]})
    # xlsxwriter stores no cached result; put an error value in as Excel would have
    from tests.etl.messy import rewrite_member

    path = rewrite_member(path, tmp_path / "f2.xlsx", "xl/worksheets/sheet1.xml",
                          lambda d: d.replace(b"<f>1/D2</f><v>0</v>", b'<f>1/D2</f><v>#DIV/0!</v>').replace(
                              b'<c r="E2"', b'<c r="E2" t="e"'))
    r = read_file(path, isolate=False)
    # an error in Gerealiseerd must not pass as "not yet known" (issue 9: error cells reject the delivery)
    [e] = errors(r)
    assert (e.sheet, e.row, e.column) == ("Begroting", 2, "Gerealiseerd")
    assert "#DEEL/0!" in e.message and "Cel E2" in e.message
    assert r.sheets[0].frame["realised"].to_list() == [None]


def test_formula_error_cells_in_unused_columns_are_notes(tmp_path: Path):
    rows = [["Jaar", "Kostensoort", "Post", "Begroot", "Hulpkolom"], [2022, "basis", "Huur", 10, None]]
    path = write_xlsx(tmp_path / "f.xlsx", {"Begroting": rows}, formulas={"Begroting": [("E2", "=1/0")]})
    from tests.etl.messy import rewrite_member

    path = rewrite_member(path, tmp_path / "f2.xlsx", "xl/worksheets/sheet1.xml",
                          lambda d: d.replace(b"<f>1/0</f><v>0</v>", b'<f>1/0</f><v>#N/A</v>').replace(
                              b'<c r="E2"', b'<c r="E2" t="e"'))
    r = read_file(path, isolate=False)
    assert errors(r) == []
    assert [w.message for w in warnings(r) if w.row == 2] == [
        "Cel E2 bevat een Excel-fout (#N/B); de kolom wordt niet gebruikt."]


def test_semicolon_csv_with_bom_and_decimal_comma(tmp_path: Path):
    rows = [["Begroting CDOR 2022"], [], ["Jaar", "Kostensoort", "Post", "Begroot", "Gerealiseerd"],
            ["2022", "ontwikkeling", "Atelier", "1.234,56", "1000,5"], [], ["2022", "basis", "Huur; kantoor", "€ 10", ""],
            ["Totaal", "", "", "1.244,56", ""]]
    path = write_csv(tmp_path / "CDOR_begroting 2022.csv", rows, delimiter=";", encoding="utf-8-sig")
    r = read_file(path)
    assert r.problems == []
    [s] = r.sheets
    assert s.model.sheet == Budget.sheet and s.source_sheet is None and s.header_row == 3
    assert s.frame.to_dicts() == [
        {"year": "2022", "cost_type": "ontwikkeling", "post": "Atelier", "budgeted": "1.234,56", "realised": "1000,5", "__row": 4},
        {"year": "2022", "cost_type": "basis", "post": "Huur; kantoor", "budgeted": "€ 10", "realised": None, "__row": 6},
    ]


def test_cp1252_comma_csv(tmp_path: Path):
    rows = [["Organisatie", "Soort", "Sinds"], ["Café De Hoek BV", "overig", "01-02-2021"], ["Gemeente Zuid", "gemeente", ""]]
    path = write_csv(tmp_path / "Partners.csv", rows, delimiter=",", encoding="cp1252")
    [s] = read_file(path).sheets
    assert s.model.sheet == "Partners"
    assert s.frame["organisation"].to_list() == ["Café De Hoek BV", "Gemeente Zuid"]
    assert s.frame["__row"].to_list() == [2, 3]


def test_csv_unknown_name_is_an_error(tmp_path: Path):
    r = read_file(write_csv(tmp_path / "export.csv", [["a", "b"], ["1", "2"]]))
    [e] = errors(r)
    assert "niet herkend" in e.message and "begroting.csv" in e.message


def test_ods_with_title_row(tmp_path: Path):
    rows = [["Onderdelen CDOR"], [], ["Code", "Naam", "Soort", "Trekker"], ["OT1", "Integrale opgave", "ontwikkelteam", "Gemeente A"],
            [], ["KT", "Kernteam", "kernteam", None], ["Totaal", None, None, None]]
    [s] = read_file(write_ods(tmp_path / "o.ods", {"Onderdelen": rows})).sheets
    assert s.model.sheet == Part.sheet and s.header_row == 3
    assert s.frame.to_dicts() == [
        {"code": "OT1", "name": "Integrale opgave", "kind": "ontwikkelteam", "lead": "Gemeente A", "__row": 4},
        {"code": "KT", "name": "Kernteam", "kind": "kernteam", "lead": None, "__row": 6},
    ]


def test_ods_with_leading_empty_rows_keeps_row_numbers(tmp_path: Path):
    rows = [[], [], [], ["Code", "Naam", "Soort"], ["OT1", "Integrale opgave", "ontwikkelteam"]]
    [s] = read_file(write_ods(tmp_path / "o.ods", {"Teams": rows})).sheets
    assert s.header_row == 4 and s.frame["__row"].to_list() == [5]


def test_microsoft_forms_export_xlsx(tmp_path: Path):
    rows = [
        ["ID", "Start time", "Completion time", "Email", "Name", "Ik ben tevreden over de City Deal", "Wat kan beter?"],
        [1, dt.datetime(2021, 11, 16, 9, 0), dt.datetime(2021, 11, 16, 9, 5), "a.jansen@voorbeeld.nl", "Deelnemer 12",
         "Helemaal mee eens", "Meer werksessies"],
        [2, dt.datetime(2021, 11, 30, 23, 50), dt.datetime(2021, 12, 1, 0, 5), "anonymous", "", "Neutraal", None],
    ]
    r = read_file(write_xlsx(tmp_path / "Enquete 2021.xlsx", {"Form1": rows}))
    assert errors(r) == []
    [s] = r.sheets
    assert s.model.sheet == SurveyAnswer.sheet and s.extra["adapter"] == "microsoft_forms"
    assert s.frame.columns == ["respondent", "wave", "question", "answer", "__row"]
    assert s.frame.to_dicts() == [
        {"respondent": "1", "wave": "2021-11", "question": "Ik ben tevreden over de City Deal", "answer": "Helemaal mee eens", "__row": 2},
        {"respondent": "1", "wave": "2021-11", "question": "Wat kan beter?", "answer": "Meer werksessies", "__row": 2},
        {"respondent": "2", "wave": "2021-12", "question": "Ik ben tevreden over de City Deal", "answer": "Neutraal", "__row": 3},
    ]
    text = str(s.frame.to_dicts())
    assert "voorbeeld.nl" not in text and "Deelnemer 12" not in text


def test_google_forms_csv_with_meting_column(tmp_path: Path):
    rows = [["Tijdstempel", "E-mailadres", "Meting", "Organisatiesoort", "Ik voel me betrokken", "Aantal bijeenkomsten"],
            ["17-11-2021 10:15:32", "b.devries@voorbeeld.nl", "2021-11", "gemeente", "Eens", "4"],
            ["2021/11/18 8:01:02 AM GMT+1", "", "2021-11", "rijk", "Strongly agree", ""]]
    [s] = read_file(write_csv(tmp_path / "Antwoorden.csv", rows, delimiter=",", encoding="utf-8")).sheets
    assert s.model.sheet == SurveyAnswer.sheet and s.extra["adapter"] == "google_forms" and s.extra["wave"] == "2021-11"
    assert s.frame.to_dicts() == [
        {"respondent": "b.devries@voorbeeld.nl", "wave": "2021-11", "question": "Ik voel me betrokken", "answer": "Eens",
         "org_kind": "gemeente", "__row": 2},
        {"respondent": "b.devries@voorbeeld.nl", "wave": "2021-11", "question": "Aantal bijeenkomsten", "answer": "4",
         "org_kind": "gemeente", "__row": 2},
        {"respondent": "3", "wave": "2021-11", "question": "Ik voel me betrokken", "answer": "Strongly agree",
         "org_kind": "rijk", "__row": 3},
    ]


def test_google_forms_wave_from_timestamp(tmp_path: Path):
    rows = [["Timestamp", "Question one"], ["2021/11/18 8:01:02 AM GMT+1", "Agree"], ["05-01-2022 10:00:00", "Disagree"]]
    [s] = read_file(write_csv(tmp_path / "form.csv", rows, delimiter=",")).sheets
    assert s.frame["wave"].to_list() == ["2021-11", "2022-01"]
    assert s.frame["respondent"].to_list() == ["2", "3"]


def test_mailchimp_audience_export(tmp_path: Path):
    rows = [["Email Address", "First Name", "Last Name", "MEMBER_RATING", "OPTIN_TIME", "CONFIRM_TIME", "TAGS"],
            ["c.bakker@voorbeeld.nl", "Deelnemer", "Twaalf", "2", "2021-03-04 10:11:12", "", '"OT1","nieuwsbrief"'],
            ["d.smit@voorbeeld.nl", "Deelnemer", "Dertien", "5", "", "2021-05-06 07:08:09", ""]]
    [s] = read_file(write_csv(tmp_path / "subscribed_members_export_0a1b2c.csv", rows, delimiter=",")).sheets
    assert s.model.sheet == Contact.sheet
    assert s.frame.to_dicts() == [
        {"email": "c.bakker@voorbeeld.nl", "tags": "OT1, nieuwsbrief", "since": "2021-03-04 10:11:12", "__row": 2},
        {"email": "d.smit@voorbeeld.nl", "tags": None, "since": "2021-05-06 07:08:09", "__row": 3},
    ]
    assert "Twaalf" not in str(s.frame.to_dicts())


@pytest.mark.parametrize(("name", "sheet"), [
    ("begroting", "Begroting"), ("Bijeenkomsten 2022", "Bijeenkomsten"), ("CDOR_Begroting", "Begroting"),
    ("CDOR - bijdragen 2021-12", "Bijdragen"), ("Mijlpalen (1)", "Mijlpalen"), ("Enquête_v2", "Enquete"),
    ("Knelpunten 17-12-2021", "Knelpunten"),
])
def test_clean_sheet_name(name: str, sheet: str):
    model = clean_sheet_name(name)
    assert model is not None and model.sheet == sheet


def test_clean_sheet_name_unknown():
    assert clean_sheet_name("Blad1") is None and clean_sheet_name("members_export_0a1b") is None


def test_decode_and_delimiter():
    assert decode_text("Café".encode("cp1252")) == "Café"
    assert decode_text(b"\xef\xbb\xbfJaar") == "Jaar"
    assert sniff_delimiter(["Jaar;Post;Begroot", "2022;Huur;1.234,56", "2022;Zaal;10,5"]) == ";"
    assert sniff_delimiter(["Jaar,Post,Begroot", '2022,Huur,"1,5"']) == ","
