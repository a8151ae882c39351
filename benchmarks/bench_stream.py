"""Big-sheet reading: etl.xlsx_stream against fastexcel on the attendance deliveries, time and peak RSS per fresh process.

Each measurement is one new Python process that reads the Aanwezigheid sheet the way the read child would:
fastexcel ``load_sheet(header_row=0, whitespace_as_null=True).to_arrow_with_errors()`` plus the IPC bytes the child
hands to its parent (etl.parse._ipc), or ``xlsx_stream.read_sheet(..., out_path=..., isolated=True)`` writing the
IPC stream to a file. Reported: medians of the read time (imports excluded), of the process's CPU time (imports
included; steadier than wall time on a busy machine), of its peak RSS (imports included) and the Arrow size of the
data. Usage: ``python benchmarks/bench_stream.py [--rows 100000 1000000]
[--repeat 3]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import OUT, PY, median  # noqa: E402

SHEET = "Aanwezigheid"


def _one(mode: str, path: str, result: str) -> None:
    """Inside the measured process: read the sheet once, write {seconds, arrow_mib, rows, peak_mib} to `result`."""
    import resource
    import zipfile

    t = time.perf_counter()
    if mode == "fastexcel":
        import fastexcel
        import pyarrow  # noqa: F401 - as the child does before converting

        from etl.parse import _ipc

        sheet = fastexcel.read_excel(path).load_sheet(SHEET, header_row=0, whitespace_as_null=True)
        batch, _errors = sheet.to_arrow_with_errors()
        data = _ipc(batch)
        rows, arrow = batch.num_rows, batch.nbytes
        del data
    else:
        from etl import guard
        from etl.xlsx_stream import read_sheet

        with zipfile.ZipFile(path) as zf:
            members, sst = guard.workbook_sheets(zf)
        member = dict(members)[SHEET]
        fd, ipc = tempfile.mkstemp(suffix=".arrow")
        os.close(fd)
        try:
            out = read_sheet(path, member, sst, "xl/styles.xml", 0, out_path=ipc, isolated=True)
            seconds = time.perf_counter() - t
            import pyarrow as pa

            with pa.OSFile(ipc, "rb") as f:  # the data's Arrow size, measured after the read
                table = pa.ipc.open_file(f).read_all()
            rows, arrow = out.rows, table.nbytes
        finally:
            os.unlink(ipc)
    if mode == "fastexcel":
        seconds = time.perf_counter() - t
    usage = resource.getrusage(resource.RUSAGE_SELF)
    Path(result).write_text(json.dumps({"seconds": seconds, "arrow_mib": arrow / 2**20, "rows": rows,
                                        "peak_mib": usage.ru_maxrss / 1024, "cpu": usage.ru_utime + usage.ru_stime}))


def run_once(mode: str, path: Path) -> dict:
    fd, result = tempfile.mkstemp(suffix=".json")
    os.close(fd)
    try:
        subprocess.run([PY, __file__, "--one", mode, str(path), result], check=True,
                       cwd=Path(__file__).resolve().parents[1])
        return json.loads(Path(result).read_text())
    finally:
        os.unlink(result)


def measure(path: Path, repeat: int) -> dict[str, dict]:
    """Per mode: medians over `repeat` alternating fresh processes."""
    runs: dict[str, list[dict]] = {"fastexcel": [], "stream": []}
    for _ in range(repeat):
        for mode in runs:
            runs[mode].append(run_once(mode, path))
    out = {}
    for mode, rs in runs.items():
        out[mode] = {"seconds": median([r["seconds"] for r in rs]), "peak_mib": median([r["peak_mib"] for r in rs]),
                     "cpu": median([r["cpu"] for r in rs]), "arrow_mib": rs[0]["arrow_mib"], "rows": rs[0]["rows"]}
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--one", nargs=3, metavar=("MODE", "FILE", "RESULT"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        _one(*args.one)
        return
    from benchmarks.bench_load import write_attendance_workbook

    print(f"{'rows':>9} {'reader':<10} {'read s':>7} {'CPU s':>6} {'peak MiB':>9} {'Arrow MiB':>10} {'peak/Arrow':>10}")
    for n in args.rows:
        path = write_attendance_workbook(OUT / f"attendance_{n}.xlsx", n)
        for mode, m in measure(path, args.repeat).items():
            print(f"{m['rows']:>9} {mode:<10} {m['seconds']:>7.2f} {m['cpu']:>6.2f} {m['peak_mib']:>9.0f} "
                  f"{m['arrow_mib']:>10.1f} "
                  f"{m['peak_mib'] / max(m['arrow_mib'], 1e-9):>10.1f}")


if __name__ == "__main__":
    main()
