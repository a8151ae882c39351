"""`make bench`: every benchmark on the Agenda Stad scale dataset; prints each figure with its target, writes RESULTS.md.

The scale warehouse is built once through the real loader and kept under benchmarks/out/ (git-ignored), keyed
on the generator's parameters and on the code that shapes the database, so a changed model rebuilds it.
`--small` runs everything on a tiny dataset (a few deals, 5% of the rows): the quick test uses it.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import scale  # noqa: E402
from benchmarks.common import OUT, ROOT, Figure, Section, median, print_section, write_results  # noqa: E402

FULL = {"deals": 50, "scale": 1.0, "seed": 7}
SMALL = {"deals": 3, "scale": 0.05, "seed": 7}
BENCHES = ("load", "indicators", "pages", "payload", "first_view", "memory", "deck")
# The code that decides what the built database holds: a change here means a new cache key.
SHAPING = [ROOT / "benchmarks" / "scale.py", ROOT / "etl" / "schema.py", ROOT / "etl" / "warehouse.py",
           ROOT / "etl" / "contract.py", ROOT / "etl" / "contract_view.py"]


def cache_key(params: dict) -> str:
    h = hashlib.sha256(repr(sorted(params.items())).encode())
    for path in [*SHAPING, *sorted((ROOT / "etl" / "sql").rglob("*.sql"))]:
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


def scale_db(params: dict, out: Path = OUT) -> tuple[Path, float | None]:
    """The scale warehouse for `params` (deals, scale, seed): from the cache, else generated and loaded now.

    Returns (path, seconds the load took or None when cached).
    """
    name = f"scale_{params['deals']}d_{params['scale']:g}x_s{params['seed']}_{cache_key(params)}"
    db = out / f"{name}.duckdb"
    if db.exists():
        return db, None
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out) as tmp:
        dirs = scale.generate(Path(tmp) / "src", params["deals"], params["scale"], params["seed"])
        building = Path(tmp) / "scale.duckdb"
        seconds = scale.load(dirs, building)
        for stale in out.glob(f"scale_{params['deals']}d_{params['scale']:g}x_s{params['seed']}_*.duckdb"):
            stale.unlink()  # an older build of the same size: the code changed since
        shutil.move(building, db)
    return db, seconds


def quiet_streamlit() -> None:
    """No "missing ScriptRunContext" chatter from the in-process AppTests; page failures are reported as figures."""
    import logging

    from streamlit import config
    from streamlit import logger as st_logger
    from streamlit.runtime.scriptrunner_utils import script_run_context  # noqa: F401  (creates its logger now)

    config.set_option("logger.level", "error")
    st_logger.set_log_level("error")
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)


def compile_bytecode() -> None:
    """Our modules' bytecode cached in __pycache__, as `make bytecode` and a wheel install do: the load and first-view
    benchmarks start new processes, which would otherwise compile etl/ and dashboard/ again each time (this machine sets
    PYTHONDONTWRITEBYTECODE, so Python never caches it by itself)."""
    import compileall

    from etl import contract_view

    for package in ("etl", "dashboard"):
        compileall.compile_dir(ROOT / package, quiet=1)
    contract_view.write_snapshot()  # and the contract's snapshot, as `make bytecode` writes it


def _failed(title: str, exc: BaseException) -> Section:
    sec = Section(title)
    sec.figures.append(Figure("benchmark", "FOUT", "draait", False, f"{type(exc).__name__}: {str(exc)[:300]}"))
    sec.notes.append(f"{type(exc).__name__}: {str(exc)[:300]}")
    return sec


# The scale: 50 deals over 3 years, about 1M attendance rows, 50k meetings, 100k answers, 5k milestones.
SCALE_TARGETS = (("deals", "SELECT count(DISTINCT deal) FROM meta.deliveries", 50),
                 ("aanwezigheidsrijen", "SELECT count(*) FROM raw.attendance", 1_000_000),
                 ("bijeenkomsten", "SELECT count(*) FROM raw.meetings", 50_000),
                 ("enquêteantwoorden", "SELECT count(*) FROM raw.survey", 100_000),
                 ("mijlpalen", "SELECT count(*) FROM raw.milestones", 5_000))


def dataset_section(db: Path, params: dict, built: str) -> Section:
    """What the warehouse holds against the issue's scale (within 5%); a --small run only reports its counts."""
    import duckdb

    from benchmarks.bench_pages import dutch

    full = params == FULL
    sec = Section("Schaaldataset")
    with duckdb.connect(str(db), read_only=True) as con:
        for name, query, want in SCALE_TARGETS:
            n = con.sql(query).fetchall()[0][0]
            sec.figures.append(Figure(name, dutch(n), f"ongeveer {dutch(want)}" if full else "klein (--small)",
                                      abs(n - want) <= 0.05 * want if full else True))
    sec.notes.append(f"{params['deals']} deals over 3 jaar, schaal {params['scale']:g}, als CSV-leveringen per deal "
                     f"geladen met de echte lader ({built}); benchmarks/scale.py")
    return sec


def deck_section(db: Path, deal: str, small: bool) -> Section:
    """The directors' deck of one deal on the scale warehouse, with bench_deck's measurement and target."""
    from benchmarks import bench_deck

    times = bench_deck.measure(db, deal=deal, repeat=2 if small else 5)
    total = median(times["total"])
    sec = Section("Directeurendeck (`stuurhut slides`, schaaldataset)")
    sec.figures.append(Figure(f"deck {deal} bouwen + PowerPoint + PDF ({times['slides'][0]} dia's)",
                              f"{total:.2f} s".replace(".", ","), f"<= {bench_deck.TARGET_S:.0f} s",
                              total <= bench_deck.TARGET_S))
    sec.notes.append("mediaan per stap: bouwen {:.2f} s, PowerPoint {:.2f} s, PDF {:.2f} s; {} rondes, elk met een "
                     "verse Warehouse".format(median(times["build"]), median(times["pptx"]), median(times["pdf"]),
                                              len(times["total"])))
    return sec


def run_bench(name: str, db: Path, deal: str, small: bool) -> Section:
    if name == "load":
        from benchmarks import bench_load

        return bench_load.run(small)
    if name == "indicators":
        from benchmarks import bench_indicators

        return bench_indicators.run(db, deal, small=small)
    if name == "pages":
        from benchmarks import bench_pages

        return bench_pages.run(db, deal, small=small)
    if name == "payload":
        from benchmarks import bench_payload

        return bench_payload.run(db, deal, small=small)
    if name == "first_view":
        from benchmarks import bench_first_view

        return bench_first_view.run(db, small=small)
    if name == "memory":
        from benchmarks import bench_memory

        return bench_memory.run(db, deal, small=small)
    if name == "deck":
        return deck_section(db, deal, small)
    raise ValueError(name)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--small", action="store_true", help="tiny dataset and few rounds (a check that all runs)")
    ap.add_argument("--only", action="append", choices=BENCHES, help="run only these benchmarks (repeatable)")
    ap.add_argument("--deal", default="SC01")
    ap.add_argument("--out", type=Path, default=OUT, help="where the scale database is cached")
    ap.add_argument("--results", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    a = ap.parse_args(argv)
    params = SMALL if a.small else FULL
    quiet_streamlit()
    compile_bytecode()
    t = time.perf_counter()
    db, load_s = scale_db(params, a.out)
    built = f"opgebouwd in {load_s:.0f} s via de echte lader" if load_s is not None else "uit de cache"
    print(f"schaaldataset: {params['deals']} deals x schaal {params['scale']:g} ({db.name}, {built})", flush=True)
    load_before = os.getloadavg()
    sections = []
    for name in a.only or BENCHES:
        t0 = time.perf_counter()
        try:
            sec = run_bench(name, db, a.deal, a.small)
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - one broken benchmark must not hide the others
            traceback.print_exc()
            sec = _failed(name, exc)
        sec.notes.append(f"benchmark duurde {time.perf_counter() - t0:.0f} s")
        print_section(sec)
        sections.append(sec)
    data = dataset_section(db, params, built)
    data.notes.append("belasting van de machine (load average 1/5/15 min, {} cores): {} bij de start, {} aan het eind; "
                      "andere processen delen de cores, dus tijden zijn ruwer dan de CPU-tijd".format(
                          os.cpu_count(), "/".join(f"{x:.1f}" for x in load_before),
                          "/".join(f"{x:.1f}" for x in os.getloadavg())))
    write_results([data, *sections], a.results)
    missed = [f for s in sections for f in s.figures if not f.ok]
    print(f"\n{sum(len(s.figures) for s in sections)} cijfers, {len(missed)} niet gehaald; "
          f"{a.results.relative_to(ROOT) if a.results.is_relative_to(ROOT) else a.results} geschreven "
          f"in {time.perf_counter() - t:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
