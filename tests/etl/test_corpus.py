"""Every spreadsheet of the foreign corpus (shared/corpus) is read or rejected in bounded time, never with a crash."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from etl import guard
from etl.read import parse_workbook, read_file
from tests.etl.messy import CORPUS
from tests.etl.messy import CORPUS_FILES as FILES


@pytest.mark.skipif(CORPUS is None, reason="shared/corpus is not present")
def test_corpus_is_there():
    assert len(FILES) >= 100


@pytest.mark.skipif(CORPUS is None, reason="shared/corpus is not present")
@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_corpus_file_is_read_or_rejected(path: Path):
    t = time.perf_counter()
    r = read_file(path)
    assert time.perf_counter() - t < 30
    errors = [p for p in r.problems if p.severity == "error"]
    assert r.sheets or errors
    for p in r.problems:
        assert p.file == path.name and p.message and p.severity in ("error", "warning")
    if path.suffix.lower() in (".xlsx", ".xlsm", ".ods"):
        # also parse every sheet as if it were a delivery sheet: the native parse must return or fail contained
        t = time.perf_counter()
        try:
            tables, _ = guard.run_isolated(parse_workbook, str(path), True)
            assert isinstance(tables, list)
        except guard.ChildFailed:
            pass
        assert time.perf_counter() - t < 30


@pytest.mark.skipif(CORPUS is None, reason="shared/corpus is not present")
@pytest.mark.parametrize(("name", "words"), [
    ("calamine/issue_594_dos.ods", "onrealistisch veel"),
    ("calamine/pass_protected.xlsx", "beveiligd met een wachtwoord"),
    ("calamine/pass_protected.ods", "beveiligd met een wachtwoord"),
    ("calamine/any_sheets.xlsx", "geen enkel tabblad herkend"),
])
def test_known_corpus_verdicts(name: str, words: str):
    r = read_file(CORPUS / name)
    assert any(words in p.message for p in r.problems if p.severity == "error")
