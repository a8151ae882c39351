"""The empty delivery workbook (`stuurhut template`), derived entirely from the sheet contract in etl/contract.py."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path

import xlsxwriter
import xlsxwriter.exceptions
from xlsxwriter.utility import xl_col_to_name

from etl.contract import SHEETS, Column, Kind, Sheet, columns

# Data validation and number formats cover the first DATA_ROWS rows under the header;
# number formats are set on whole columns so no empty cells are written.
DATA_ROWS = 1000
UITLEG = "Uitleg"
LISTS = "Lijsten"
# Excel refuses an inline list of more than 255 characters; longer lists go to the hidden sheet.
INLINE_LIST_MAX = 255

KIND_WORDS: dict[Kind, str] = {
    "text": "tekst",
    "code": "korte code (letters en cijfers)",
    "year": "jaartal (2000-2100)",
    "count": "geheel getal, 0 of meer",
    "money": "bedrag in euro",
    "number": "getal",
    "percent": "percentage",
    "date": "datum",
    "date_or_quarter": "datum of kwartaal",
    "month": "meting (jaar-maand)",
    "score": "score 1 tot en met 5",
    "bool": "ja of nee",
    "enum": "keuze uit de lijst",
}

KIND_EXAMPLES: dict[Kind, str] = {
    "text": "",
    "code": "",
    "year": "2022",
    "count": "12",
    "money": "€ 12.500,00",
    "number": "6",
    "percent": "40%",
    "date": "17-12-2021",
    "date_or_quarter": "2022-Q2 of 30-06-2022",
    "month": "2021-11",
    "score": "4",
    "bool": "ja",
    "enum": "",
}

# Excel format codes; Dutch Excel shows '"€" #,##0.00' as € 1.234,56 and dd-mm-jjjj for the date.
KIND_FORMATS: dict[Kind, str] = {
    "money": '"€" #,##0.00',
    "percent": "0%",
    "date": "dd-mm-yyyy",
    "date_or_quarter": "dd-mm-yyyy",
    "month": "@",  # keep "2021-11" as text: Excel would turn it into a date
    "code": "@",
    "year": "0",
    "count": "0",
    "score": "0",
}

BOOL_CHOICES = ("ja", "nee")

INTRO_NL = (
    "Zo vult u dit sjabloon in",
    "",
    "• Elk tabblad hoort bij een onderdeel van de monitoring. Alle tabbladen zijn optioneel: "
    "lever alleen in wat u heeft. Een levering vervangt de vorige levering van hetzelfde tabblad voor dezelfde deal.",
    "• Verwijder de tabbladen die u niet invult: dan blijft de eerder geleverde versie van die tabbladen staan.",
    "• Laat de kopregel (rij 1) staan. Vetgedrukte kolommen zijn verplicht; de overige mogen leeg blijven.",
    "• Zet de gegevens direct onder de kopregel, één regel per rij. Lege rijen en een regel 'Totaal' onderaan mogen.",
    "• Bedragen: als getal of als tekst zoals € 1.234,56. Datums: als datum of als tekst zoals 17-12-2021. "
    "Percentages: 0,4, 40 of 40%. Kwartalen: 2022-Q2 of Q2 2022.",
    "• Kolommen met een keuzelijst accepteren alleen de waarden uit die lijst (hoofdletters maken niet uit).",
    "• Vul op het tabblad Deal de Peildatum in: de datum waarop de gegevens betrekking hebben.",
    "• Namen en e-mailadressen van deelnemers en respondenten worden bij het laden gepseudonimiseerd.",
    "• Laden: stuurhut load bestand.xlsx (of via de uploadpagina van het dashboard). "
    "Fouten worden per tabblad, rij en kolom gemeld; bij een fout wordt niets geladen.",
)

UITLEG_HEADERS = ("Kolom", "Verplicht", "Type", "Toegestane waarden", "Uitleg", "Voorbeeld")


def kind_words(c: Column) -> str:
    return KIND_WORDS[c.kind]


def choices(c: Column) -> tuple[str, ...]:
    """The drop-down values of a column: the contract's allowed values, or ja/nee for a bool column."""
    if c.kind == "enum":
        return c.allowed
    if c.kind == "bool":
        return BOOL_CHOICES
    return ()


def _example_in_help(c: Column) -> str | None:
    """'Korte code, bijv. OT1.' -> 'OT1': the contract's own example, if its help text gives one."""
    m = re.search(r"bijv\. (.+?)\.?\)?$", c.help_nl)
    return m.group(1).strip("() ") if m else None


def _column(ref: str) -> Column | None:
    """'Onderdelen.code' -> that contract column."""
    sheet, field = ref.split(".")
    for m in SHEETS:
        if m.sheet == sheet:
            return next((c for c in columns(m) if c.name == field), None)
    return None


def example(c: Column) -> str:
    if c.allowed:
        return c.allowed[0]
    own = _example_in_help(c)
    if own:
        return own
    target = _column(c.ref) if c.ref else None
    if target is not None and (ref_example := _example_in_help(target)):
        return ref_example
    return KIND_EXAMPLES[c.kind]


def allowed_text(c: Column) -> str:
    vals = choices(c)
    if vals:
        return ", ".join(vals)
    if c.ref:
        sheet, _ = c.ref.split(".")
        return f"een waarde van tabblad {sheet}"
    return ""


def _header_of(ref: str) -> str:
    """'Onderdelen.code' -> the Dutch header of that column ('Code')."""
    target = _column(ref)
    return target.header if target else ref.split(".")[1]


def help_text(c: Column) -> str:
    text = c.help_nl
    if c.ref:
        sheet = c.ref.split(".")[0]
        text += f" Moet voorkomen in tabblad {sheet}, kolom {_header_of(c.ref)}."
    return text.strip()


def _width(c: Column) -> int:
    longest = max([len(c.header), *(len(v) for v in choices(c))], default=8)
    base = {"text": 28, "date": 13, "date_or_quarter": 14, "money": 15, "month": 10}.get(c.kind, 12)
    return min(max(base, longest + 3), 45)


def _write_uitleg(wb: xlsxwriter.Workbook, fmt: dict) -> None:
    ws = wb.add_worksheet(UITLEG)
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 10)
    ws.set_column(2, 2, 26)
    ws.set_column(3, 3, 40)
    ws.set_column(4, 4, 70)
    ws.set_column(5, 5, 22)
    row = 0
    ws.write(row, 0, "Stuurhut: sjabloon voor een levering", fmt["title"])
    row += 2
    for line in INTRO_NL:
        ws.write(row, 0, line, fmt["h2"] if line and not line.startswith("•") else fmt["wrap_plain"])
        row += 1
    row += 1
    ws.write(row, 0, "Tabbladen en kolommen", fmt["h2"])
    row += 2
    for model in SHEETS:
        ws.write(row, 0, f"Tabblad {model.sheet}", fmt["h2"])
        if model.sheet_aliases:
            ws.write(row, 3, "Ook herkend als: " + ", ".join(model.sheet_aliases), fmt["italic"])
        row += 1
        ws.write(row, 0, model.description_nl, fmt["plain"])
        row += 1
        for i, h in enumerate(UITLEG_HEADERS):
            ws.write(row, i, h, fmt["th"])
        row += 1
        for c in columns(model):
            ws.write(row, 0, c.header, fmt["bold"] if c.required else fmt["plain"])
            ws.write(row, 1, "ja" if c.required else "nee", fmt["plain"])
            ws.write(row, 2, kind_words(c) + (" (wordt gepseudonimiseerd)" if c.pii else ""), fmt["wrap"])
            ws.write(row, 3, allowed_text(c), fmt["wrap"])
            ws.write(row, 4, help_text(c), fmt["wrap"])
            ws.write_string(row, 5, example(c), fmt["wrap"])
            row += 1
        row += 1
    ws.activate()


class _Lists:
    """Values for the hidden Lijsten sheet, one column per long list; written after the data sheets."""

    def __init__(self) -> None:
        self.cols: dict[tuple[str, ...], int] = {}

    def source(self, values: tuple[str, ...]) -> list[str] | str:
        """An inline list when Excel accepts it, otherwise a range on the hidden Lijsten sheet."""
        if len(",".join(values)) <= INLINE_LIST_MAX:
            return list(values)
        col = self.cols.setdefault(values, len(self.cols))
        letter = xl_col_to_name(col)
        return f"={LISTS}!${letter}$1:${letter}${len(values)}"

    def write(self, wb: xlsxwriter.Workbook) -> None:
        if not self.cols:
            return
        ws = wb.add_worksheet(LISTS)
        for values, col in self.cols.items():
            for r, v in enumerate(values):
                ws.write_string(r, col, v)
        ws.hide()


def _write_sheet(wb: xlsxwriter.Workbook, model: type[Sheet], fmt: dict, kind_fmt: dict, lists: _Lists) -> None:
    ws = wb.add_worksheet(model.sheet)
    ws.freeze_panes(1, 0)
    ws.set_row(0, 20)
    for i, c in enumerate(columns(model)):
        ws.set_column(i, i, _width(c), kind_fmt.get(c.kind))
        ws.write_string(0, i, c.header, fmt["th_req"] if c.required else fmt["th"])
        note = ("verplicht. " if c.required else "") + help_text(c)
        ws.write_comment(0, i, note, {"x_scale": 2, "y_scale": 1.5})
        first, last = 1, DATA_ROWS
        vals = choices(c)
        prompt = {"input_title": c.header[:32], "input_message": help_text(c)[:255]}
        if vals:
            ws.data_validation(first, i, last, i, {
                "validate": "list", "source": lists.source(vals),
                "error_title": "Ongeldige waarde", "error_message": ("Kies uit: " + ", ".join(vals))[:255],
                **prompt,
            })
        elif c.kind in ("year", "score", "count"):
            lo, hi = {"year": (2000, 2100), "score": (1, 5), "count": (0, 10**9)}[c.kind]
            ws.data_validation(first, i, last, i, {
                "validate": "integer", "criteria": "between", "minimum": lo, "maximum": hi,
                "error_title": "Ongeldige waarde", "error_message": f"Een geheel getal van {lo} tot en met {hi}.",
                **prompt,
            })
        elif c.help_nl:
            ws.data_validation(first, i, last, i, {"validate": "any", **prompt})
    ws.autofilter(0, 0, 0, len(columns(model)) - 1)


def build_template(path: Path | str) -> Path:
    """Write the empty delivery workbook to `path`: sheet Uitleg, one sheet per contract sheet, hidden Lijsten."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path))
    # A fixed creation date keeps the file byte-for-byte reproducible.
    wb.set_properties({"title": "Stuurhut sjabloon", "author": "Stuurhut", "created": dt.datetime(2022, 1, 1)})
    fmt = {
        "title": wb.add_format({"bold": True, "font_size": 16}),
        "h2": wb.add_format({"bold": True, "font_size": 12}),
        "th": wb.add_format({"bg_color": "#DCE6F1", "border": 1, "text_wrap": True, "valign": "top"}),
        "th_req": wb.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True, "valign": "top"}),
        "bold": wb.add_format({"bold": True, "valign": "top"}),
        "plain": wb.add_format({"valign": "top"}),
        "italic": wb.add_format({"italic": True, "valign": "top"}),
        "wrap": wb.add_format({"text_wrap": True, "valign": "top"}),
        "wrap_plain": wb.add_format({"valign": "top"}),
    }
    kind_fmt = {k: wb.add_format({"num_format": v}) for k, v in KIND_FORMATS.items()}
    _write_uitleg(wb, fmt)
    lists = _Lists()
    for model in SHEETS:
        _write_sheet(wb, model, fmt, kind_fmt, lists)
    lists.write(wb)
    wb.close()
    return path


def cli_template(args: argparse.Namespace) -> int:
    out = Path(args.output)
    try:
        build_template(out)
    except (OSError, xlsxwriter.exceptions.FileCreateError) as e:
        print(f"stuurhut: kan het sjabloon niet schrijven naar {out}: {e}", file=sys.stderr)
        return 2
    n = len(SHEETS)
    print(f"Sjabloon geschreven naar {out}: tabblad {UITLEG} met uitleg en {n} tabbladen om in te vullen.")
    return 0


