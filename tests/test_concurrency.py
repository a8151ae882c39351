"""Dashboard sessions keep rendering every page while deliveries are loaded into the same database: no error, no half load."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading
import time
import traceback
from collections import Counter
from pathlib import Path
from unittest.mock import MagicMock

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.navigation import PAGES
from etl.load import load_files
from tests.conftest import write_workbook

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "tests" / "pages" / "entry.py"  # streamlit_app.py, run from a folder without pages/ (see entry.py)
SESSIONS = 3
LOADS = 12
MEETINGS = ["ID", "Datum", "Soort", "Titel", "Status"]
BOTTLENECKS = ["Datum", "Knelpunt", "Ernst", "Status", "Actie"]



def delivery(path: Path, peildatum: dt.date, held: int, severe: int) -> Path:
    """One batch (Deal + Bijeenkomsten + Knelpunten): every figure of the overview says which batch it came from."""
    return write_workbook(path, {
        "Deal": [["Code", "Naam", "Start", "Einde", "Peildatum"],
                 ["CDC", "City Deal Gelijktijdig (test)", dt.date(2022, 1, 1), dt.date(2023, 12, 31), peildatum]],
        "Bijeenkomsten": [MEETINGS] + [[f"K{i}", dt.date(2022, 1 + i, 10), "kernteam", f"Kernteam {i}", "gehouden"]
                                       for i in range(1, held + 1)],
        "Knelpunten": [BOTTLENECKS] + [[dt.date(2022, 2, i), f"Knelpunt {i}", "hoog", "open", None]
                                       for i in range(1, severe + 1)],
    })


def signature(at: AppTest) -> tuple[str, str, str]:
    """(Peildatum, kernteam meetings, severe bottlenecks) as the overview shows them."""
    tiles = {m.label: m.value for m in at.metric}
    return tiles["Peildatum"], tiles["Kernteamoverleggen gehouden"], tiles["Ernst hoog"]


@pytest.fixture
def shared_runtime(monkeypatch: pytest.MonkeyPatch):
    """One mock Streamlit runtime for every AppTest thread.

    AppTest installs a mock Runtime per run and sets Runtime._instance back to None when the run ends, which
    breaks runs still going in other threads. Here AppTest's assignments go to a stand-in and the real
    Runtime keeps one shared mock, like the one runtime of a real server that serves several sessions.
    """
    from streamlit.components.v2.component_manager import BidiComponentManager
    from streamlit.runtime import Runtime
    from streamlit.runtime.caching.storage.dummy_cache_storage import MemoryCacheStorageManager
    from streamlit.runtime.dataframe_source_manager import DataframeSourceManager
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
    from streamlit.testing.v1 import app_test, local_script_runner

    runtime = MagicMock(spec=Runtime)
    runtime.media_file_mgr = MediaFileManager(MemoryMediaFileStorage("/mock/media"))
    runtime.dataframe_source_mgr = DataframeSourceManager()
    runtime.cache_storage_manager = MemoryCacheStorageManager()
    components = BidiComponentManager()
    components.discover_and_register_components(start_file_watching=False)
    runtime.bidi_component_registry = components

    class StandIn:
        _instance = None

    monkeypatch.setattr(app_test, "Runtime", StandIn)
    monkeypatch.setattr(Runtime, "_instance", runtime)
    # one script cache, as a server has: AppTest compiles the scripts anew per run, and compile() in several
    # threads at once trips CPython 3.11.7 ("AST constructor recursion depth mismatch", fixed in later versions)
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    scripts = ScriptCache()
    # compiled here, on one thread: the cache compiles under its own lock, but an import compiling in another
    # thread at the same moment still trips that CPython bug
    for path in [APP, *(ROOT / spec.path for spec in PAGES)]:
        scripts.get_bytecode(str(path))
    # both: AppTest hands its cache to the pages manager, but the script runner that compiles and runs the scripts
    # makes a cache of its own (local_script_runner); with only the first shared, every session thread still
    # compiled the pages itself, and a CI run failed once with that SystemError ("Script compilation error")
    monkeypatch.setattr(app_test, "ScriptCache", lambda: scripts)
    monkeypatch.setattr(local_script_runner, "ScriptCache", lambda: scripts)
    return runtime


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_sessions_render_every_page_while_deliveries_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          shared_runtime) -> None:
    db = tmp_path / "stuurhut.duckdb"
    files = {"A": delivery(tmp_path / "CDC-juni.xlsx", dt.date(2022, 6, 30), held=3, severe=1),
             "B": delivery(tmp_path / "CDC-oktober.xlsx", dt.date(2022, 10, 31), held=5, severe=2)}
    monkeypatch.setenv("STUURHUT_DB", str(db))
    monkeypatch.setenv("STUURHUT_ACCOUNTS", str(tmp_path / "accounts.json"))  # no accounts: demo mode, every page

    # the two consistent states, as the overview shows them after each delivery alone
    expected = {}
    for tag in ("A", "B"):
        assert load_files([files[tag]], db).status == "loaded"
        at = AppTest.from_file(str(APP), default_timeout=120)
        at.query_params["deal"] = "CDC"
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        expected[signature(at)] = tag
    assert len(expected) == 2, expected  # the deliveries really look different
    for spec in PAGES:  # every page once on this thread, so the threads below import nothing new
        if not spec.default:
            at.switch_page(str(ROOT / spec.path)).run()

    # the sessions below run scripts the shared cache already holds: none of their threads compiles one
    from streamlit.runtime.scriptrunner import magic

    compiled_on: list[str] = []
    add_magic = magic.add_magic
    monkeypatch.setattr(magic, "add_magic", lambda *a: (compiled_on.append(threading.current_thread().name),
                                                         add_magic(*a))[1])
    stop = threading.Event()
    errors: list[str] = []
    seen: Counter = Counter()
    renders: Counter = Counter()
    loads: list[tuple[str, int, float]] = []

    def loader() -> None:
        # another process, as `stuurhut load` or the upload page's worker would be: B is current, so A goes first
        try:
            for i in range(LOADS):
                tag = "AB"[i % 2]
                start = time.monotonic()
                p = subprocess.run([sys.executable, "-m", "etl.cli", "load", str(files[tag]), "--db", str(db)],
                                   cwd=ROOT, capture_output=True, text=True, timeout=120)
                loads.append((tag, p.returncode, time.monotonic() - start))
                if p.returncode != 0:
                    errors.append(f"load {i} ({tag}) exit {p.returncode}: {p.stdout[-500:]} {p.stderr[-500:]}")
        finally:
            stop.set()

    def session(n: int) -> None:
        rounds = 0
        while not stop.is_set() or rounds == 0:
            for spec in PAGES:
                try:
                    at = AppTest.from_file(str(APP), default_timeout=120)
                    at.query_params["deal"] = "CDC"
                    at.run()
                    if spec.default:
                        seen[signature(at)] += 1
                    else:
                        at.switch_page(str(ROOT / spec.path)).run()
                    problems = [e.value for e in at.exception] + [e.value for e in at.error]
                    if problems:
                        errors.append(f"session {n} page {spec.key}: {problems}")
                    elif not at.title or not at.title[0].value.startswith(spec.title_nl):
                        errors.append(f"session {n} page {spec.key}: title {[t.value for t in at.title]}")
                    renders[spec.key] += 1
                except Exception as exc:  # noqa: BLE001 - collected and reported below
                    where = " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}"
                                        for f in reversed(traceback.extract_tb(exc.__traceback__)[-4:]))
                    errors.append(f"session {n} page {spec.key}: {type(exc).__name__}: {exc} (at {where})")
            rounds += 1

    threads = [threading.Thread(target=loader)] + [threading.Thread(target=session, args=(n,)) for n in range(SESSIONS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=900)
    assert not any(t.is_alive() for t in threads), "a session or the loader hung"
    print(f"\n{len(loads)} loads during serving ({sum(s for _, _, s in loads):.0f} s), {sum(renders.values())} page "
          f"renders by {SESSIONS} sessions, overview states {dict(seen)}")
    assert errors == []
    assert compiled_on == []
    assert [code for _, code, _ in loads] == [0] * LOADS
    assert set(renders) == {p.key for p in PAGES}
    # every overview showed exactly one delivery's figures: never June's date with October's meetings
    assert set(seen) <= set(expected), {s: n for s, n in seen.items() if s not in expected}


def test_a_snapshot_keeps_one_version_while_a_load_swaps_the_file(tmp_path: Path) -> None:
    """Inside Warehouse.snapshot() every query sees the version it started with; outside, the newest file."""
    from dashboard.db import Warehouse

    db = tmp_path / "stuurhut.duckdb"
    june = delivery(tmp_path / "juni.xlsx", dt.date(2022, 6, 30), held=3, severe=1)
    october = delivery(tmp_path / "oktober.xlsx", dt.date(2022, 10, 31), held=5, severe=2)
    assert load_files([june], db).status == "loaded"
    wh = Warehouse(db)
    count = "SELECT count(*) AS n FROM raw.meetings JOIN meta.deliveries USING (delivery_id) WHERE delivery_id = " \
            "(SELECT max(delivery_id) FROM meta.deliveries WHERE sheet = 'Bijeenkomsten')"
    with wh.snapshot():
        before = wh.version
        assert wh.query(count)["n"][0] == 3
        assert load_files([october], db).status == "loaded"  # another thread or process swaps the file
        assert wh.version == before
        assert wh.query(count)["n"][0] == 3
        other: list[int] = []
        t = threading.Thread(target=lambda: other.append(wh.query(count)["n"][0]))  # not pinned: the new file
        t.start()
        t.join()
        assert other == [5]
        assert wh.query(count)["n"][0] == 3
    assert wh.version != before
    assert wh.query(count)["n"][0] == 5
    assert wh._pinned == {}  # the old file's connection was closed with the snapshot
