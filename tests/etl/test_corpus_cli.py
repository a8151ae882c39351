"""Every foreign spreadsheet of shared/corpus through the whole load (`load_files`, the JSON `stuurhut load --json`
prints): loaded or cleanly rejected in Dutch, never a crash; a sample of every kind through the real CLI process."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import write_workbook
from tests.etl.messy import CORPUS
from tests.etl.messy import CORPUS_FILES as FILES
from tests.hostile.cli import Run, run_cli, sha256

REPO = Path(__file__).resolve().parents[2]
WORKERS = 3
MAX_SECONDS = 30.0


# through the CLI process: every 8th file plus the first of each folder and kind (xlsx, xlsm, ods); a CLI run costs a
# second of interpreter start and imports, so all 113 that way took half the test suite's wall time on 2 cores
FIRST_OF_KIND: dict[tuple[Path, str], Path] = {}
for _p in FILES:
    FIRST_OF_KIND.setdefault((_p.parent, _p.suffix.lower()), _p)
CLI_SAMPLE = set(FILES[::8]) | set(FIRST_OF_KIND.values())
pytestmark = [pytest.mark.slow, pytest.mark.skipif(CORPUS is None, reason="shared/corpus is not present")]

# words a Dutch message is made of, and English words that would betray a raw library error
DUTCH = re.compile(r"\b(is|de|het|een|niet|geen|van|kolom|tabblad|rij|bestand|verwacht|vul|kies)\b", re.I)
ENGLISH = re.compile(r"\b(error|failed|exception|invalid|cannot|could not|expected|unexpected|not found)\b", re.I)


@dataclass
class Outcome:
    path: Path
    run: Run
    before: str
    after: str
    result: dict | None


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    from etl.load import load_files

    base = tmp_path_factory.mktemp("corpus-base") / "stuurhut.duckdb"
    good = write_workbook(base.parent / "corp.xlsx", {
        "Deal": [["Code", "Naam", "Peildatum"], ["CORP", "City Deal Corpus (test)", dt.date(2022, 6, 30)]],
        "Onderdelen": [["Code", "Naam", "Soort"], ["OT1", "Ontwikkelteam 1", "ontwikkelteam"]],
    })
    assert load_files([good], base).status == "loaded"
    root = tmp_path_factory.mktemp("corpus-runs")

    def one(i_path: tuple[int, Path]) -> Outcome:
        i, path = i_path
        d = root / f"{i:03d}"
        d.mkdir()
        db = d / "stuurhut.duckdb"
        shutil.copyfile(base, db)
        before = sha256(db)
        if path in CLI_SAMPLE:  # the real process: exit code, stdout JSON, no traceback on stderr
            run = run_cli(["load", str(path), "--deal", "CORP", "--db", str(db), "--json"], d)
            try:
                result = json.loads(run.stdout)
            except json.JSONDecodeError:
                result = None
        else:  # the same load in this process (an exception fails the test as a traceback would)
            t = time.monotonic()
            res = load_files([path], db, deal="CORP")
            result = json.loads(json.dumps(res.as_json(), ensure_ascii=False, default=str))
            run = Run(0 if res.status == "loaded" else 1, "", "", time.monotonic() - t, 0)
        return Outcome(path, run, before, sha256(db), result)

    start = time.monotonic()
    numbered = list(enumerate(FILES))
    with ThreadPoolExecutor(WORKERS) as pool:  # CLI processes side by side; in-process loads on this thread only
        cli = pool.map(one, [x for x in numbered if x[1] in CLI_SAMPLE])  # (the loader forks its reader child)
        here = [one(x) for x in numbered if x[1] not in CLI_SAMPLE]
        done = sorted([*cli, *here], key=lambda o: FILES.index(o.path))
    loaded = [o.path.name for o in done if o.run.code == 0]
    print(f"\nshared corpus ({len(CLI_SAMPLE)} through the CLI process): {len(done)} files, {len(loaded)} loaded, "
          f"{sum(1 for o in done if o.run.code == 1)} rejected, {time.monotonic() - start:.0f} s, slowest "
          f"{max(o.run.seconds for o in done):.1f} s, peak memory {max(o.run.max_rss for o in done) // 1024**2} MB; "
          f"loaded: {', '.join(loaded)}")
    kinds = Counter(re.sub(r"'[^']*'|\S+\.(xlsx|xlsm|ods)\b|\d+", "…", o.result["problems"][0]["message"])[:70]
                    for o in done if o.result and o.result["problems"])
    print("\n".join(f"{n:4} {k}" for k, n in kinds.most_common()))
    return {str(o.path): o for o in done}


def test_corpus_is_there():
    assert len(FILES) >= 100


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_corpus_file_through_the_cli(outcomes: dict[str, Outcome], path: Path):
    o = outcomes[str(path)]
    assert "Traceback" not in o.run.stderr, o.run.stderr[-2000:]
    assert o.run.code in (0, 1), (o.run.code, o.run.stderr[-2000:])
    assert o.run.seconds < MAX_SECONDS
    assert o.result is not None, o.run.stdout[-1000:]
    if o.run.code == 0:
        assert o.result["status"] == "loaded"
        assert o.result["deal"] == "CORP"
        return
    assert o.result["status"] == "rejected"
    assert o.after == o.before, "a rejected load changed the database"
    assert o.result["problems"]
    for p in o.result["problems"]:
        assert p["file"] in (path.name, "stuurhut.duckdb"), p
        text = re.sub(r"'[^']*'", "", p["message"].replace(path.name, ""))  # names from the file are no language
        assert DUTCH.search(text) and not ENGLISH.search(text), p["message"]


def test_most_foreign_files_are_rejected(outcomes: dict[str, Outcome]):
    """Library test files are not deliveries: a handful may happen to look like one, most must be refused."""
    loaded = sum(1 for o in outcomes.values() if o.run.code == 0)
    assert loaded <= len(outcomes) // 5, loaded
