"""Stuurhut ETL: read City Deal spreadsheets, normalise, validate against the contract and load into DuckDB."""
