"""Crash safety: `stuurhut load` killed with SIGKILL at random moments never damages the database."""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import write_workbook

REPO = Path(__file__).resolve().parents[2]
ROWS = 8_000
TRIALS = 24


def stuurhut_load(*args: str) -> subprocess.Popen:
    # own session: the kill reaches the load and any reader child it forked, nothing else
    return subprocess.Popen([sys.executable, "-m", "etl.cli", "load", *args], cwd=REPO, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def snapshot(db: Path) -> list[tuple]:
    """Deliveries with the raw row count actually stored for each; raises if the file is damaged."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        deliveries = con.execute("SELECT delivery_id, sheet, rows FROM meta.deliveries ORDER BY delivery_id").fetchall()
        stored = dict(con.execute("SELECT delivery_id, count(*) FROM raw.attendance GROUP BY ALL").fetchall())
        stored.update(con.execute("SELECT delivery_id, count(*) FROM raw.meetings GROUP BY ALL").fetchall())
        stored.update(con.execute("SELECT delivery_id, count(*) FROM raw.deal GROUP BY ALL").fetchall())
        return [(did, sheet, rows, stored.get(did, 0)) for did, sheet, rows in deliveries]
    finally:
        con.close()


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("kill")
    out = {"base": write_workbook(d / "base.xlsx", {
        "Deal": [["Code", "Naam", "Peildatum"], ["CDX", "City Deal Fictief (test)", dt.date(2022, 6, 30)]],
        "Bijeenkomsten": [["ID", "Datum", "Soort"]]
        + [[f"M-{i}", dt.date(2022, 1, 1) + dt.timedelta(days=i), "werksessie"] for i in range(200)]})}
    for tag in "ab":  # two different deliveries, so every completed load really writes
        out[tag] = write_workbook(d / f"{tag}.xlsx", {"Aanwezigheid": [["Bijeenkomst", "Deelnemer", "Organisatie", "Aanwezig"]]
                                                      + [[f"M-{i % 200}", f"Deelnemer {tag}{i % 2000}", "Gemeente A", "ja"]
                                                         for i in range(ROWS)]})
    return out


@pytest.mark.slow
def test_sigkill_at_random_moments(files: dict[str, Path], tmp_path: Path):
    db = tmp_path / "stuurhut.duckdb"
    p = stuurhut_load(str(files["base"]), "--db", str(db))
    assert p.wait(timeout=60) == 0, p.stderr.read()
    full = float("inf")  # the shortest whole load: the window to kill in (a busy machine only makes loads longer)
    for tag in ("b", "a"):
        start = time.monotonic()
        p = stuurhut_load(str(files[tag]), "--db", str(db), "--deal", "CDX")
        assert p.wait(timeout=60) == 0, p.stderr.read()
        full = min(full, time.monotonic() - start)

    rng = random.Random(20221130)
    before = snapshot(db)
    completed = killed = 0
    current = "a"
    for trial in range(TRIALS):
        tag = "b" if current == "a" else "a"  # always the other file, so a finished load really writes
        p = stuurhut_load(str(files[tag]), "--db", str(db), "--deal", "CDX")
        time.sleep(rng.uniform(0.1 * full, 1.2 * full))
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
            killed += 1
        else:
            assert p.returncode == 0, p.stderr.read()
        code = p.wait(timeout=60)
        after = snapshot(db)  # opens, or the test fails here
        for did, sheet, rows, stored in after:
            assert rows == stored, (trial, did, sheet, rows, stored)
        if after == before:
            continue
        # the load finished before the kill: exactly one new, complete delivery
        assert after[:-1] == before and after[-1][1:] == ("Aanwezigheid", ROWS, ROWS), (trial, code)
        completed += 1
        current = tag
        before = after
        if code != 0:  # killed after the swap, before exiting: the result stands and the DB is consistent
            assert code == -signal.SIGKILL
    print(f"killed {killed}, completed {completed}, full load {full:.2f} s")
    assert killed >= TRIALS // 3, (killed, completed)

    # the next load works and cleans any temp copy a killed load left behind
    p = stuurhut_load(str(files["b"]), "--db", str(db), "--deal", "CDX")
    assert p.wait(timeout=60) == 0, p.stderr.read()  # b first: then a is certainly a new delivery
    p2 = stuurhut_load(str(files["a"]), "--db", str(db), "--deal", "CDX")
    assert p2.wait(timeout=60) == 0, p2.stderr.read()
    assert snapshot(db)[-1][1:] == ("Aanwezigheid", ROWS, ROWS)
    assert sorted(x.name for x in tmp_path.iterdir()) == [".stuurhut.key", "stuurhut.duckdb", "stuurhut.duckdb.lock"]


def test_concurrent_loads_serialise(files: dict[str, Path], tmp_path: Path):
    """Two loads at once: the lock makes the second wait; both deliveries land, neither is lost in the swap."""
    db = tmp_path / "stuurhut.duckdb"
    p = stuurhut_load(str(files["base"]), "--db", str(db))
    assert p.wait(timeout=60) == 0, p.stderr.read()
    partners = write_workbook(tmp_path / "partners.xlsx", {"Partners": [["Organisatie", "Soort"], ["Gemeente A", "gemeente"]]})
    first = stuurhut_load(str(files["a"]), "--db", str(db), "--deal", "CDX")
    second = stuurhut_load(str(partners), "--db", str(db), "--deal", "CDX")
    assert first.wait(timeout=60) == 0, first.stderr.read()
    assert second.wait(timeout=60) == 0, second.stderr.read()
    con = duckdb.connect(str(db), read_only=True)
    try:
        sheets = con.execute("SELECT sheet, rows FROM meta.deliveries WHERE batch_id > 1 ORDER BY sheet").fetchall()
    finally:
        con.close()
    assert sheets == [("Aanwezigheid", ROWS), ("Partners", 1)]
