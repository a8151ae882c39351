"""`stuurhut load` as scripts use it: exit codes, the exact --json shape and the Dutch text output."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from etl.cli import main
from tests.conftest import write_workbook

REPO = Path(__file__).resolve().parents[2]
DEAL = [["Code", "Naam", "Peildatum"], ["CDX", "City Deal Fictief (test)", dt.date(2022, 6, 30)]]
BUDGET_HEAD = ["Jaar", "Kostensoort", "Post", "Begroot", "Gerealiseerd"]


@pytest.fixture
def good(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "goed.xlsx", {
        "Deal": DEAL, "Begroting": [BUDGET_HEAD, [2022, "basis", "Huur", 100, 50], [2022, "ontwikkeling", "Atelier", 200, None]]})


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "fout.xlsx", {
        "Deal": DEAL, "Begroting": [BUDGET_HEAD, [2022, "basis", "Huur", "twaalf", 50]]})


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["load", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_loaded(capsys, good: Path, tmp_db: Path):
    code, out, _ = run(capsys, str(good), "--db", str(tmp_db), "--json")
    assert code == 0
    data = json.loads(out)
    assert {k: data[k] for k in ("status", "problems", "rows")} == {
        "status": "loaded", "problems": [], "rows": {"Deal": 1, "Begroting": 2}}
    assert set(data) >= {"status", "problems", "rows", "warnings"}


def test_json_rejected_exact_problem_shape(capsys, bad: Path, tmp_db: Path):
    code, out, _ = run(capsys, str(bad), "--db", str(tmp_db), "--json")
    assert code == 1
    data = json.loads(out)
    assert data["status"] == "rejected"
    assert data["problems"] == [{"file": "fout.xlsx", "sheet": "Begroting", "row": 2, "column": "Begroot",
                                 "message": "'twaalf' is geen bedrag; verwacht een bedrag zoals 1.234,56 of € 1.234"}]
    assert data["rows"] == {"Deal": 1, "Begroting": 1}
    assert not tmp_db.exists()


def test_text_output(capsys, good: Path, bad: Path, tmp_db: Path):
    code, out, _ = run(capsys, str(good), "--db", str(tmp_db))
    assert (code, out) == (0, "geladen: 1 rij Deal, 2 rijen Begroting\n")
    code, out, _ = run(capsys, str(good), "--db", str(tmp_db))
    assert (code, out) == (0, "al geladen, niets gewijzigd: Deal, Begroting\n")
    code, out, _ = run(capsys, str(bad), "--db", str(tmp_db))
    assert code == 1
    assert out == ("afgekeurd, niets geladen: 1 probleem\n"
                   "fout.xlsx\n"
                   "  Begroting\n"
                   "    rij 2, Begroot: 'twaalf' is geen bedrag; verwacht een bedrag zoals 1.234,56 of € 1.234\n")


def test_dry_run(capsys, good: Path, tmp_db: Path):
    code, out, _ = run(capsys, str(good), "--db", str(tmp_db), "--dry-run")
    assert (code, out) == (0, "in orde (proefrun, niets geladen): 1 rij Deal, 2 rijen Begroting\n")
    assert not tmp_db.exists()


def test_missing_file_exit_2(capsys, tmp_path: Path, tmp_db: Path):
    code, out, err = run(capsys, str(tmp_path / "weg.xlsx"), "--db", str(tmp_db), "--json")
    assert code == 2
    assert out == ""
    assert err == f"stuurhut: Bestand niet gevonden: {tmp_path / 'weg.xlsx'}\n"


def test_directory_as_file_exit_2(capsys, tmp_path: Path, tmp_db: Path):
    code, _, err = run(capsys, str(tmp_path), "--db", str(tmp_db))
    assert code == 2
    assert err == f"stuurhut: Geen bestand: {tmp_path}\n"


def test_no_deal_exit_1(capsys, tmp_path: Path, tmp_db: Path):
    f = write_workbook(tmp_path / "b.xlsx", {"Begroting": [BUDGET_HEAD, [2022, "basis", "Huur", 1, None]]})
    code, out, _ = run(capsys, str(f), "--db", str(tmp_db), "--json")
    assert code == 1
    assert json.loads(out)["problems"][0]["message"].startswith("Geen tabblad Deal en geen --deal opgegeven: ")


def test_console_script_in_subprocess(good: Path, tmp_db: Path):
    """The real process: what scripts see, including the default --db from STUURHUT_DB."""
    env = dict(os.environ, STUURHUT_DB=str(tmp_db))
    p = subprocess.run([sys.executable, "-m", "etl.cli", "load", str(good), "--json"], cwd=REPO, env=env,
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["rows"] == {"Deal": 1, "Begroting": 2}
    assert tmp_db.exists()
    p = subprocess.run([sys.executable, "-m", "etl.cli", "load", "--bogus"], cwd=REPO, env=env,
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 2


def test_serve_execs_streamlit_with_db(monkeypatch, tmp_db: Path, tmp_path: Path):
    import etl.serve

    calls = []
    monkeypatch.setattr(etl.serve.os, "execvpe", lambda prog, argv, env: calls.append((prog, argv, env, os.getcwd())))
    monkeypatch.chdir(tmp_path)
    tmp_db.write_bytes(b"")
    assert main(["serve", "--port", "8765", "--db", str(tmp_db)]) == 0
    ((prog, argv, env, cwd),) = calls
    assert prog == sys.executable
    assert argv == [sys.executable, "-m", "dashboard.server", "--server.port", "8765"]
    assert env["STUURHUT_DB"] == str(tmp_db.absolute())
    assert cwd == str(REPO)


def test_progress_shows_on_stderr_after_a_second(monkeypatch, capsys):
    import etl.load

    p = etl.load._StderrProgress()
    p("lezen: groot.xlsx")
    monkeypatch.setattr(p, "start", p.start - 5)
    import time

    time.sleep(0.6)
    p.close()
    assert "bezig (5 s): lezen: groot.xlsx" in capsys.readouterr().err


def test_output_into_a_closed_pipe_gives_no_traceback(tmp_path) -> None:
    # `stuurhut load ... | head`: the reader stops early; no Python traceback on stderr, exit 141 like Unix tools
    import subprocess
    import sys

    code = ("import sys, dashboard.queries.cli as c\n"
            "def boom(args):\n    raise BrokenPipeError\n"
            "c.cli_deals = boom\n"
            "from etl.cli import main\n"
            f"sys.exit(main(['deals', '--db', {str(tmp_path / 'x.duckdb')!r}]))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 141
    assert "Traceback" not in out.stderr
