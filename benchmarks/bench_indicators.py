"""Time all steering indicators of one deal and year on a warehouse with ~1M attendance rows (Polars straight into raw)."""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

import duckdb
import polars as pl

from etl.schema import create_schema
from etl.warehouse import apply_models

KINDS = ["kernteam", "directeurenoverleg", "werksessie", "atelierdag", "ontwikkelteam", "kartrekkersoverleg"]


def build(db: Path, attendance_rows: int = 1_000_000, meetings: int = 20_000) -> None:
    """Deal BIG, 2021-2023, peildatum 30-06-2022: meetings, attendance, partners, budget, communication, milestones."""
    con = duckdb.connect(str(db))
    create_schema(con)
    sheets = [("Deal", "deal"), ("Onderdelen", "parts"), ("Bijeenkomsten", "meetings"), ("Aanwezigheid", "attendance"),
              ("Partners", "partners"), ("Begroting", "budget"), ("Communicatie", "communication"),
              ("Mijlpalen", "milestones")]
    peil = dt.date(2022, 6, 30)
    deliveries = pl.DataFrame({
        "delivery_id": range(1, len(sheets) + 1), "batch_id": [1] * len(sheets), "deal": ["BIG"] * len(sheets),
        "sheet": [s for s, _ in sheets], "table_name": [t for _, t in sheets], "file": ["big.xlsx"] * len(sheets),
        "source_sheet": [s for s, _ in sheets], "sha256": ["0" * 64] * len(sheets),
        "loaded_at": [dt.datetime(2022, 7, 1, 9)] * len(sheets), "peildatum": [peil] * len(sheets),
        "rows": [0] * len(sheets), "rolled_back_at": pl.Series([None] * len(sheets), dtype=pl.Datetime),
    })
    ids = {t: i + 1 for i, (_, t) in enumerate(sheets)}
    start = dt.date(2021, 1, 1)
    m = pl.DataFrame({"n": range(meetings)}).with_columns(
        delivery_id=pl.lit(ids["meetings"]), source_row=pl.col("n") + 2,
        id=pl.format("M{}", pl.col("n")),
        date=pl.lit(start) + pl.duration(days=pl.col("n") % 1095),
        kind=(pl.col("n") % len(KINDS)).replace_strict(dict(enumerate(KINDS)), return_dtype=pl.String),
        title=pl.lit(None, pl.String), part=pl.format("OT{}", pl.col("n") % 6 + 1),
        form=pl.lit("online"), status=pl.lit(None, pl.String), invited=pl.lit(12),
    ).drop("n")
    a = pl.DataFrame({"n": range(attendance_rows)}).with_columns(
        delivery_id=pl.lit(ids["attendance"]), source_row=pl.col("n") + 2,
        meeting=pl.format("M{}", pl.col("n") % meetings),
        participant=pl.format("p{}", pl.col("n") % 5000),
        organisation=pl.format("Gemeente {}", pl.col("n") % 40),
        role=pl.lit("lid"),
        present=pl.when(pl.col("n") % 10 < 7).then(pl.lit("ja")).when(pl.col("n") % 10 < 9).then(pl.lit("nee"))
        .otherwise(pl.lit("afgemeld")),
    ).drop("n")
    parts = pl.DataFrame({"delivery_id": ids["parts"], "source_row": range(2, 8), "code": [f"OT{i}" for i in range(1, 7)],
                          "name": [f"Team {i}" for i in range(1, 7)], "kind": ["ontwikkelteam"] * 6, "lead": [None] * 6})
    partners = pl.DataFrame({"delivery_id": ids["partners"], "source_row": range(2, 42),
                             "organisation": [f"Gemeente {i}" for i in range(40)],
                             "kind": ["gemeente"] * 11 + ["overig"] * 29, "since": [start] * 40,
                             "until": pl.Series([None] * 40, dtype=pl.Date), "funding": [True] * 40})
    budget = pl.DataFrame({"delivery_id": ids["budget"], "source_row": range(2, 8), "year": [2021, 2022, 2023] * 2,
                           "cost_type": ["ontwikkeling"] * 3 + ["basis"] * 3, "post": ["P"] * 6,
                           "part": [None] * 6, "budgeted": [100000.0] * 6,
                           "realised": [90000.0, None, None, 50000.0, None, None], "note": [None] * 6})
    comm = pl.DataFrame({"n": range(300)}).with_columns(
        delivery_id=pl.lit(ids["communication"]), source_row=pl.col("n") + 2,
        date=pl.lit(start) + pl.duration(days=pl.col("n") * 3), channel=pl.lit("nieuwsbrief"),
        title=pl.lit(None, pl.String), reach=pl.lit(400), part=pl.lit(None, pl.String)).drop("n")
    ms = pl.DataFrame({"n": range(600)}).with_columns(
        delivery_id=pl.lit(ids["milestones"]), source_row=pl.col("n") + 2, part=pl.format("OT{}", pl.col("n") % 6 + 1),
        milestone=pl.format("Mijlpaal {}", pl.col("n")), planned=pl.lit(start) + pl.duration(days=pl.col("n")),
        done=pl.lit(start) + pl.duration(days=pl.col("n") - 3), status=pl.lit("gereed"), progress=pl.lit(1.0),
        end_result=pl.lit(None, pl.String), note=pl.lit(None, pl.String)).drop("n")
    deal = pl.DataFrame({"delivery_id": [ids["deal"]], "source_row": [2], "code": ["BIG"], "name": ["Grote deal"],
                         "start": [start], "end": [dt.date(2023, 12, 31)], "as_of": [peil]})
    for table, frame in [("meta.deliveries", deliveries), ("raw.meetings", m), ("raw.attendance", a),
                         ("raw.parts", parts), ("raw.partners", partners), ("raw.budget", budget),
                         ("raw.communication", comm), ("raw.milestones", ms), ("raw.deal", deal)]:
        con.register("frame", frame.to_arrow())
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM frame")  # noqa: S608 - fixed table names
        con.unregister("frame")
    apply_models(con)
    con.execute("CHECKPOINT")
    con.close()


TARGET_S = 0.5  # "well under a second"


def measure(db: Path, deal: str, year: int, repeat: int = 5) -> tuple[list[float], pl.DataFrame]:
    """Seconds per indicators(deal, year) call, each on a fresh Warehouse (cold: nothing cached in Python)."""
    from dashboard.db import Warehouse
    from dashboard.queries.indicators import indicators

    times, df = [], pl.DataFrame()
    cpu.clear()
    for _ in range(repeat):
        wh = Warehouse(db)
        t, c = time.perf_counter(), time.process_time()
        df = indicators(wh, deal, year=year)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)  # the process's CPU (DuckDB's threads too): the machine's load aside
        wh.close()
    return times, df


cpu: list[float] = []  # CPU seconds of the last measure() rounds


def run(db: Path, deal: str = "SC01", year: int | None = None, small: bool = False, repeat: int = 5):
    """All indicators of one deal and year on the scale warehouse `db` (default year: that of its Peildatum)."""
    from benchmarks.common import Figure, Section, median
    from dashboard.db import Warehouse
    from dashboard.queries.indicators import deal_peildatum

    if year is None:
        wh = Warehouse(db)
        year = deal_peildatum(wh, deal).year
        wh.close()
    times, df = measure(db, deal, year, repeat=2 if small else repeat)
    sec = Section("Indicatoren (`indicators()`, schaaldataset)")
    m = median(times)
    sec.figures.append(Figure(f"alle {df.height} indicatoren van {deal} in {year}, koud (verse Warehouse)",
                              f"{m * 1000:.0f} ms", f"< {TARGET_S * 1000:.0f} ms", m < TARGET_S))
    sec.notes.append(f"mediaan van {len(times)}; inclusief de vergelijking met de vorige levering (twee keer "
                     "indicator_values); min {:.0f} ms; CPU-tijd mediaan {:.0f} ms".format(
                         min(times) * 1000, median(cpu) * 1000))
    return sec


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    from dashboard.db import Warehouse
    from dashboard.queries.indicators import indicators

    with tempfile.TemporaryDirectory() as d:
        db = Path(d) / "bench.duckdb"
        t = time.perf_counter()
        build(db, args.rows)
        print(f"built {args.rows:,} attendance rows in {time.perf_counter() - t:.1f} s")
        times = []
        for _ in range(args.repeat):
            wh = Warehouse(db)  # a fresh Warehouse each round: nothing cached
            t = time.perf_counter()
            df = indicators(wh, "BIG", year=2022)
            times.append(time.perf_counter() - t)
            wh.close()
        rate = df.filter(pl.col("indicator") == "attendance_rate")["value"][0]
        print(f"indicators(BIG, 2022): {df.height} rows, attendance_rate {rate:.4f}; "
              f"min {min(times) * 1000:.0f} ms, median {statistics.median(times) * 1000:.0f} ms "
              f"(includes the comparison with the previous delivery)")


if __name__ == "__main__":
    main()
