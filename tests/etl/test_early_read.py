"""`stuurhut load` forks the reader child before its heavy imports; the same parse still works inside a server."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from etl import begin, guard
from etl.read import read_file
from tests.conftest import write_workbook

REPO = Path(__file__).resolve().parents[2]
DEAL = [["Code", "Naam", "Peildatum"], ["CDX", "City Deal Fictief (test)", dt.date(2022, 6, 30)]]
MEETINGS = [["ID", "Datum", "Soort"]] + [[f"M-{i}", dt.date(2022, 1, 1) + dt.timedelta(days=i), "werksessie"]
                                         for i in range(300)]


def python(code: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=REPO, capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "levering.xlsx", {"Deal": DEAL, "Bijeenkomsten": MEETINGS})


def test_starting_a_read_needs_neither_polars_nor_the_contract():
    p = python("""
        import sys
        import etl.begin, etl.cli
        heavy = ("polars", "pyarrow", "duckdb", "numpy", "pydantic", "etl.contract")
        print([m for m in heavy if m in sys.modules])
        import etl.parse  # what the child runs: the contract's view, no polars
        print([m for m in ("polars", "pyarrow", "duckdb") if m in sys.modules])
        import etl.ods, etl.xlsx_stream  # the child's readers of ODS number cells and of big sheets
        print([m for m in ("polars", "duckdb") if m in sys.modules])
    """)
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines() == ["[]", "[]", "[]"]


def test_cli_forks_the_reader_before_importing_polars_duckdb_and_the_contract(workbook: Path, tmp_path: Path):
    db, key = tmp_path / "x.duckdb", tmp_path / "key"
    p = python(f"""
        import os, sys
        os.environ["STUURHUT_KEY_FILE"] = {str(key)!r}
        from etl import guard
        forks = []
        real = guard.Isolated.__init__
        def spy(self, *a, **k):
            forks.append(sorted(m for m in ("polars", "duckdb", "pyarrow", "etl.contract", "etl.load")
                                if m in sys.modules))
            real(self, *a, **k)
        guard.Isolated.__init__ = spy
        from etl.cli import main
        code = main(["load", {str(workbook)!r}, "--db", {str(db)!r}, "--json"])
        print("forks", forks, code, file=sys.stderr)
    """)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["rows"] == {"Deal": 1, "Bijeenkomsten": 300}
    # one child, forked before any heavy import
    assert [ln for ln in p.stderr.splitlines() if ln.startswith("forks")] == ["forks [[]] 0"]


def test_load_inside_a_process_whose_polars_threads_run(workbook: Path, tmp_path: Path):
    # the dashboard's upload path: polars imported and its thread pool busy before the child is forked
    p = python(f"""
        import os
        os.environ["STUURHUT_KEY_FILE"] = {str(tmp_path / "key")!r}
        import polars as pl
        assert pl.DataFrame({{"x": list(range(200_000))}}).select(pl.col("x").sum()).item() == 19999900000
        from etl.load import load_files
        r = load_files([{str(workbook)!r}], {str(tmp_path / "s.duckdb")!r})
        print(r.status, r.rows)
    """, timeout=60)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "loaded {'Deal': 1, 'Bijeenkomsten': 300}"


def test_begin_early_skips_bad_paths_and_csv(tmp_path: Path, workbook: Path):
    assert begin.begin_early([tmp_path / "nergens.xlsx"]) == {}
    assert begin.begin_early([workbook, tmp_path / "nergens.xlsx"]) == {}  # the loader reports the usage error
    csv = tmp_path / "begroting.csv"
    csv.write_text("Jaar;Kostensoort;Post;Begroot\n2022;basis;Huur;10\n", encoding="utf-8")
    assert begin.begin_early([csv]) == {}
    started = begin.begin_early([workbook])
    [(path, parsing)] = started.items()
    assert path == workbook and isinstance(parsing, begin.Parsing)
    tables, problems = parsing.tables()
    assert [t.model for t in tables] == ["Deal", "Bijeenkomsten"] and problems == []


def test_cancel_kills_the_child_and_removes_its_output(tmp_path: Path):
    child = guard.Isolated(time.sleep, 30)
    out = Path(child.out_path)
    assert out.exists()
    pid = child.pid
    t = time.perf_counter()
    child.cancel()
    assert time.perf_counter() - t < 5
    assert not out.exists()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no zombie left behind
    with pytest.raises(guard.ChildFailed, match="cancelled"):
        child.result()
    child.cancel()  # twice is harmless


def test_usage_error_after_an_early_start_leaves_no_child(workbook: Path, tmp_path: Path):
    p = python(f"""
        import os, sys
        from etl import guard
        children = []
        real = guard.Isolated.__init__
        def spy(self, *a, **k):
            real(self, *a, **k)
            children.append(self)
        guard.Isolated.__init__ = spy
        from etl.cli import main
        code = main(["load", {str(workbook)!r}, {str(tmp_path / "ontbreekt.xlsx")!r}, "--db", {str(tmp_path / "x.duckdb")!r}])
        print(code, len(children), [c.pid for c in children], [os.path.exists(c.out_path) for c in children])
    """)
    assert p.returncode == 0, p.stderr
    # the missing second file is a usage error found before any child is forked
    assert p.stdout.strip() == "2 0 [] []"
    assert "Bestand niet gevonden" in p.stderr


def test_biggest_sheet_parsed_first_but_sheets_and_warnings_keep_workbook_order(tmp_path: Path):
    path = write_workbook(tmp_path / "volgorde.xlsx", {
        "Deal": DEAL, "Notities": [["Wat", "Wie"], ["x", "y"]], "Bijeenkomsten": MEETINGS,
        "Blad1": [["a", "b"], [1, 2]]})
    r = read_file(path)
    assert [s.model.sheet for s in r.sheets] == ["Deal", "Bijeenkomsten"]
    assert [p.sheet for p in r.problems] == ["Notities", "Blad1"]
    assert all(p.severity == "warning" and "niet herkend" in p.message for p in r.problems)
    assert r.sheets[1].frame.height == 300


def test_load_process_exit_codes_and_complete_output(workbook: Path, tmp_path: Path):
    # `python -m etl.cli load` ends with os._exit after flushing: the output must still be all there
    env = dict(os.environ, STUURHUT_KEY_FILE=str(tmp_path / "key"))
    db = tmp_path / "x.duckdb"
    ok = subprocess.run([sys.executable, "-m", "etl.cli", "load", str(workbook), "--db", str(db)], cwd=REPO, env=env,
                        capture_output=True, text=True, timeout=60)
    assert (ok.returncode, ok.stdout) == (0, "geladen: 1 rij Deal, 300 rijen Bijeenkomsten\n")
    again = subprocess.run([sys.executable, "-m", "etl.cli", "load", str(workbook), "--db", str(db), "--json"],
                           cwd=REPO, env=env, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0 and json.loads(again.stdout)["unchanged"] == ["Deal", "Bijeenkomsten"]
    bad = write_workbook(tmp_path / "fout.xlsx", {"Deal": DEAL, "Bijeenkomsten": [["ID", "Datum", "Soort"],
                                                                                    ["M-1", "gisteren", "werksessie"]]})
    rejected = subprocess.run([sys.executable, "-m", "etl.cli", "load", str(bad), "--db", str(db), "--json"], cwd=REPO,
                              env=env, capture_output=True, text=True, timeout=60)
    assert rejected.returncode == 1
    [problem] = json.loads(rejected.stdout)["problems"]
    assert (problem["sheet"], problem["row"], problem["column"]) == ("Bijeenkomsten", 2, "Datum")
    missing = subprocess.run([sys.executable, "-m", "etl.cli", "load", str(tmp_path / "nergens.xlsx")], cwd=REPO,
                             env=env, capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2 and "Bestand niet gevonden" in missing.stderr


def test_child_without_numpy_parses_like_in_process(tmp_path: Path):
    # the reader child imports pyarrow with numpy blocked: dates, numbers, booleans and error cells come out the same
    import xlsxwriter

    path = tmp_path / "begroting.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    date = wb.add_format({"num_format": "dd-mm-yyyy"})
    ws = wb.add_worksheet("Begroting")
    ws.write_row(0, 0, ["Jaar", "Kostensoort", "Post", "Begroot", "Gerealiseerd", "Datum", "Klaar"])
    for r in range(1, 30):
        ws.write_row(r, 0, [2022, "basis", f"Post {r}", 100.5 * r, r])
        ws.write_datetime(r, 5, dt.datetime(2022, 1, r), date)
        ws.write_boolean(r, 6, r % 2 == 0)
    ws.write_formula(30, 0, "=1/0", None, "#DIV/0!")
    ws.write_row(30, 1, ["basis", "Fout", 1, 1])
    wb.close()
    p = python(f"""
        import sys
        from etl.read import read_file
        r = read_file({str(path)!r})
        print("numpy" in sys.modules)
        for s in r.sheets:
            print(s.frame.write_json())
        for pr in r.problems:
            print(pr)
    """)
    assert p.returncode == 0, p.stderr
    here = read_file(path, isolate=False)
    lines = p.stdout.splitlines()
    assert lines[0] == "False"  # neither the parent nor (so) the child imported numpy
    assert lines[1:] == [s.frame.write_json() for s in here.sheets] + [str(pr) for pr in here.problems]
    assert any("#DEEL/0!" in pr.message for pr in here.problems)


@pytest.mark.parametrize("shape", ["header_on_row_1", "title_rows_fool_the_guess", "biggest_sheet_unknown",
                                   "forms_export"])
def test_early_parse_of_the_biggest_sheet_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shape: str):
    # the child begins the biggest sheet's parse from a guessed header row before it knows the contract; right or
    # wrong, the tables must equal those of the plain in-process parse
    from etl import parse

    rows = [[f"M-{i % 40}", f"Deelnemer {i}", "Gemeente A", "lid", "ja"] for i in range(400)]
    head = ["Bijeenkomst", "Deelnemer", "Organisatie", "Rol", "Aanwezig"]
    sheets: dict[str, list] = {"Deal": DEAL, "Bijeenkomsten": MEETINGS[:41]}
    if shape == "header_on_row_1":
        sheets["Aanwezigheid"] = [head, *rows]
    elif shape == "title_rows_fool_the_guess":  # the first row with two filled cells is a title row, not the header
        sheets["Aanwezigheid"] = [["Aanwezigheid", "2022"], [], head, *rows]
    elif shape == "biggest_sheet_unknown":
        sheets["Berekeningen"] = [["a", "b", "c"], *[[i, i * 2, i * 3] for i in range(3000)]]
        sheets["Aanwezigheid"] = [head, *rows[:10]]
    else:
        sheets["Enquete"] = [["ID", "Start time", "Completion time", "Email", "Hoe tevreden bent u?"],
                             *[[i, dt.datetime(2021, 11, 2), dt.datetime(2021, 11, 2), f"r{i}@x.nl", "Eens"]
                               for i in range(1, 300)]]
    path = write_workbook(tmp_path / f"{shape}.xlsx", sheets)
    scanned = guard.scan_workbook(path)
    monkeypatch.setattr(begin.EarlyParse, "MIN_BYTES", 0)
    early = begin.EarlyParse.begin(str(path), scanned)
    assert early is not None
    guessed = (early.name, early.header_row)
    got = parse.parse_workbook(str(path), scanned=scanned, early=early)
    want = parse.parse_workbook(str(path))
    assert [(t.name, t.model, t.header_row, t.abs_cols, t.errors, t.matched) for t in got[0]] == \
        [(t.name, t.model, t.header_row, t.abs_cols, t.errors, t.matched) for t in want[0]]
    assert [t.data for t in got[0]] == [t.data for t in want[0]]
    assert got[1] == want[1]
    expected_guess = {"header_on_row_1": ("Aanwezigheid", 1), "title_rows_fool_the_guess": ("Aanwezigheid", 1),
                      "biggest_sheet_unknown": ("Berekeningen", 1), "forms_export": ("Enquete", 1)}[shape]
    assert guessed == expected_guess
    real = {t.name: t.header_row for t in want[0]}
    assert real.get(guessed[0]) == {"header_on_row_1": 1, "title_rows_fool_the_guess": 3, "biggest_sheet_unknown": None,
                                    "forms_export": 1}[shape]


def test_early_parse_is_taken_once_and_only_for_its_guess(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = write_workbook(tmp_path / "b.xlsx", {"Deal": DEAL, "Bijeenkomsten": MEETINGS})
    monkeypatch.setattr(begin.EarlyParse, "MIN_BYTES", 0)
    early = begin.EarlyParse.begin(str(path), guard.scan_workbook(path))
    assert (early.name, early.header_row) == ("Bijeenkomsten", 1)
    sheet = early.take("Bijeenkomsten", 1)
    assert sheet.height == 300
    assert early.take("Bijeenkomsten", 1) is None  # once
    early.drop()
    wrong = begin.EarlyParse.begin(str(path), guard.scan_workbook(path))
    assert wrong.take("Bijeenkomsten", 2) is None  # another header row: the begun parse is waited for and let go
    assert not wrong._thread.is_alive() and wrong.take("Bijeenkomsten", 1) is None
    other = begin.EarlyParse.begin(str(path), guard.scan_workbook(path))
    assert other.take("Deal", 1) is None and not other._thread.is_alive()  # before another sheet's parse
    monkeypatch.setattr(begin.EarlyParse, "MIN_BYTES", 1024**2)
    assert begin.EarlyParse.begin(str(path), guard.scan_workbook(path)) is None  # small sheets are not worth a guess


def test_scan_workbook_rejects_a_huge_claim_before_any_parse(tmp_path: Path):
    from tests.etl.messy import xfd_claim

    path = xfd_claim(tmp_path, cells=True)
    scans, sizes, problems = guard.scan_workbook(path)
    assert (scans, sizes) == ({}, {})
    [p] = problems
    assert p.sheet == "Begroting" and "XFD1048576" in p.message


def test_first_reader_forked_before_the_db_thread_starts(workbook: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch):
    # a child forked while another thread holds a lock (an import, DuckDB's) could inherit it held: the database copy's
    # thread starts only once the first reader child is forked
    import threading

    from etl.load import load_files

    monkeypatch.setenv("STUURHUT_KEY_FILE", str(tmp_path / "key"))
    seen: list[list[str]] = []
    real = guard.Isolated.__init__

    def spy(self, *a, **k):
        seen.append(sorted(t.name for t in threading.enumerate() if t.name.startswith("stuurhut")))
        real(self, *a, **k)

    monkeypatch.setattr(guard.Isolated, "__init__", spy)
    second = write_workbook(tmp_path / "tweede.xlsx", {"Bijeenkomsten": MEETINGS[:5]})
    r = load_files([workbook, second], tmp_path / "x.duckdb")
    assert r.status == "rejected"  # Bijeenkomsten twice in one batch; both files were read
    assert seen[0] == []
    assert len(seen) == 2


def test_reader_files_of_a_killed_process_are_removed_and_a_live_ones_kept(tmp_path, monkeypatch) -> None:
    """The reader's temporary files carry the pid of the process that made them; a killed load or server leaves
    them behind (they may hold a delivery's rows), and the next reader of any process removes them."""
    import subprocess
    import sys
    import tempfile

    from etl import guard

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(guard, "_swept", False)
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True).stdout.strip()
    dead = [tmp_path / f"{guard.READ_PREFIX}{gone}-ab12.pickle", tmp_path / f"{guard.READ_PREFIX}{gone}-ab12.pickle.ipc",
            tmp_path / f"{guard.SHEET_PREFIX}{gone}-cd34.ipc"]
    live = [tmp_path / f"{guard.READ_PREFIX}{os.getppid()}-ef56.pickle", tmp_path / "stuurhut-read-old.pickle"]
    for p in dead + live:
        p.write_bytes(b"rows")
    assert guard.run_isolated(len, "abc") == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in live)  # its own result is gone too
