"""ODS number cells in columns that mix numbers and text: found per sheet row, repeats counted."""

from __future__ import annotations

import zipfile
from pathlib import Path

from etl import ods
from tests.etl.messy import rewrite_member, write_ods

ROWS = [["Jaar", "Kostensoort", "Post", "Begroot"],
        [2022, "basis", "Huur", 1.234],
        [2022, "basis", "Catering", "€ 2.500,00"],
        [2022, "ontwikkeling", "Atelier", 12500]]


def test_number_cells_of_a_mixed_column(tmp_path: Path) -> None:
    path = write_ods(tmp_path / "b.ods", {"Andere": [["Begroot"], [1.5], [2.5]], "Begroting": ROWS})
    with zipfile.ZipFile(path) as zf:
        assert ods.number_cells(zf, "Begroting", {3, 2}, below=1) == {3: [2, 4], 2: []}
        assert ods.number_cells(zf, "Begroting", {0}, below=2) == {0: [3, 4]}
        assert ods.number_cells(zf, "Andere", {0}, below=1) == {0: [2, 3]}
        assert ods.number_cells(zf, "Bestaat niet", {0}, below=1) == {0: []}


def test_repeated_rows_and_columns_count_as_calamine_counts_them(tmp_path: Path) -> None:
    path = write_ods(tmp_path / "b.ods", {"Begroting": [["Post", "Begroot"], ["Huur", 1.5]]})

    def repeat(xml: bytes) -> bytes:  # the data row twice, its first cell spanning two columns
        xml = xml.replace(b"<table:table-row><table:table-cell office:value-type=\"string\"><text:p>Huur",
                          b"<table:table-row table:number-rows-repeated=\"2\"><table:table-cell "
                          b"table:number-columns-repeated=\"2\" office:value-type=\"string\"><text:p>Huur", 1)
        assert b"number-rows-repeated" in xml
        return xml

    forged = rewrite_member(path, tmp_path / "r.ods", "content.xml", repeat)
    with zipfile.ZipFile(forged) as zf:
        assert ods.number_cells(zf, "Begroting", {1, 2}, below=1) == {1: [], 2: [2, 3]}


def test_broken_content_gives_none(tmp_path: Path) -> None:
    path = write_ods(tmp_path / "b.ods", {"Begroting": ROWS})
    broken = rewrite_member(path, tmp_path / "x.ods", "content.xml", lambda xml: xml[: len(xml) // 2] + b"<<<")
    with zipfile.ZipFile(broken) as zf:
        assert ods.number_cells(zf, "Begroting", {3}, below=1) is None
