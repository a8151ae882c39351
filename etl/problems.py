"""The shapes passed between reading, validation and loading: problems and read sheets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # no polars at run time: the reader child imports this module and must not load polars
    import polars as pl

    from etl.contract_view import SheetView


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a delivery, in Dutch, located as a spreadsheet user sees it.

    sheet and column are the Dutch contract names ("Begroting", "Gerealiseerd") when known,
    otherwise the name found in the file; row is the row number Excel shows, None for a whole
    sheet or file.
    """

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    message: str
    severity: str = "error"  # "error" rejects the delivery; "warning" is kept as a data-quality note

    def as_json(self) -> dict:
        return {"file": self.file, "sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}


@dataclass
class RawSheet:
    """A sheet as read from a file, headers matched to the contract, values not yet normalised.

    frame: one column per matched contract field (named by the field name, e.g. "budgeted"),
    values as read (str, int, float, date, datetime or null), plus "__row": the Excel row number.
    Unmatched columns are dropped (reported as warnings); title rows, empty rows and a closing
    Totaal row are already removed. A big streamed sheet read in slices (etl/read.py SheetChunks) has its rows in
    `chunks` instead: frame is then an empty frame with the columns, and chunks.frames() gives the rows.
    """

    file: str  # file name as delivered (basename)
    source_sheet: str | None  # sheet name inside the workbook, None for CSV
    model: SheetView  # the contract sheet (etl.contract_view)
    frame: pl.DataFrame
    sha256: str
    header_row: int  # Excel row number of the header row
    extra: dict = field(default_factory=dict)  # e.g. {"wave": "2021-11"} for a Forms export
    chunks: Any = None  # etl.read.SheetChunks of a sheet read in slices, else None

    @property
    def height(self) -> int:
        """The data rows taken from the sheet."""
        return self.chunks.height if self.chunks is not None else self.frame.height

    def is_empty(self) -> bool:
        """No data rows (for a sheet read in slices: without reading them all)."""
        return not self.chunks.has_rows() if self.chunks is not None else self.frame.height == 0

    def close(self) -> None:
        """Remove what a sheet read in slices keeps on disk (the reader's IPC file)."""
        if self.chunks is not None:
            self.chunks.close()


@dataclass
class ReadResult:
    sheets: list[RawSheet]
    problems: list[Problem]
