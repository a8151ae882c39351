"""DuckDB storage layout derived from the contract: one raw table per sheet plus delivery metadata."""

from __future__ import annotations

import duckdb

from etl.contract_view import DERIVED, DUCKDB_TYPES, SheetView, columns, sheets

# Every raw row knows its delivery and the row number Excel shows for it.
LINEAGE = (("delivery_id", "INTEGER NOT NULL"), ("source_row", "INTEGER"))

META_DDL = """
CREATE SCHEMA IF NOT EXISTS meta;
CREATE SCHEMA IF NOT EXISTS raw;
CREATE SEQUENCE IF NOT EXISTS meta.delivery_seq START 1;
CREATE SEQUENCE IF NOT EXISTS meta.batch_seq START 1;
-- grain: one row per delivered sheet (a workbook with five sheets is five deliveries in one batch)
CREATE TABLE IF NOT EXISTS meta.deliveries (
    delivery_id INTEGER PRIMARY KEY,
    batch_id INTEGER NOT NULL,
    deal VARCHAR NOT NULL,
    sheet VARCHAR NOT NULL,          -- contract sheet name (Dutch), e.g. 'Begroting'
    table_name VARCHAR NOT NULL,     -- raw table, e.g. 'budget'
    file VARCHAR NOT NULL,           -- file name as delivered (no directories)
    source_sheet VARCHAR,            -- sheet name inside the file (NULL for CSV)
    sha256 VARCHAR NOT NULL,         -- of the whole file
    loaded_at TIMESTAMP NOT NULL,
    peildatum DATE,                  -- the date the data describes
    rows INTEGER NOT NULL,
    rolled_back_at TIMESTAMP         -- set by a rollback; the delivery is then no longer current
);
-- grain: one row per non-fatal data-quality warning of a delivery
CREATE TABLE IF NOT EXISTS meta.warnings (
    delivery_id INTEGER NOT NULL,
    sheet VARCHAR,
    row INTEGER,
    "column" VARCHAR,
    message VARCHAR NOT NULL
);
"""


def raw_table_ddl(model: SheetView) -> str:
    cols = [f"{n} {t}" for n, t in LINEAGE]
    cols += [f'"{c.name}" {DUCKDB_TYPES[c.kind]}' for c in columns(model)]
    cols += [f'"{n}" {t}' for n, t in DERIVED.get(model.table, {}).items()]
    return f"CREATE TABLE IF NOT EXISTS raw.{model.table} (\n    " + ",\n    ".join(cols) + "\n);"


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the meta and raw tables if missing (idempotent)."""
    con.execute(META_DDL)
    for model in sheets():
        con.execute(raw_table_ddl(model))
