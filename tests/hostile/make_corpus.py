"""Write a corpus of bad and hostile delivery files (no binaries in the repo): `python tests/hostile/make_corpus.py OUT`."""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
import struct
import sys
import zipfile
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `tests.etl.messy` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

DEAL = "CDX"
PEIL = dt.date(2022, 6, 30)


@dataclass(frozen=True)
class Case:
    """One corpus file and the verdict `stuurhut load FILE --db DB [--deal CDX] --json` must give."""

    name: str
    path: Path
    words: tuple[str, ...] = ()  # every word must occur (case-insensitive) in the message of one error problem
    sheet: str | None = None  # that problem's sheet, row and column, where the case has one
    row: int | None = None
    column: str | None = None
    deal: str | None = DEAL  # passed as --deal; None: no --deal
    exit: int = 1  # 1: rejected; 0: legitimately loadable (see why); 2: usage error (not a file)
    rows: dict[str, int] | None = None  # for exit 0: the rows taken per sheet
    errors: int = 1  # for exit 1: how many error problems (no noise beside the one that matters)
    why: str = ""

    def as_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["path"] = str(self.path)
        return d


# --- tidy base data ------------------------------------------------------------------------------------------

BASE = {
    "Deal": [["Code", "Naam", "Start", "Einde", "Peildatum"],
             [DEAL, "City Deal Fictief (test)", dt.date(2021, 1, 1), dt.date(2023, 12, 31), PEIL]],
    "Onderdelen": [["Code", "Naam", "Soort", "Trekker"], ["OT1", "Ontwikkelteam 1", "ontwikkelteam", "Gemeente A"],
                   ["KT", "Kernteam", "kernteam", None]],
    "Partners": [["Organisatie", "Soort", "Sinds", "Financierend"], ["Gemeente A", "gemeente", dt.date(2021, 1, 1), "ja"],
                 ["Gemeente B", "gemeente", dt.date(2021, 1, 1), "nee"]],
    "Bijeenkomsten": [["ID", "Datum", "Soort", "Titel", "Onderdeel"],
                      ["M-1", dt.date(2022, 2, 1), "kernteam", "Kernteam februari", "KT"],
                      ["M-2", dt.date(2022, 4, 1), "werksessie", "Werksessie april", "OT1"]],
    "Eindresultaten": [["ID", "Onderdeel", "Resultaat", "Status"], ["ER-1", "OT1", "Afwegingskader", "loopt"]],
    "Vragen": [["Code", "Vraag", "Schaal"], ["V01", "Ik ben tevreden over de City Deal", "likert5"]],
}
BUDGET_HEAD = ["Jaar", "Kostensoort", "Post", "Begroot", "Gerealiseerd"]
BUDGET_OK = [2022, "ontwikkeling", "Atelier", 12500, 8000]


def budget(*rows: list[Any]) -> dict[str, list[list[Any]]]:
    return {"Begroting": [BUDGET_HEAD, BUDGET_OK, *rows]}


def write_base(out: Path) -> Path:
    """The good delivery loaded before every case, so 'unchanged' means something."""
    from tests.etl.messy import write_xlsx

    return write_xlsx(Path(out) / "goede-levering.xlsx", BASE)


# --- raw zip building (bombs are streamed, never held in memory inflated) ------------------------------------


@functools.lru_cache(maxsize=4)
def _deflate_repeat(prefix: bytes, block: bytes, times: int, suffix: bytes) -> tuple[bytes, int, int]:
    """Raw deflate of prefix + block*times + suffix, built from one full-flushed block: (data, crc, size)."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = c.compress(prefix) + c.flush(zlib.Z_FULL_FLUSH)
    chunk = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    assert chunk == again  # a full flush makes every block's bytes independent of what came before
    data = head + chunk * times + c.compress(suffix) + c.flush(zlib.Z_FINISH)
    crc = zlib.crc32(prefix)
    for _ in range(times):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(suffix, crc)
    return data, crc, len(prefix) + len(block) * times + len(suffix)


def _deflate(data: bytes) -> tuple[bytes, int, int]:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(), zlib.crc32(data), len(data)


def write_zip(path: Path, members: list[tuple[str, tuple[bytes, int, int]]], declare: dict[str, int] | None = None) -> Path:
    """A zip of pre-deflated members; declare overrides a member's declared uncompressed size (a lying header)."""
    declare = declare or {}
    local, central = bytearray(), bytearray()
    for name, (data, crc, size) in members:
        n = name.encode()
        size = declare.get(name, size)
        assert size < 0xFFFFFFFF and len(data) < 0xFFFFFFFF
        offset = len(local)
        local += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(n), 0) + n + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(data), size, len(n),
                               0, 0, 0, 0, 0, offset) + n
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(local), 0)
    path.write_bytes(bytes(local + central + end))
    return path


def members_of(xlsx: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(xlsx) as z:
        return {n: z.read(n) for n in z.namelist()}


def rezip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in members.items():
            z.writestr(n, data)
    return path


def forge(src: Path, dst: Path, member: str, fn) -> Path:
    m = members_of(src)
    m[member] = fn(m[member])
    return rezip(dst, m)


SHEET1 = "xl/worksheets/sheet1.xml"
SST = "xl/sharedStrings.xml"
ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def ods(path: Path, table_xml: str, manifest: str | None = None) -> Path:
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS} office:version="1.2">'
               f"<office:body><office:spreadsheet>{table_xml}</office:spreadsheet></office:body></office:document-content>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        if manifest is not None:
            z.writestr("META-INF/manifest.xml", manifest)
        z.writestr("content.xml", content)
    return path


# --- the corpus ----------------------------------------------------------------------------------------------


def make_corpus(out_dir: Path | str) -> list[Case]:
    """Write every hostile file under out_dir and return the cases (names are unique and stable)."""
    from tests.etl.messy import encrypted_like, ods_repeat_bomb, truncated, write_csv, write_xlsx

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    work = out / "_work"
    work.mkdir(exist_ok=True)
    cases: list[Case] = []

    def add(name: str, path: Path, *words: str, **kw: Any) -> None:
        cases.append(Case(name=name, path=path, words=words, **kw))

    def xlsx(name: str, sheets: dict, **kw: Any) -> Path:
        return write_xlsx(out / name, sheets, **kw)

    good_budget = write_xlsx(work / "budget.xlsx", budget())

    # -- contract violations: wrong types, labels, dates, signs, keys, references --------------------------
    add("wrong_type_amount", xlsx("bedrag-tekst.xlsx", budget([2022, "basis", "Huur", "veel geld", None])),
        "veel geld", "bedrag", sheet="Begroting", row=3, column="Begroot")
    add("wrong_type_year", xlsx("jaar-tekst.xlsx", budget(["twintig", "basis", "Huur", 10, None])),
        "twintig", sheet="Begroting", row=3, column="Jaar")
    add("wrong_type_count", xlsx("uitgenodigd-tekst.xlsx", {"Bijeenkomsten": [
        ["ID", "Datum", "Soort", "Uitgenodigd"], ["M-9", dt.date(2022, 5, 1), "werksessie", "tien"]]}),
        "tien", sheet="Bijeenkomsten", row=2, column="Uitgenodigd")
    add("unknown_label", xlsx("onbekende-kostensoort.xlsx", budget([2022, "overig", "Huur", 10, None])),
        "overig", "geen geldige kostensoort", "basis, ontwikkeling", sheet="Begroting", row=3, column="Kostensoort")
    add("impossible_date", xlsx("31-februari.xlsx", {"Bijeenkomsten": [
        ["ID", "Datum", "Soort"], ["M-9", "31-02-2022", "werksessie"]]}),
        "31-02-2022", "datum", sheet="Bijeenkomsten", row=2, column="Datum")
    add("impossible_month", xlsx("meting-13.xlsx", {"Enquete": [
        ["Respondent", "Meting", "Vraag", "Antwoord"], ["R1", "2021-13", "V01", "eens"]]}),
        "2021-13", sheet="Enquete", row=2, column="Meting")
    add("impossible_quarter", xlsx("kwartaal-5.xlsx", {"Mijlpalen": [
        ["Onderdeel", "Mijlpaal", "Gepland", "Status"], ["OT1", "Kader klaar", "2022-Q5", "loopt"]]}),
        "2022-Q5", sheet="Mijlpalen", row=2, column="Gepland")
    add("negative_amount", xlsx("negatief-bedrag.xlsx", budget([2022, "basis", "Huur", -500, None])),
        "-500", sheet="Begroting", row=3, column="Begroot")
    add("ambiguous_amount", xlsx("dubbelzinnig-bedrag.xlsx", budget([2022, "basis", "Huur", "12,34,56", None])),
        "12,34,56", sheet="Begroting", row=3, column="Begroot")
    add("percent_over_100", xlsx("voortgang-140.xlsx", {"Eindresultaten": [
        ["ID", "Onderdeel", "Resultaat", "Status", "Voortgang"], ["ER-2", "OT1", "Kader", "loopt", "140%"]]}),
        "140%", sheet="Eindresultaten", row=2, column="Voortgang")
    add("score_out_of_range", xlsx("score-7.xlsx", {"Zelfevaluatie": [
        ["Meting", "Thema", "Score"], ["2022-06", "Samenwerking", 7]]}),
        "7", sheet="Zelfevaluatie", row=2, column="Score")
    add("duplicate_ids", xlsx("dubbele-id.xlsx", {"Bijeenkomsten": [
        ["ID", "Datum", "Soort"], ["M-7", dt.date(2022, 5, 1), "werksessie"], ["M-8", dt.date(2022, 5, 2), "werksessie"],
        ["M-7", dt.date(2022, 5, 3), "kernteam"]]}),
        "M-7", "twee keer", "rij 2 en 4", sheet="Bijeenkomsten", column="ID")
    add("dangling_meeting", xlsx("onbekende-bijeenkomst.xlsx", {"Aanwezigheid": [
        ["Bijeenkomst", "Deelnemer", "Organisatie"], ["M-1", "Deelnemer 1", "Gemeente A"],
        ["M-404", "Deelnemer 2", "Gemeente A"]]}),
        "M-404", "Bijeenkomsten", sheet="Aanwezigheid", row=3, column="Bijeenkomst")
    add("dangling_partner", xlsx("onbekende-financier.xlsx", {"Bijdragen": [
        ["Jaar", "Organisatie", "Kostensoort", "Toegezegd"], [2022, "Gemeente Nergens", "basis", 1000]]}),
        "Gemeente Nergens", "Partners", sheet="Bijdragen", row=2, column="Organisatie")
    add("dangling_end_result", xlsx("onbekend-eindresultaat.xlsx", {"Mijlpalen": [
        ["Onderdeel", "Mijlpaal", "Gepland", "Status", "Eindresultaat"], ["OT1", "Kader", "2022-Q2", "loopt", "ER-99"]]}),
        "ER-99", "Eindresultaten", sheet="Mijlpalen", row=2, column="Eindresultaat")
    add("missing_required_column", xlsx("zonder-begroot.xlsx", {"Begroting": [
        ["Jaar", "Kostensoort", "Post"], [2022, "basis", "Huur"]]}),
        "verplichte kolom Begroot ontbreekt", sheet="Begroting", row=1, column="Begroot", errors=1)
    add("required_value_empty", xlsx("lege-post.xlsx", budget([2022, "basis", None, 10, None])),
        "Post is verplicht", sheet="Begroting", row=3, column="Post")
    add("duplicate_header", xlsx("dubbele-kolom.xlsx", {"Begroting": [
        ["Jaar", "Kostensoort", "Post", "Begroot", "Budget"], [2022, "basis", "Huur", 10, 11]]}),
        "Begroot", "meer dan eens", sheet="Begroting", row=1, column="Begroot", errors=1)
    add("sheet_twice", xlsx("twee-keer-begroting.xlsx", {**budget(), "Budget": [BUDGET_HEAD, [2023, "basis", "Huur", 5, None]]}),
        "ook al aangeleverd", sheet="Begroting")
    add("no_deal_sheet_no_deal_option", xlsx("zonder-deal.xlsx", budget()),
        "Geen tabblad Deal", "--deal", deal=None)
    add("unknown_deal_option", xlsx("andere-deal.xlsx", budget()),
        "CDZ", "nog niet in de database", deal="CDZ")
    add("deal_sheet_contradicts_option", xlsx("deal-tegenspraak.xlsx", {"Deal": [
        ["Code", "Naam", "Peildatum"], ["CDY", "City Deal Anders (test)", PEIL]]}),
        "CDY", "--deal", sheet="Deal", row=2, column="Code")
    add("deal_sheet_two_rows", xlsx("deal-twee-rijen.xlsx", {"Deal": [
        ["Code", "Naam", "Peildatum"], [DEAL, "City Deal Fictief (test)", PEIL], ["CDY", "Nog een", PEIL]]}),
        "2 rijen", sheet="Deal", row=3, deal=None)
    add("deal_impossible_peildatum", xlsx("peildatum-30-februari.xlsx", {"Deal": [
        ["Code", "Naam", "Peildatum"], [DEAL, "City Deal Fictief (test)", "30-02-2022"]]}),
        "30-02-2022", sheet="Deal", row=2, column="Peildatum", deal=None)
    add("unicode_lookalike_label", xlsx("cyrillisch-open.xlsx", {"Knelpunten": [
        ["Datum", "Knelpunt", "Status"], [dt.date(2022, 5, 1), "Te weinig capaciteit", "\u043epen"]]}),
        "\u043epen", "geen geldige status", sheet="Knelpunten", row=2, column="Status")
    add("unicode_lookalike_header", xlsx("cyrillisch-kop.xlsx", {"Begroting": [
        ["Jaar", "Kostensoort", "Post", "B\u0435groot"], [2022, "basis", "Huur", 10]]}),
        "verplichte kolom Begroot ontbreekt", sheet="Begroting", row=1, column="Begroot", errors=1)
    add("unicode_lookalike_sheet", xlsx("cyrillisch-tabblad.xlsx", {"Begr\u043eting": budget()["Begroting"]}),
        "geen enkel tabblad herkend")
    add("zero_width_label", xlsx("zero-width-soort.xlsx", budget([2022, "ba\u200bsis", "Huur", 10, None])),
        "geen geldige kostensoort", sheet="Begroting", row=3, column="Kostensoort")

    # -- formulas and Excel error cells ---------------------------------------------------------------------
    def error_cell(name: str, sheets: dict, ref: str, error: str) -> Path:
        src = write_xlsx(work / name, sheets, formulas={next(iter(sheets)): [(ref, "=1/0")]})
        return forge(src, out / name, SHEET1, lambda d: re.sub(
            rf'<c r="{ref}"([^>]*)><f>1/0</f><v>0</v>'.encode(),
            rf'<c r="{ref}"\1 t="e"><f>1/0</f><v>{error}</v>'.encode(), d))

    add("div0_required_amount", error_cell("deel-door-nul.xlsx", budget([2022, "basis", "Huur", None, None]), "D3", "#DIV/0!"),
        "Excel-fout", "#DEEL/0!", "Cel D3", sheet="Begroting", row=3, column="Begroot", errors=2)
    add("na_optional_amount", error_cell("nb-gerealiseerd.xlsx", budget([2022, "basis", "Huur", 10, None]), "E3", "#N/A"),
        "Excel-fout", "#N/B", "Cel E3", sheet="Begroting", row=3, column="Gerealiseerd",
        why="an error cell must not silently become 'not yet known'")
    add("hidden_sheet_bad_data", xlsx("verborgen-tabblad.xlsx", {"Overzicht": [["Toelichting"], ["zie tabblad Begroting"]],
                                                                 **budget([2022, "basis", "Huur", "n.v.t.", None])},
                                      hidden=("Begroting",)),
        "n.v.t.", sheet="Begroting", row=3, column="Begroot", why="hidden sheets are read like any other")
    add("hidden_sheet_good_data", xlsx("verborgen-goed.xlsx", {"Overzicht": [["Toelichting"], ["zie Begroting"]],
                                                               **budget([2023, "basis", "Huur", 10, None])},
                                       hidden=("Begroting",)),
        exit=0, rows={"Begroting": 2}, why="a hidden sheet with good data is a normal delivery")

    # -- empty and header-only ------------------------------------------------------------------------------
    (out / "leeg.xlsx").write_bytes(b"")
    add("empty_xlsx", out / "leeg.xlsx", "is leeg")
    (out / "begroting.csv").write_bytes(b"")
    add("empty_csv", out / "begroting.csv", "is leeg")
    (out / "bijeenkomsten.csv").write_bytes(b"\r\n \r\n;;;\r\n")
    add("blank_csv", out / "bijeenkomsten.csv", "is leeg")
    add("header_only_sheet", xlsx("alleen-kopregel.xlsx", {"Begroting": [BUDGET_HEAD]}),
        "geen gegevens", "alleen een kopregel", sheet="Begroting", why="an empty delivery would silently replace the current budget")
    add("template_sheets_left_empty", xlsx("sjabloon-deels-leeg.xlsx", {
        **budget([2023, "basis", "Huur", 10, None]), "Knelpunten": [["Datum", "Knelpunt", "Status"]],
        "Partners": [["Organisatie", "Soort"]]}), exit=0, rows={"Begroting": 2},
        why="the empty sheets are skipped with a warning: they must not wipe Knelpunten and Partners")
    add("no_known_sheet", xlsx("blad1.xlsx", {"Blad1": [["Wat", "Hoeveel"], ["Koffie", 3]]}), "geen enkel tabblad herkend")

    # -- not a workbook -------------------------------------------------------------------------------------
    (out / "factuur.xlsx").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    add("pdf_renamed", out / "factuur.xlsx", "PDF", "geen Excel")
    (out / "foto.xlsx").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
                                    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
                                    b"\x00\x00\x00IEND\xaeB`\x82")
    add("png_renamed", out / "foto.xlsx", "geen Excel")
    (out / "webpagina.xlsx").write_text("<html><body><table><tr><td>Jaar</td><td>Begroot</td></tr>"
                                        "<tr><td>2022</td><td>10</td></tr></table></body></html>", encoding="utf-8")
    add("html_renamed", out / "webpagina.xlsx", "geen Excel")
    (out / "begroting-oud.xls").write_bytes(encrypted_like(work / "x.bin").read_bytes())
    add("old_xls", out / "begroting-oud.xls", "97-2003", ".xlsx")
    add("truncated_xlsx", truncated(write_xlsx(work / "heel.xlsx", {**BASE, **budget()}), out / "afgebroken.xlsx"),
        "beschadigd of niet volledig")
    add("password_protected", encrypted_like(out / "wachtwoord.xlsx"), "wachtwoord")
    add("password_protected_ods", ods(out / "wachtwoord.ods", '<table:table table:name="Begroting"/>',
                                      '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                                      '<manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/>'
                                      "</manifest:file-entry></manifest:manifest>"), "wachtwoord")
    (out / "begroting-nul.csv").write_bytes(b"Jaar;Begroot\x00\x00\x01\x02;\r\n2022;10\x00\r\n")
    add("binary_csv", out / "begroting-nul.csv", "geen Excel")

    # -- bombs, huge claims, odd XML ------------------------------------------------------------------------
    base = members_of(good_budget)
    sheet_bomb = _deflate_repeat(base[SHEET1].split(b"</sheetData>")[0],
                                 b'<row><c t="inlineStr"><is><t>' + b"A" * (1 << 20) + b"</t></is></c></row>", 2048,
                                 b"</sheetData></worksheet>")
    write_zip(out / "zipbom-werkblad.xlsx", [(n, sheet_bomb if n == SHEET1 else _deflate(d)) for n, d in base.items()])
    add("zip_bomb_sheet", out / "zipbom-werkblad.xlsx", "verdacht", "pakt uit", why="a 2 GB sheet XML in a few MB")
    sst_bomb = _deflate_repeat(b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
                               (b"<si><t>" + b"B" * 1000 + b"</t></si>") * 1000, 1000, b"</sst>")
    write_zip(out / "zipbom-teksten.xlsx", [(n, sst_bomb if n == SST else _deflate(d)) for n, d in base.items()])
    add("zip_bomb_shared_strings", out / "zipbom-teksten.xlsx", "verdacht", "sharedStrings")
    write_zip(out / "zipbom-liegt.xlsx", [(n, sheet_bomb if n == SHEET1 else _deflate(d)) for n, d in base.items()],
              declare={SHEET1: 4096})
    add("zip_bomb_lying_size", out / "zipbom-liegt.xlsx", "kon niet worden gelezen",
        why="the central directory claims 4 KB for a 2 GB member")
    add("xfd_cell", forge(good_budget, out / "xfd1048576.xlsx", SHEET1, lambda d: re.sub(
        rb'<dimension ref="[^"]+"', b'<dimension ref="A1:XFD1048576"', d).replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')),
        "XFD1048576", "te groot", sheet="Begroting")
    add("rows_beyond_excel", forge(good_budget, out / "twee-miljoen-rijen.xlsx", SHEET1, lambda d: re.sub(
        rb'<dimension ref="[^"]+"', b'<dimension ref="A1:E2000000"', d).replace(
        b"</sheetData>", b'<row r="2000000"><c r="A2000000"><v>1</v></c></row></sheetData>')),
        "2000000", "te groot", sheet="Begroting")
    add("dimension_claim_only", forge(good_budget, out / "dimensie-xfd.xlsx", SHEET1, lambda d: re.sub(
        rb'<dimension ref="[^"]+"', b'<dimension ref="A1:XFD1048576"', d)),
        exit=0, rows={"Begroting": 1}, why="only the <dimension> claims the whole grid; the cells are 2 rows: read them")
    add("ods_repeat_bomb", ods_repeat_bomb(out / "herhaling.ods"), "onrealistisch veel")
    add("ods_two_million_rows", ods(out / "twee-miljoen.ods", '<table:table table:name="Begroting"><table:table-row '
                                    'table:number-rows-repeated="2000000"><table:table-cell office:value-type="float" '
                                    'office:value="1"><text:p>1</text:p></table:table-cell></table:table-row></table:table>'),
        "onrealistisch veel rijen")
    nested = b"<x>" * 200_000 + b"</x>" * 200_000
    add("deeply_nested_xml", forge(good_budget, out / "diep-genest.xlsx", SHEET1,
                                   lambda d: d.replace(b"<sheetData>", b"<sheetData>" + nested)),
        exit=0, rows={"Begroting": 1}, why="200,000 nested unknown elements in the sheet XML are skipped: harmless")
    laughs = (b'<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">' + b"".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode() for i in range(9)) + b"]>")
    add("billion_laughs", forge(good_budget, out / "miljard-lachjes.xlsx", SST,
                                lambda d: d.replace(b"<sst ", laughs + b"<sst ", 1).replace(b"<t>Atelier</t>", b"<t>&j;</t>")),
        "kon niet worden gelezen")
    xxe = b'<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    add("xml_external_entity", forge(good_budget, out / "xxe.xlsx", SST,
                                     lambda d: d.replace(b"<sst ", xxe + b"<sst ", 1).replace(b"<t>Atelier</t>", b"<t>&xxe;</t>")),
        "kon niet worden gelezen")
    no_ct = members_of(good_budget)
    no_ct.pop("[Content_Types].xml")
    add("no_content_types", rezip(out / "zonder-content-types.xlsx", no_ct), exit=0, rows={"Begroting": 1},
        why="the parts are all there; Excel would complain, the reader needs no content types")
    no_wb = members_of(good_budget)
    no_wb.pop("xl/workbook.xml")
    add("no_workbook_part", rezip(out / "zonder-workbook.xlsx", no_wb), "geen Excel")

    # -- CSV encodings and shapes ---------------------------------------------------------------------------
    bad_budget_rows = [BUDGET_HEAD, ["2022", "ontwikkeling", "Atelier", "€ 1.234,56", ""], ["2022", "extra", "Huur", "10", ""]]
    def folder(name: str) -> Path:
        (out / name).mkdir(exist_ok=True)
        return out / name

    add("csv_utf16_bom", write_csv(folder("utf16") / "Begroting.csv", bad_budget_rows, encoding="utf-16"),
        "extra", "geen geldige kostensoort", sheet="Begroting", row=3, column="Kostensoort")
    (folder("utf16le") / "Begroting.csv").write_bytes("\r\n".join(";".join(r) for r in bad_budget_rows).encode("utf-16-le"))
    add("csv_utf16_no_bom", out / "utf16le" / "Begroting.csv", "extra", "geen geldige kostensoort",
        sheet="Begroting", row=3, column="Kostensoort")
    raw = ("\r\n".join(";".join(r) for r in bad_budget_rows) + "\r\n").encode("cp1252").replace(b"Atelier", b"Atelier \x81\x8d")
    (folder("cp1252") / "Begroting.csv").write_bytes(raw)
    add("csv_cp1252_bad_bytes", out / "cp1252" / "Begroting.csv", "extra", "geen geldige kostensoort",
        sheet="Begroting", row=3, column="Kostensoort", why="the € in row 2 must still read as an amount")
    wide = [BUDGET_HEAD[:4] + [f"x{i}" for i in range(9996)], ["2022", "basis", "Huur", "tien"] + [""] * 9996]
    wider = [BUDGET_HEAD[:4] + [f"x{i}" for i in range(20_000)], ["2022", "basis", "Huur", "10"]]
    add("csv_20004_columns", write_csv(folder("breder") / "Begroting.csv", wider), "20004 kolommen", "16384",
        why="wider than Excel allows: refused before parsing")
    add("csv_10000_columns", write_csv(folder("breed") / "Begroting.csv", wide), "tien", sheet="Begroting", row=2, column="Begroot")

    # -- macros, names, links --------------------------------------------------------------------------------
    vba = work / "vbaProject.bin"
    vba.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + b"Attribute VB_Name = \"Module1\"\r\nSub Auto_Open()"
                    b"\r\nShell \"calc.exe\"\r\nEnd Sub\r\n")

    def xlsm(name: str, sheets: dict) -> Path:
        import xlsxwriter

        wb = xlsxwriter.Workbook(str(out / name))
        for sheet, rows in sheets.items():
            ws = wb.add_worksheet(sheet)
            for r, row in enumerate(rows):
                ws.write_row(r, 0, row)
        wb.add_vba_project(str(vba))
        wb.close()
        return out / name

    add("macro_xlsm_bad_data", xlsm("macro.xlsm", budget([2022, "basis", "Huur", "geen idee", None])),
        "geen idee", sheet="Begroting", row=3, column="Begroot")
    add("macro_xlsm_good_data", xlsm("macro-goed.xlsm", budget([2023, "basis", "Huur", 10, None])),
        exit=0, rows={"Begroting": 2}, why="the VBA part is never executed nor read: the data is fine")
    odd = "levering ;$(touch GEHACKT) `id` & | <x> \"q\" 'y' ü ✓.xlsx"
    add("odd_file_name", xlsx(odd, budget([2022, "basis", "Huur", "tien", None])),
        "tien", sheet="Begroting", row=3, column="Begroot")
    link = folder("link") / "Begroting.csv"
    if link.is_symlink() or link.exists():
        link.unlink()
    os.symlink("/etc/passwd", link)
    add("symlink_to_system_file", link, "kopregel", sheet="Begroting", why="a link to /etc/passwd named like a sheet")
    dangling = folder("weg") / "Begroting.csv"
    if dangling.is_symlink() or dangling.exists():
        dangling.unlink()
    os.symlink(out / "bestaat-niet.csv", dangling)
    add("dangling_symlink", dangling, "niet gevonden", exit=2)
    fifo = folder("pijp") / "Begroting.csv"
    if not fifo.exists():
        os.mkfifo(fifo)
    add("named_pipe", fifo, "Geen bestand", exit=2, why="reading a FIFO would block forever")

    names = [c.name for c in cases]
    assert len(names) == len(set(names)), names
    (out / "cases.json").write_text(json.dumps([c.as_json() for c in cases], ensure_ascii=False, indent=1), encoding="utf-8")
    return cases


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")
    made = make_corpus(target)
    write_base(target)
    print(f"{len(made)} cases in {target}")
