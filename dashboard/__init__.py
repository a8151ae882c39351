"""Stuurhut dashboard library: data access, queries, charts and UI components."""
