"""The pydantic-free view of the contract (etl/contract_view.py): the same sheets and columns as the models say."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from etl import contract, contract_view
from etl.contract_view import SheetView

REPO = Path(__file__).resolve().parents[2]


def python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=REPO, capture_output=True, text=True,
                          timeout=120)


def test_views_say_what_the_pydantic_models_say():
    views = contract_view.derive()
    assert [v.sheet for v in views] == [m.sheet for m in contract.SHEETS]
    for v, m in zip(views, contract.SHEETS, strict=True):
        assert (v.table, v.sheet_aliases, v.key) == (m.table, m.sheet_aliases, m.key)
        assert contract_view.columns(v) == contract.columns(m) == contract_view.columns(m)
        assert contract_view.by_sheet(m.sheet) in contract_view.sheets()
    # every name and alias of a sheet finds it (the first sheet to claim a name keeps it), in any case or accents
    claimed: dict[str, str] = {}
    for m in contract.SHEETS:
        for name in (m.sheet, m.table, *m.sheet_aliases):
            claimed.setdefault(contract_view.fold(name), m.sheet)
            assert contract_view.sheet_for(name.upper()).sheet == claimed[contract_view.fold(name)]
    assert contract_view.sheet_for("Enquête").sheet == "Enquete" and contract_view.sheet_for("Blad1") is None


def test_snapshot_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(contract_view, "snapshot_path", lambda: tmp_path / "contract_view-x.json")
    path = contract_view.write_snapshot()
    assert contract_view._from_json(json.loads(path.read_text(encoding="utf-8"))) == contract_view.derive()
    assert all(isinstance(v, SheetView) for v in contract_view._load())


@pytest.mark.parametrize("damage", ["old", "broken"])
def test_an_old_or_damaged_snapshot_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str):
    path = tmp_path / "contract_view-x.json"
    monkeypatch.setattr(contract_view, "snapshot_path", lambda: path)
    if damage == "broken":
        path.write_text("[{", encoding="utf-8")
    # "old": no file under the current digest (a snapshot of an edited contract has another name)
    assert contract_view._load() == contract_view.derive()


def test_the_snapshot_name_follows_the_contract_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    for name in contract_view.SOURCES:
        (tmp_path / name).write_bytes((Path(contract_view.__file__).parent / name).read_bytes())
    monkeypatch.setattr(contract_view, "_HERE", tmp_path)
    before = contract_view.digest()
    (tmp_path / "contract.py").write_text((tmp_path / "contract.py").read_text(encoding="utf-8") + "\n# edited\n",
                                          encoding="utf-8")
    assert contract_view.digest() != before


def test_the_load_path_needs_no_pydantic_with_a_current_snapshot(tmp_path: Path):
    # what `make bytecode` does; then the reader child and the loader never import pydantic (~0.1 s of CPU each)
    subprocess.run([sys.executable, "-m", "etl.contract_view"], cwd=REPO, check=True, capture_output=True)
    p = python(f"""
        import os, sys
        sys.modules["pydantic"] = None  # importing it now raises
        os.environ["STUURHUT_KEY_FILE"] = {str(tmp_path / "key")!r}
        from tests.conftest import write_workbook
        import datetime as dt
        path = write_workbook({str(tmp_path / "levering.xlsx")!r}, {{
            "Deal": [["Code", "Naam", "Peildatum"], ["CDV", "City Deal Zicht (test)", dt.date(2022, 6, 30)]],
            "Bijeenkomsten": [["ID", "Datum", "Soort"], ["M-1", dt.date(2022, 3, 1), "werksessie"]],
        }})
        from etl.cli import main
        print(main(["load", str(path), "--db", {str(tmp_path / "x.duckdb")!r}, "--json"]))
        print("etl.contract" in sys.modules)
    """)
    assert p.returncode == 0, p.stderr
    *_, code, imported = p.stdout.splitlines()
    assert (code, imported) == ("0", "False")
