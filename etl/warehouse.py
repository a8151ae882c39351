"""(Re)create the warehouse models (staging and marts SQL in etl/sql/) inside a DuckDB file."""

from __future__ import annotations

from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).parent / "sql"
LAYERS = ("staging", "marts")


def model_files() -> list[Path]:
    """Model files in the order they must be created: staging before marts, by file name within a layer."""
    return [p for layer in LAYERS for p in sorted((SQL_DIR / layer).glob("*.sql"))]


def apply_models(con: duckdb.DuckDBPyConnection) -> None:
    """Create or replace every model; each file holds CREATE OR REPLACE statements only."""
    for path in model_files():
        con.execute(path.read_text(encoding="utf-8"))


# Marts kept as tables for the newest deliveries (p_as_of NULL) of every deal: macro -> table. A table macro is
# planned anew on every call (~0.1 s of DuckDB planning for indicator_values, even on tiny data) and the
# dashboard asks the newest state most; the macro stays the definition and answers every other as-of date.
MATERIALISED = {"indicator_values": "indicator_values_now"}


def refresh_materialised(con: duckdb.DuckDBPyConnection, deal: str | None = None) -> list[str]:
    """Recompute the MATERIALISED tables from their macros; call after the data changed (each load, rollback).

    deal: only that deal's rows are recomputed (a load changes one deal; the others' rows stay as they were,
    which on 50 deals is a third of the work); None, or a table that does not exist yet, recomputes everything.
    A table that cannot be computed is dropped rather than left stale (readers then use the macro).
    Returns the Dutch notes of tables that failed.
    """
    notes = []
    for macro, table in MATERIALISED.items():
        try:
            exists = con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = $t AND schema_name = 'main'",
                                 {"t": table}).fetchone()[0]
            if deal is not None and exists:
                con.execute(f"DELETE FROM {table} WHERE deal = $deal", {"deal": deal})  # noqa: S608 - fixed names
                con.execute(f"INSERT INTO {table} SELECT * FROM {macro}($deal, NULL)", {"deal": deal})  # noqa: S608
            else:
                con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM {macro}(NULL, NULL)")  # noqa: S608 - fixed names
        except duckdb.Error as exc:
            con.execute(f"DROP TABLE IF EXISTS {table}")
            notes.append(f"Tabel {table} niet bijgewerkt ({type(exc).__name__}); het dashboard rekent het zelf uit")
    return notes
