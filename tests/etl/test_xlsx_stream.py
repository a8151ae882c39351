"""etl.xlsx_stream against fastexcel: for every sheet either the very same typed Arrow data and errors, or Unsupported."""

from __future__ import annotations

import datetime as dt
import logging
import zipfile
from pathlib import Path

import fastexcel
import pyarrow as pa
import pytest

from etl import guard, xlsx_stream
from etl.xlsx_stream import Unsupported, read_sheet
from tests.etl.messy import CORPUS

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

logging.getLogger("fastexcel").setLevel(logging.ERROR)




# --- the differential check ---------------------------------------------------------------------------------


def _members(path: Path) -> tuple[dict[str, str], str | None, str | None]:
    with zipfile.ZipFile(path) as zf:
        sheets, sst = guard.workbook_sheets(zf)
        sst_part, styles = xlsx_stream.find_parts(zf)
    assert sst is None or sst_part == sst
    return dict(sheets), sst_part, styles


def _ours(path: Path, name: str, header_row: int, **kw) -> tuple[xlsx_stream.SheetStream, pa.Table]:
    members, sst, styles = _members(path)
    out = read_sheet(path, members[name], sst, styles, header_row, **kw)
    if out.out_path is not None:
        with pa.OSFile(out.out_path, "rb") as f:
            table = pa.ipc.open_file(f).read_all()
    else:
        table = pa.Table.from_batches(out.batches, out.schema)
    return out, table


def _theirs(path: Path, name: str, header_row: int) -> tuple[list[int], pa.Table, list[tuple[int, int, str]]]:
    sheet = fastexcel.read_excel(path).load_sheet(name, header_row=header_row, whitespace_as_null=True)
    batch, errs = sheet.to_arrow_with_errors()
    errors = [(e.position[0], e.position[1], e.detail) for e in errs.errors] if errs is not None else []
    schema = pa.schema([f.with_nullable(True) for f in batch.schema])
    batch = pa.RecordBatch.from_arrays(batch.columns, schema=schema)
    return [c.absolute_index for c in sheet.selected_columns], pa.Table.from_batches([batch]), errors


def same_or_unsupported(path: Path, name: str, header_row: int, **kw) -> str:
    """'same' when our data equals fastexcel's in every respect, 'unsupported' when we refuse; fails otherwise."""
    try:
        theirs: tuple | None = _theirs(path, name, header_row)
    except Exception:  # noqa: BLE001 - fastexcel refusing the sheet: we must refuse it too
        theirs = None
    try:
        out, table = _ours(path, name, header_row, **kw)
    except Unsupported:
        return "unsupported"
    assert theirs is not None, f"fastexcel cannot read {path.name}/{name} at header_row={header_row}, we could"
    cols, expected, errors = theirs
    where = f"{path.name}/{name} header_row={header_row}"
    assert out.abs_cols == cols, where
    assert table.schema == expected.schema, where
    assert out.schema == expected.schema, where
    assert out.rows == expected.num_rows, where
    for n in expected.column_names:
        ours_col, their_col = table[n], expected[n]
        if pa.types.is_timestamp(their_col.type) or pa.types.is_duration(their_col.type):  # beyond Python's range
            ours_col, their_col = ours_col.cast(pa.int64()), their_col.cast(pa.int64())
        assert ours_col.to_pylist() == their_col.to_pylist(), f"{where} column {n!r}"
    assert out.errors == errors, where
    return "same"


# --- workbooks written here -------------------------------------------------------------------------------------


def handmade(path: Path, body: str, sst: list[str] | None = None, styles: str | None = None,
             date1904: bool = False) -> Path:
    """An xlsx with one sheet 'S' whose <sheetData> is `body` (for XML that writers do not produce)."""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                   'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   f'package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" '
                   'Target="xl/workbook.xml"/></Relationships>')
        pr = '<workbookPr date1904="1"/>' if date1904 else ""
        z.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook {NS} xmlns:r="{REL}">{pr}<sheets>'
                   '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
        rels = f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        if sst is not None:
            rels += f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
            z.writestr("xl/sharedStrings.xml", f'<?xml version="1.0"?><sst {NS}>{"".join(sst)}</sst>')
        if styles is not None:
            rels += f'<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/>'
            z.writestr("xl/styles.xml", f'<?xml version="1.0"?><styleSheet {NS}>{styles}</styleSheet>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.'
                   f'openxmlformats.org/package/2006/relationships">{rels}</Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", f'<?xml version="1.0"?><worksheet {NS}><dimension ref="A1"/>'
                   f"<sheetData>{body}</sheetData></worksheet>")
    return path


DATE_STYLES = ('<numFmts count="2"><numFmt numFmtId="164" formatCode="dd\\-mm\\-yyyy"/>'
               '<numFmt numFmtId="165" formatCode="[h]:mm:ss"/></numFmts>'
               '<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="14"/><xf numFmtId="4"/>'
               '<xf numFmtId="165"/></cellXfs>')


def _mixed_workbook(path: Path) -> Path:
    """Every kind of cell fastexcel types, above and below its 1000-row type sample, written by xlsxwriter."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    dates = wb.add_format({"num_format": "dd-mm-yyyy"})
    stamp = wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    clock = wb.add_format({"num_format": "hh:mm"})
    euro = wb.add_format({"num_format": "€ #,##0.00"})
    ws = wb.add_worksheet("Gemengd")
    ws.write("A1", "Overzicht aanwezigheid (titel boven de kop)")
    ws.write_row(2, 1, ["tekst", "getal", "datum", "ja/nee", "formule", "gemengd", "tijd", "tekst", "leeg", 2022])
    for r in range(3, 1403):
        i = r - 3
        ws.write_string(r, 1, f"regel {i}" if i % 7 else "  ")
        ws.write_number(r, 2, i * 1.25, euro)
        ws.write_datetime(r, 3, dt.datetime(2021, 1, 1) + dt.timedelta(days=i, hours=i % 24), dates)
        ws.write_boolean(r, 4, i % 3 == 0)
        if i % 50 == 0:
            ws.write_formula(r, 5, "=1/0", None, "#DIV/0!")
        else:
            ws.write_formula(r, 5, f'="f"&{i}', None, f"f{i}")
        ws.write(r, 6, i if i % 2 else f"t{i}")
        ws.write_datetime(r, 7, dt.datetime(1899, 12, 31, i % 24, i % 60), clock)
        ws.write_string(r, 8, "NA" if i % 11 == 0 else "x & <y>")
        ws.write_blank(r, 9, None, dates)
        if i % 97 == 0:
            ws.write_number(r, 10, 2022.5)
    # after the type sample: values that do not fit their column's type
    ws.write_string(1403, 2, "12,5")
    ws.write_string(1404, 2, "1e3")
    ws.write_string(1405, 3, "17-12-2021")
    ws.write_number(1406, 3, 45000.75)
    ws.write_string(1407, 4, "ja")
    ws.write_number(1408, 4, 0)
    ws.write_formula(1409, 2, "=NA()", None, "#N/A")
    ws.write_datetime(1410, 1, dt.datetime(2023, 5, 6, 7, 8, 9, 500000), stamp)
    ws.write_number(1411, 1, 29.020000000000003)
    ws.write_boolean(1412, 1, True)
    ws.write_string(1413, 2, 'a "quoted" \\ word')
    ws.write_string(1420, 9, "late")  # a column with no value in the type sample
    ws.write_string(1425, 1, "laatste")
    wb.close()
    return path


# --- tests --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(DEMO.glob("*.xlsx")), ids=lambda p: p.name)
def test_demo_workbooks_match_fastexcel(path: Path):
    """Every sheet of every demo workbook, from the header row parse_workbook finds (and from row 1): identical."""
    from etl.parse import parse_workbook

    tables, _ = parse_workbook(str(path), probe=True)
    headers = {t.name: t.header_row for t in tables if t.header_row}
    members, _, _ = _members(path)
    assert headers, path.name
    for name in members:
        rows = {0, headers[name] - 1} if name in headers else {0}
        for h in sorted(rows):
            assert same_or_unsupported(path, name, h) == "same", (path.name, name, h)


def test_every_kind_of_cell_matches_fastexcel(tmp_path: Path):
    path = _mixed_workbook(tmp_path / "gemengd.xlsx")
    assert same_or_unsupported(path, "Gemengd", 2) == "same"
    # the same through small chunks and batches, so most rows take the fast pattern, in many batches
    assert same_or_unsupported(path, "Gemengd", 2, chunk_bytes=16 * 1024, batch_rows=300) == "same"
    out, table = _ours(path, "Gemengd", 2, chunk_bytes=16 * 1024, batch_rows=300)
    assert len(out.batches) > 5 and max(b.num_rows for b in out.batches) <= 300 and table.num_rows == 1423
    assert table.schema.field("getal").type == pa.float64()
    assert table.schema.field("datum").type == pa.timestamp("ms")
    assert table.schema.field("ja/nee").type == pa.bool_()
    assert table.column("tekst").to_pylist()[:2] == [None, "regel 1"]  # whitespace only: null
    assert [d for _, _, d in out.errors if "12,5" in d] == ["Expected float but got 'String(\"12,5\")'"]
    # header_row 0: the title row is the header then
    assert same_or_unsupported(path, "Gemengd", 0) == "same"


def test_demo_like_header_rows_and_offsets(tmp_path: Path):
    """Title rows, a header below them, data from column C, gaps, duplicate and numeric headers, a total row."""
    import xlsxwriter

    path = tmp_path / "offset.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Begroting")
    ws.write("E1", "Begroting 2022")
    ws.write_row(3, 2, ["Jaar", "Post", "Post", None, 2023, "Begroot"])
    for r in range(4, 40, 3):
        ws.write_row(r, 2, [2022, f"post {r}", "x", None, r * 10.5, f"€ {r},50"])
    ws.write_row(41, 2, ["Totaal", None, None, None, 999])
    wb.close()
    for h in (0, 1, 3, 4, 60):
        assert same_or_unsupported(path, "Begroting", h) == "same", h
    out, _ = _ours(path, "Begroting", 3)
    assert out.abs_cols == [2, 3, 4, 5, 6, 7]
    assert out.names == ["Jaar", "Post", "Post_1", "__UNNAMED__3", "2023", "Begroot"]


@pytest.mark.parametrize("case", [
    # inline strings (rich runs, phonetic runs left out, empty), formula text, entities, CDATA, _xHHHH_ escapes
    '<row r="1"><c r="A1" t="inlineStr"><is><t>naam</t></is></c><c r="B1" t="inlineStr"><is><r><t>ri</t></r>'
    '<r><rPr><b/></rPr><t xml:space="preserve">ch </t></r><rPh><t>X</t></rPh></is></c><c r="C1" t="str">'
    '<f>A1</f><v>a &amp; b &lt;c&gt; &#233;&#x20AC;</v></c><c r="D1" t="inlineStr"><is><t><![CDATA[<cd>]]></t></is></c>'
    '<c r="E1" t="inlineStr"><is><t>A_x000D_B</t></is></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>  trim me  </t></is></c><c r="B2" t="inlineStr"><is></is></c>'
    '<c r="C2" t="str"><v></v></c><c r="D2" t="b"><v>1</v></c><c r="E2" t="e"><v>#REF!</v></c></row>',
    # cells without r take the next position; self-closing cells and rows count; rows without r follow on
    '<row r="2"><c t="str"><v>a</v></c><c><v>1</v></c><c r="E2" t="b"><v>0</v></c><c t="e"><v>#N/A</v></c></row>'
    '<row><c r="C3" t="str"><v>x&#13;y</v></c><c s="0"/><c><v>2</v></c></row>'
    '<row r="5" spans="1:3"/><row><c t="str"><v>z</v></c></row>'
    '<row r="8"><c r="C8" s="1"></c><c r="D8"><v></v></c><c r="B8" t="str"><v>  </v></c></row>'
    '<row r="9"><c r="H9" t="s"><v></v></c></row>',
    # numbers: untyped text, exponents, styles out of range, dates by built-in and custom formats
    '<row r="1"><c r="A1" t="str"><v>a</v></c><c r="B1" t="str"><v>b</v></c><c r="C1"><v>0.1234567891234</v></c>'
    '<c r="D1"><v>1e20</v></c></row>'
    '<row r="2"><c r="A2"><v>abc</v></c><c r="B2" s="1"><v>44561.5</v></c><c r="C2" s="9"><v>3</v></c>'
    '<c r="D2" s="2"><v>59.5</v></c></row>'
    '<row r="3"><c r="A3" s="3"><v>-0.5</v></c><c r="B3" s="2"><v>60</v></c><c r="C3"><v>1.5e-7</v></c>'
    '<c r="D3" s="1"><v>0</v></c></row>',
])
def test_handmade_xml_matches_fastexcel(tmp_path: Path, case: str):
    path = handmade(tmp_path / "hand.xlsx", case, styles=DATE_STYLES)
    for h in (0, 1, 2):
        assert same_or_unsupported(path, "S", h) == "same", h


def test_shared_strings_rich_text_and_trimming(tmp_path: Path):
    sst = ["<si><t>kop</t></si>", "<si><r><t>ve</t></r><r><rPr><i/></rPr><t>tt</t></r></si>",
           "<si><t>  trimmed  </t></si>", '<si><t xml:space="preserve">  kept  </t></si>',
           "<si><t>tab_x0009_here</t><rPh><t>Y</t></rPh></si>", "<si><t>&lt;&amp;&gt;</t></si>"]
    body = "".join(f'<row r="{i + 1}"><c r="A{i + 1}" t="s"><v>{i}</v></c><c r="B{i + 1}"><v>{i}</v></c></row>'
                   for i in range(len(sst)))
    path = handmade(tmp_path / "sst.xlsx", body, sst=sst)
    assert same_or_unsupported(path, "S", 0) == "same"
    _, table = _ours(path, "S", 0)
    assert table.column(0).to_pylist() == ["vett", "trimmed", "  kept  ", "tab\there", "<&>"]


def test_a_cell_whose_reference_names_another_row(tmp_path: Path):
    """The fast pattern takes the row's number; a cell that names another row must be placed by its own reference."""
    rows = ['<row r="1"><c r="A1" t="str"><v>a</v></c><c r="B1" t="str"><v>b</v></c></row>']
    rows += [f'<row r="{i}"><c r="A{i}"><v>{i}</v></c><c r="B{i}" t="str"><v>v{i}</v></c></row>' for i in range(2, 1500)]
    rows.append('<row r="1500"><c r="A1500"><v>1</v></c><c r="B1502" t="str"><v>moved</v></c></row>')
    rows += [f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1503, 1600)]
    path = handmade(tmp_path / "moved.xlsx", "".join(rows))
    assert same_or_unsupported(path, "S", 0, chunk_bytes=8 * 1024) == "same"
    _, table = _ours(path, "S", 0, chunk_bytes=8 * 1024)
    assert table.column("b").to_pylist()[1499:1502] == [None, "moved", None]


def test_durations(tmp_path: Path):
    """[h]:mm:ss cells: a duration column, and durations after the type sample in every other kind of column."""
    head = '<row r="1">' + "".join(f'<c r="{c}1" t="str"><v>{c}</v></c>' for c in "ABCDE") + "</row>"
    rows = [head] + [f'<row r="{i}"><c r="A{i}" s="4"><v>{i / 7}</v></c><c r="B{i}" t="str"><v>x</v></c>'
                     f'<c r="C{i}"><v>{i}</v></c><c r="D{i}" s="1"><v>{40000 + i}</v></c><c r="E{i}" t="b"><v>1</v></c>'
                     "</row>" for i in range(2, 1003)]
    later = [("<v>1.5</v>", ' s="4"'), ("<v>2.25</v>", ""), ("<v>01:00:00</v>", ' t="str"'), ("<v>1</v>", ' t="b"'),
             ("<v>#N/A</v>", ' t="e"'), ("<v>-0.5</v>", ' s="4"'), ("<v>1e300</v>", ' s="4"'), ("<v>40000</v>", ' s="1"')]
    for k, (v, a) in enumerate(later):
        i = 1003 + k
        rows.append(f'<row r="{i}">' + "".join(f'<c r="{c}{i}"{a}>{v}</c>' for c in "ABCDE") + "</row>")
    path = handmade(tmp_path / "duur.xlsx", "".join(rows), styles=DATE_STYLES)
    assert same_or_unsupported(path, "S", 0) == "same"
    out, table = _ours(path, "S", 0)
    assert table.schema.field("A").type == pa.duration("ms")
    assert table.column("A").cast(pa.int64()).to_pylist()[1001] == 129_600_000  # 1.5 days
    assert table.column("B").to_pylist()[1001] == "1900-01-01 12:00:00"
    assert same_or_unsupported(path, "S", 0, chunk_bytes=8 * 1024) == "same"


def test_1904_dates(tmp_path: Path):
    body = ('<row r="1"><c r="A1" t="str"><v>d</v></c></row><row r="2"><c r="A2" s="1"><v>0</v></c></row>'
            '<row r="3"><c r="A3" s="1"><v>43000.25</v></c></row>')
    path = handmade(tmp_path / "mac.xlsx", body, styles=DATE_STYLES, date1904=True)
    assert same_or_unsupported(path, "S", 0) == "same"
    _, table = _ours(path, "S", 0)
    assert table.column("d").to_pylist()[0] == dt.datetime(1904, 1, 1)


@pytest.mark.parametrize(("body", "reason"), [
    ('<row r="1"><c r="A1" t="str"><v>t</v></c></row><row r="2"><c r="A2" s="4"><v>1.5</v></c></row>'
     '<row r="3"><c r="A3"><v>2</v></c></row>', "durations beside"),
    ('<row r="1"><c r="A1" t="str"><v>t</v></c></row><row r="2"><c r="A2" t="d"><v>2022-01-01</v></c></row>', "t="),
    ('<row r="1"><c r="A1" t="str"><v>t</v></c></row><row r="2"><c r="A2" t="e"><v>#NAME?</v></c></row>', "Name"),
    ('<row r="1"><c r="A1" t="s"><v>7</v></c></row>', "shared string"),
    ('<row r="1"><c r="A1" t="str"><v>t</v></c></row><row r="3"><c r="A3"><v>1</v></c></row>'
     '<row r="2"><c r="A2"><v>1</v></c><c r="A2"><v>2</v></c></row>', "twice"),
])
def test_what_is_not_reproduced_is_refused(tmp_path: Path, body: str, reason: str):
    path = handmade(tmp_path / "odd.xlsx", body, styles=DATE_STYLES, sst=[])
    members, sst, styles = _members(path)
    ipc = tmp_path / "out.arrows"
    with pytest.raises(Unsupported, match=reason):
        read_sheet(path, members["S"], sst, styles, 0, out_path=ipc)
    assert not ipc.exists()


def test_namespace_prefixed_sheets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """<x:row>, <x:c>, <x:v> as the OpenXML SDK writes them: calamine reads local names, so must we (fast pattern too)."""
    rows = ['<x:row r="1"><x:c r="A1" t="str"><x:v>a</x:v></x:c><x:c r="B1" t="str"><x:v>b</x:v></x:c></x:row>']
    rows += [f'<x:row r="{i}"><x:c r="A{i}"><x:v>{i}</x:v></x:c><x:c r="B{i}" t="inlineStr"><x:is><x:t>t{i}</x:t>'
             "</x:is></x:c></x:row>" for i in range(2, 10)]
    rows += [f'<x:row r="{i}"><x:c r="A{i}"><x:v>{i}</x:v></x:c><x:c r="B{i}" t="str"><x:v>&lt;{i}</x:v></x:c>'
             "</x:row>" for i in range(10, 1100)]
    rows += [f'<x:row r="{i}"><x:c r="A{i}"><x:v>{i}.5</x:v></x:c><x:c r="B{i}" t="str"><x:v>s{i}</x:v></x:c>'
             "</x:row>" for i in range(1100, 1500)]
    path = handmade(tmp_path / "x.xlsx", "")
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/worksheets/sheet1.xml"] = (f'<?xml version="1.0"?><x:worksheet {NS.replace("xmlns", "xmlns:x")}>'
                                         f'<x:sheetData>{"".join(rows)}</x:sheetData></x:worksheet>').encode()
    with zipfile.ZipFile(path, "w") as z:
        for n, b in parts.items():
            z.writestr(n, b)
    seen = {"fast": 0}
    fast_rows = xlsx_stream._fast_rows

    def counting(pieces, *args):
        ok, table = fast_rows(pieces, *args)
        seen["fast"] += int(ok.sum())
        return ok, table

    monkeypatch.setattr(xlsx_stream, "_fast_rows", counting)
    assert same_or_unsupported(path, "S", 0, chunk_bytes=8 * 1024) == "same"
    assert seen["fast"] > 300


def test_a_column_first_seen_after_the_type_sample_is_refused(tmp_path: Path):
    rows = ['<row r="1"><c r="A1" t="str"><v>a</v></c></row>']
    rows += [f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(2, 1200)]
    rows.append('<row r="1200"><c r="A1200"><v>1</v></c><c r="C1200"><v>1</v></c></row>')
    path = handmade(tmp_path / "late.xlsx", "".join(rows))
    assert same_or_unsupported(path, "S", 0, chunk_bytes=4096) == "unsupported"


def test_the_ipc_stream_is_what_the_parent_reads(tmp_path: Path):
    """Written batch by batch to a file, read back by polars as parse's IPC bytes are."""
    import polars as pl

    path = _mixed_workbook(tmp_path / "gemengd.xlsx")
    ipc = tmp_path / "sheet.arrows"
    out, table = _ours(path, "Gemengd", 2, out_path=ipc, batch_rows=500)
    assert out.batches is None and out.out_path == str(ipc)
    df = pl.read_ipc(ipc)
    assert df.height == out.rows == 1423
    assert df.columns == out.names
    assert df["getal"].dtype == pl.Float64 and df["datum"].dtype == pl.Datetime("ms")
    assert df["getal"][3] == 3.75


def test_rust_number_texts():
    assert xlsx_stream.excel_float_to_string(29.020000000000003) == "29.02"
    assert xlsx_stream.excel_float_to_string(10000.0) == "10000"
    assert xlsx_stream.rust_display_float(1e20) == "100000000000000000000"
    assert xlsx_stream.rust_display_float(1.5e-7) == "0.00000015"
    assert xlsx_stream.rust_debug_float(45052.29733217593) == "45052.29733217593"
    assert xlsx_stream.rust_debug_float(1e300) == "1e300"
    assert xlsx_stream.rust_debug_float(1.0) == "1.0"
    assert xlsx_stream.rust_debug_str('a"b\\c\n') == '"a\\"b\\\\c\\n"'
    assert xlsx_stream.detect_custom_format("dd/mm/yyyy") == 1
    assert xlsx_stream.detect_custom_format("[h]:mm:ss") == 2
    assert xlsx_stream.detect_custom_format('#,##0.00 "EUR"') == 0
    assert xlsx_stream.detect_custom_format("0.00;[Red]-0.00") == 0


@pytest.mark.skipif(CORPUS is None, reason="shared/corpus is not present")
def test_foreign_corpus_same_or_unsupported():
    """Every sheet of every .xlsx in the corpus, from row 1 and row 2: identical to fastexcel or refused."""
    outcomes: dict[str, int] = {"same": 0, "unsupported": 0}
    for path in sorted(CORPUS.rglob("*.xlsx")):
        try:
            members, _, _ = _members(path)
        except (zipfile.BadZipFile, KeyError, OSError):
            continue
        for name in members:
            for h in (0, 1):
                outcomes[same_or_unsupported(path, name, h)] += 1
    assert outcomes["same"] >= 240, outcomes


def _attendance(path: Path, rows: int) -> Path:
    """A delivery as Excel saves it: shared strings, a date column by style, a number column."""
    strings: dict[str, int] = {}

    def s(text: str) -> int:
        return strings.setdefault(text, len(strings))

    head = ["Bijeenkomst", "Deelnemer", "Organisatie", "Datum", "Uren"]
    body = ['<row r="1" spans="1:5">' + "".join(f'<c r="{chr(65 + c)}1" t="s" s="2"><v>{s(h)}</v></c>'
                                               for c, h in enumerate(head)) + "</row>"]
    for r in range(2, rows + 2):
        body.append(f'<row r="{r}" spans="1:5"><c r="A{r}" t="s"><v>{s(f"M{r % 97:03d}")}</v></c>'
                    f'<c r="B{r}" t="s"><v>{s(f"deelnemer{r % 500}@voorbeeld.nl")}</v></c>'
                    f'<c r="C{r}" t="s"><v>{s(f"Gemeente {r % 37}")}</v></c>'
                    f'<c r="D{r}" s="1"><v>{44197 + r % 700}</v></c><c r="E{r}"><v>{r % 9 * 0.5}</v></c></row>')
    sst = [f"<si><t>{t}</t></si>" for t in strings]
    return handmade(path, "".join(body), sst=sst, styles=DATE_STYLES)


def test_rows_of_the_usual_shape_take_the_fast_pattern(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = _attendance(tmp_path / "aanwezigheid.xlsx", 6000)
    seen = {"fast": 0, "all": 0}
    fast_rows = xlsx_stream._fast_rows

    def counting(pieces, *args):
        ok, table = fast_rows(pieces, *args)
        seen["fast"] += int(ok.sum())
        seen["all"] += len(ok)
        return ok, table

    monkeypatch.setattr(xlsx_stream, "_fast_rows", counting)
    assert same_or_unsupported(path, "S", 0, chunk_bytes=32 * 1024) == "same"
    assert seen["all"] > 4000 and seen["fast"] == seen["all"]


def test_a_sheet_of_unusual_rows_is_left_to_calamine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Rows the fast pattern cannot take cost Python time per cell: past a budget the sheet is refused."""
    rows = ['<row r="1"><c r="A1" t="str"><v>a</v></c><c r="B1" t="str"><v>b</v></c></row>']
    rows += [f'<row r="{i}"><c r="A{i}"><v>{i}</v></c><c r="B{i}"><v>1</v></c></row>' for i in range(2, 1200)]
    rows += [f"<row><c><v>{i}</v></c><c><v>2</v></c></row>" for i in range(1200, 1400)]  # no references
    path = handmade(tmp_path / "odd.xlsx", "".join(rows))
    assert same_or_unsupported(path, "S", 0, chunk_bytes=4096) == "same"
    monkeypatch.setattr(xlsx_stream, "SLOW_ROWS", 50)
    with pytest.raises(Unsupported, match="unusual shape"):
        _ours(path, "S", 0, chunk_bytes=4096)


def _random_sheet(seed: int) -> tuple[str, list[str]]:
    """Sheet XML of random cells: every value kind, gaps, cells without references, a type change after row 1000."""
    import random

    rnd = random.Random(seed)
    texts = ["ja", "nee", "  ", "", "NA", "null", "Gemeente Zwolle", "é ü ß", 'q"uote', "a\\b", "12", "1e3", " 7 ",
             "2022-01-05", "x & y", "<tag>", "regel\nnieuw", "€ 1.234,56"]
    sst = [f'<si><t xml:space="preserve">{_xml(t)}</t></si>' for t in texts]
    cols = rnd.randint(2, 7)
    kinds = [rnd.choice(["num", "text", "date", "bool", "mixed", "sparse", "dur"]) for _ in range(cols)]
    switch = [rnd.choice(["num", "text", "date", "bool", "err", "none", "dur"]) for _ in range(cols)]

    def cell(kind: str, ref: str) -> str:
        if kind == "mixed":
            kind = rnd.choice(["num", "text", "date", "bool", "err", "str"])
        if kind == "sparse":
            kind = "num" if rnd.random() < 0.2 else "none"
        if kind == "num":
            return f'<c{ref}><v>{rnd.choice([rnd.randint(-5, 99999), round(rnd.uniform(-1e6, 1e6), rnd.randint(0, 12))])}</v></c>'
        if kind == "date":
            return f'<c{ref} s="{rnd.choice([1, 2])}"><v>{round(rnd.uniform(1, 50000), rnd.choice([0, 0, 5]))}</v></c>'
        if kind == "dur":
            return f'<c{ref} s="4"><v>{round(rnd.uniform(-2, 900), rnd.choice([0, 6]))}</v></c>'
        if kind == "text":
            return f'<c{ref} t="s"><v>{rnd.randrange(len(texts))}</v></c>'
        if kind == "str":
            return f'<c{ref} t="str"><f>X</f><v>{_xml(rnd.choice(texts))}</v></c>'
        if kind == "bool":
            return f'<c{ref} t="b"><v>{rnd.randint(0, 1)}</v></c>'
        if kind == "err":
            return f'<c{ref} t="e"><v>{rnd.choice(["#N/A", "#DIV/0!", "#REF!", "#VALUE!"])}</v></c>'
        return f'<c{ref} s="3"/>' if rnd.random() < 0.3 else ""

    rows = []
    header = 1 + rnd.randint(0, 3)
    rows.append(f'<row r="{header}">' + "".join(f'<c r="{chr(66 + c)}{header}" t="str"><v>k{c % 4}</v></c>'
                                                 for c in range(cols)) + "</row>")
    r = header
    for i in range(1300):
        r += 1 if rnd.random() < 0.97 else rnd.randint(2, 5)
        kind_of = kinds if i < 1100 else [k if rnd.random() < 0.8 else switch[c] for c, k in enumerate(kinds)]
        no_refs = rnd.random() < 0.02
        cells = [cell(kind_of[c], "" if no_refs else f' r="{chr(66 + c)}{r}"') for c in range(cols)]
        if no_refs:
            cells = ['<c s="3"/>'] + [c or '<c s="3"/>' for c in cells]
        rows.append(f'<row r="{r}">' + "".join(cells) + "</row>")
    return "".join(rows), sst


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@pytest.mark.parametrize("seed", range(int(__import__("os").environ.get("XLSX_STREAM_SEEDS", "12"))))
def test_random_sheets_match_fastexcel(tmp_path: Path, seed: int):
    body, sst = _random_sheet(seed)
    path = handmade(tmp_path / f"random{seed}.xlsx", body, sst=sst, styles=DATE_STYLES)
    outcomes = {same_or_unsupported(path, "S", h, chunk_bytes=16 * 1024) for h in (0, 3)}
    assert outcomes <= {"same", "unsupported"}


def test_an_openpyxl_workbook_matches_fastexcel(tmp_path: Path):
    """Another writer's XML (openpyxl: its own attribute order, styles and date formats)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Mijlpalen"
    ws.append(["Mijlpalen 2022"])
    ws.append([])
    ws.append(["Onderdeel", "Mijlpaal", "Gepland", "Gereed", "Voortgang", "Status"])
    for i in range(1500):
        ws.append([f"OT{i % 6 + 1}", f"mijlpaal {i}", dt.date(2022, 1, 1) + dt.timedelta(days=i % 400),
                   dt.datetime(2022, 3, 1, 12, 30) if i % 5 == 0 else None, i % 101 / 100,
                   "gereed" if i % 3 else True])
    ws.cell(row=1600, column=3, value="Q3 2022")
    ws.cell(row=1601, column=5, value="=1/0")
    path = tmp_path / "openpyxl.xlsx"
    wb.save(path)
    assert same_or_unsupported(path, "Mijlpalen", 2) == "same"
    assert same_or_unsupported(path, "Mijlpalen", 2, chunk_bytes=16 * 1024) == "same"


def _read_in_child(path: str, member: str, sst: str | None, styles: str | None, out: str) -> tuple[int, list[str]]:
    got = read_sheet(path, member, sst, styles, 0, out_path=out, isolated=True)
    return got.rows, got.names


def test_in_the_isolated_read_child(tmp_path: Path):
    """As parse_workbook would run it: in guard's forked child with its memory limit, the data handed over as a file."""
    import polars as pl

    path = _attendance(tmp_path / "aanwezigheid.xlsx", 3000)
    members, sst, styles = _members(path)
    ipc = tmp_path / "sheet.arrows"
    rows, names = guard.run_isolated(_read_in_child, str(path), members["S"], sst, styles, str(ipc),
                                     preload=("pyarrow", "numpy"))
    assert rows == 3000 and names == ["Bijeenkomst", "Deelnemer", "Organisatie", "Datum", "Uren"]
    df = pl.read_ipc(ipc)
    _, expected, _ = _theirs(path, "S", 0)
    assert df.height == 3000 and df["Deelnemer"].to_list() == expected["Deelnemer"].to_pylist()
    assert df["Datum"].dtype == pl.Datetime("ms") and df["Uren"].sum() == pytest.approx(sum(r % 9 * 0.5 for r in
                                                                                          range(2, 3002)))
