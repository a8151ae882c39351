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
