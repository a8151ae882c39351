"""Overzicht 'Wat is er veranderd': a deal's first delivery says so instead of 'nothing changed'."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl
from streamlit.testing.v1 import AppTest

from dashboard.queries import overview
from tests.pages.conftest import APP


def _texts(query: dict) -> list[str]:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update(query)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return [m.value for m in at.markdown]


def test_first_delivery_says_there_is_nothing_to_compare_with(app_env: Path) -> None:
    texts = _texts({"deal": "CDXX"})  # one delivery only
    assert "Dit is de eerste levering: er is nog geen vorige levering om mee te vergelijken." in texts
    assert "Geen indicator is veranderd sinds de vorige levering." not in texts


def test_has_previous_reads_the_previous_values() -> None:
    assert overview.has_previous(pl.DataFrame({"previous_value": [None, 3.0]})) is True
    assert overview.has_previous(pl.DataFrame({"previous_value": [None, None]}, schema={"previous_value": pl.Float64})) is False
    assert overview.has_previous(pl.DataFrame({"value": [1.0]})) is False


def test_open_bottlenecks_in_a_static_table_with_every_sentence_in_full(app_env: Path) -> None:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update({"deal": "CDTS"})
    at.run()
    (table,) = [t.value for t in at.table if "Knelpunt" in t.value.columns]

    def shown(column: str) -> list[str]:  # st.table renders Markdown: the cells are escaped, the reader sees this
        return [re.sub(r"\\(.)", r"\1", v) for v in table[column]]

    assert shown("Datum") == ["08\u201102\u20112022", "06\u201109\u20112022"]  # non-breaking hyphens
    assert shown("Knelpunt") == ["Te weinig financieel strategen", "Eigenaar na 2023 onduidelijk"]
    assert shown("Actie") == ["Directeuren vragen", "–"]
    assert not [d for d in at.dataframe if "Knelpunt" in d.value.columns]
