"""Load speed: a whole `stuurhut load` process against a bare `pl.read_excel(path, sheet_id=0)` process on the same file."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import OUT, PY, STUURHUT, Figure, Section, median, run_process  # noqa: E402


def write_attendance_workbook(path: Path, rows: int, meetings: int = 1000) -> Path:
    """A realistic attendance delivery: Deal, Bijeenkomsten and an Aanwezigheid sheet of `rows` rows."""
    import xlsxwriter

    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part.xlsx")
    wb = xlsxwriter.Workbook(tmp, {"constant_memory": True})
    datef = wb.add_format({"num_format": "dd-mm-yyyy"})
    ws = wb.add_worksheet("Deal")
    ws.write_row(0, 0, ["Code", "Naam", "Start", "Einde", "Peildatum"])
    ws.write_row(1, 0, ["BENCH", "City Deal Benchmark (fictief)"])
    for c, d in enumerate([dt.datetime(2021, 1, 1), dt.datetime(2023, 12, 31), dt.datetime(2022, 10, 31)], start=2):
        ws.write_datetime(1, c, d, datef)
    ws = wb.add_worksheet("Bijeenkomsten")
    ws.write_row(0, 0, ["ID", "Datum", "Soort", "Titel"])
    kinds = ["kernteam", "werksessie", "ontwikkelteam", "atelierdag"]
    for i in range(meetings):
        ws.write_string(i + 1, 0, f"M{i:05d}")
        ws.write_datetime(i + 1, 1, dt.datetime(2021, 1, 1) + dt.timedelta(days=i % 650), datef)
        ws.write_string(i + 1, 2, kinds[i % 4])
        ws.write_string(i + 1, 3, f"Overleg {i}")
    ws = wb.add_worksheet("Aanwezigheid")
    ws.write_row(0, 0, ["Bijeenkomst", "Deelnemer", "Organisatie", "Rol", "Aanwezig"])
    present = ["ja", "ja", "ja", "nee", "afgemeld"]
    for i in range(rows):
        r = i + 1
        ws.write_string(r, 0, f"M{(i * 7919) % meetings:05d}")
        ws.write_string(r, 1, f"deelnemer{i % 5000:05d}@voorbeeld.nl")
        ws.write_string(r, 2, f"Gemeente {i % 37}")
        ws.write_string(r, 3, "lid")
        ws.write_string(r, 4, present[i % 5])
    wb.close()
    tmp.replace(path)
    return path


def arrow_mib(path: Path) -> float:
    import polars as pl

    frames = pl.read_excel(path, sheet_id=0)
    return sum(f.estimated_size() for f in frames.values()) / 2**20


def measure(path: Path, repeat: int) -> tuple[float, float, float]:
    """(median load s, median bare read s, max load peak MiB) over `repeat` alternating runs."""
    bare_code = f"import polars as pl; pl.read_excel({str(path)!r}, sheet_id=0)"
    loads, bares, peaks = [], [], []
    for _ in range(repeat):
        b = run_process([PY, "-c", bare_code])
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "bench.duckdb"
            r = run_process([STUURHUT, "load", str(path), "--db", str(db)],
                            env={"STUURHUT_KEY_FILE": str(Path(tmp) / "key")})
        if r.rc != 0:
            raise SystemExit(f"load failed (rc {r.rc}): {r.err}")
        bares.append(b.seconds)
        loads.append(r.seconds)
        peaks.append(r.peak_mib)
    return median(loads), median(bares), max(peaks)


def run(small: bool = False, repeat: int = 3) -> Section:
    sec = Section("Laden (`stuurhut load`)")
    n100, n1m = (2_000, 20_000) if small else (100_000, 1_000_000)
    f100 = write_attendance_workbook(OUT / f"attendance_{n100}.xlsx", n100)
    load100, bare100, peak100 = measure(f100, repeat)
    ratio = load100 / bare100
    sec.figures.append(Figure(f"{n100:,} rijen: load-proces / kale pl.read_excel-proces".replace(",", "."),
                              f"{ratio:.2f}x ({load100:.2f} s / {bare100:.2f} s)", "<= 1,5x", ratio <= 1.5))
    f1m = write_attendance_workbook(OUT / f"attendance_{n1m}.xlsx", n1m)
    load1m, bare1m, peak1m = measure(f1m, max(1, repeat - 1) if not small else repeat)
    scale = load1m / load100
    sec.figures.append(Figure(f"{n1m:,} rijen / {n100:,} rijen (load-proces)".replace(",", "."),
                              f"{scale:.1f}x ({load1m:.2f} s)", "<= 12x", scale <= 12))
    arrow = arrow_mib(f1m)
    mem_ratio = peak1m / arrow if arrow else float("inf")
    sec.figures.append(Figure(f"piekgeheugen load {n1m:,} rijen / Arrow-grootte".replace(",", "."),
                              f"{mem_ratio:.1f}x ({peak1m:.0f} MiB / {arrow:.0f} MiB)", "<= 4x", mem_ratio <= 4))
    sec.notes.append(f"kale read 1M: {bare1m:.2f} s; load 1M {load1m:.2f} s ({load1m / bare1m:.2f}x)")
    return sec


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--small", action="store_true")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    s = run(a.small, a.repeat)
    for f in s.figures:
        print(f"{f.name}: {f.value} (doel {f.target}) {'ok' if f.ok else 'NIET GEHAALD'}")
    for n in s.notes:
        print(n)
