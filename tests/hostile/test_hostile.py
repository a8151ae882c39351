"""Every hostile input through the real `stuurhut load --json`: exit 1, a precise Dutch problem, the DB unchanged, bounded."""

from __future__ import annotations

import json
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.hostile.cli import Run, run_cli, sha256
from tests.hostile.make_corpus import DEAL, Case, make_corpus, write_base

REPO = Path(__file__).resolve().parents[2]
MAX_SECONDS = 30.0
MAX_RSS = 1024**3  # peak resident memory of the CLI and every process it started
WORKERS = 3
pytestmark = pytest.mark.slow  # about a minute on 2 cores: 70 CLI runs


@dataclass
class Outcome:
    case: Case
    run: Run
    before: str
    after: str
    leftovers: list[str]
    result: dict | None


def _try(case: Case, base_db: Path, root: Path) -> Outcome:
    d = root / case.name
    d.mkdir()
    db = d / "stuurhut.duckdb"
    shutil.copyfile(base_db, db)
    if (base_db.parent / ".stuurhut.key").exists():
        shutil.copyfile(base_db.parent / ".stuurhut.key", d / ".stuurhut.key")
    before = sha256(db)
    args = ["load", str(case.path), "--db", str(db), "--json"] + (["--deal", case.deal] if case.deal else [])
    run = run_cli(args, d)
    leftovers = sorted(p.name for p in d.iterdir()
                       if p.name not in {"stuurhut.duckdb", "stuurhut.duckdb.lock", ".stuurhut.key", ".stdout", ".stderr"})
    try:
        result = json.loads(run.stdout) if run.stdout.strip() else None
    except json.JSONDecodeError:
        result = None
    return Outcome(case, run, before, sha256(db), leftovers, result)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    from etl.load import load_files

    corpus = tmp_path_factory.mktemp("hostile-corpus")
    cases = make_corpus(corpus)
    base = tmp_path_factory.mktemp("hostile-base") / "stuurhut.duckdb"
    good = load_files([write_base(corpus)], base)
    assert good.status == "loaded", good.problems
    root = tmp_path_factory.mktemp("hostile-runs")
    start = time.monotonic()
    # the slowest cases (bombs) first, so the pool does not end on them
    order = sorted(cases, key=lambda c: not c.name.startswith(("zip_bomb", "csv_10000", "deeply", "ods_")))
    with ThreadPoolExecutor(WORKERS) as pool:
        done = list(pool.map(lambda c: _try(c, base, root), order))
    total = time.monotonic() - start
    rejected = sum(1 for o in done if o.case.exit == 1 and o.run.code == 1)
    print(f"\nhostile corpus: {len(done)} inputs, {rejected} rejected, "
          f"{sum(1 for o in done if o.case.exit == 0)} loadable by design, "
          f"{sum(1 for o in done if o.case.exit == 2)} usage errors; {total:.0f} s; slowest "
          f"{max(o.run.seconds for o in done):.1f} s; peak memory {max(o.run.max_rss for o in done) // 1024**2} MB")
    return {o.case.name: o for o in done}


def _case_names() -> list[str]:
    """The case names, for parametrisation (writing the corpus is cheap: bombs are built once per process)."""
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        return [c.name for c in make_corpus(Path(d))]


NAMES = _case_names()


def test_corpus_is_big_enough():
    assert len(NAMES) >= 40
    assert len(NAMES) == len(set(NAMES))


def _matching(outcome: Outcome) -> list[dict]:
    c = outcome.case
    return [p for p in outcome.result["problems"]
            if all(w.lower() in p["message"].lower() for w in c.words)]


@pytest.mark.parametrize("name", NAMES)
def test_hostile_input(outcomes: dict[str, Outcome], name: str):
    o = outcomes[name]
    c, run = o.case, o.run
    assert "Traceback" not in run.stderr, run.stderr[-2000:]
    assert run.seconds < MAX_SECONDS, run.seconds
    assert run.max_rss < MAX_RSS, run.max_rss // 1024**2
    assert o.leftovers == [], o.leftovers  # no temp copy, nothing a file name could have made the shell create
    assert run.code == c.exit, (run.code, run.stdout[-3000:], run.stderr[-2000:])
    if c.exit == 2:  # not a file at all: a usage error, in Dutch, on stderr
        assert all(w.lower() in run.stderr.lower() for w in c.words), run.stderr
        assert o.after == o.before
        return
    assert o.result is not None, run.stdout[-2000:]
    if c.exit == 0:
        assert o.result["status"] == "loaded", o.result["problems"]
        assert o.result["rows"] == c.rows
        assert o.after != o.before
        return
    assert o.result["status"] == "rejected"
    assert len(o.result["problems"]) == c.errors, [p["message"] for p in o.result["problems"]]
    assert o.after == o.before, "a rejected load changed the database"
    hits = _matching(o)
    assert hits, (c.words, [p["message"] for p in o.result["problems"]])
    hit = next((p for p in hits if (c.sheet, c.row, c.column) == (p["sheet"], p["row"], p["column"])), hits[0])
    assert hit["file"] == c.path.name
    if c.sheet is not None:
        assert hit["sheet"] == c.sheet, hit
    if c.row is not None:
        assert hit["row"] == c.row, hit
    if c.column is not None:
        assert hit["column"] == c.column, hit


def test_no_problem_leaks_a_system_file(outcomes: dict[str, Outcome]):
    """The XXE and /etc/passwd cases: nothing of the system file reaches the output."""
    for name in ("xml_external_entity", "symlink_to_system_file"):
        assert "root:" not in outcomes[name].run.stdout
        assert "/bin/" not in outcomes[name].run.stdout


def test_the_deal_and_base_stay_loaded(outcomes: dict[str, Outcome]):
    """Sanity of the harness: the base delivery really was in every copy (the --deal cases resolve against it)."""
    o = outcomes["dangling_meeting"]
    assert o.result["deal"] == DEAL
