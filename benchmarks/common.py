"""Shared helpers for the benchmarks: timing whole processes, medians, peak memory and the RESULTS.md table."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
PY = sys.executable
STUURHUT = str(Path(PY).with_name("stuurhut"))

# Runs a command and prints its wall time and the peak RSS (KiB) of the process tree it waited for.
_WRAP = (
    "import resource,subprocess,sys,time,json;t=time.perf_counter();"
    "r=subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.PIPE);"
    "w=time.perf_counter()-t;"
    "u=resource.getrusage(resource.RUSAGE_CHILDREN);"
    "print(json.dumps({'rc':r.returncode,'s':w,'kib':u.ru_maxrss,'cpu':u.ru_utime+u.ru_stime,"
    "'err':r.stderr.decode(errors='replace')[-2000:]}))"
)


# Like _WRAP, and also samples the memory of the whole process tree every 20 ms: the root's RSS plus the private
# pages (USS) of its descendants. A forked reader child shares its parent's pages, so summing RSS would count them
# twice; PSS would split shared libraries with every other Python process on the machine.
_WRAP_TREE = (
    "import json,os,subprocess,sys,time,resource\n"
    "def kids(pid):\n"
    "    out=[]\n"
    "    for t in os.listdir(f'/proc/{pid}/task'):\n"
    "        try: out+= [int(x) for x in open(f'/proc/{pid}/task/{t}/children').read().split()]\n"
    "        except OSError: pass\n"
    "    return out\n"
    "def mem(pid, root):\n"
    "    keys=('Rss:',) if root else ('Private_Clean:','Private_Dirty:')\n"
    "    try: return sum(int(l.split()[1]) for l in open(f'/proc/{pid}/smaps_rollup') if l.startswith(keys))\n"
    "    except OSError: return 0\n"
    "t=time.perf_counter();p=subprocess.Popen(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.PIPE)\n"
    "peak=0\n"
    "while p.poll() is None:\n"
    "    total=mem(p.pid,True)\n"
    "    try: todo=kids(p.pid)\n"
    "    except OSError: todo=[]\n"
    "    while todo:\n"
    "        q=todo.pop(); total+=mem(q,False)\n"
    "        try: todo+=kids(q)\n"
    "        except OSError: pass\n"
    "    peak=max(peak,total); time.sleep(0.02)\n"
    "w=time.perf_counter()-t;err=p.stderr.read()\n"
    "u=resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print(json.dumps({'rc':p.returncode,'s':w,'kib':u.ru_maxrss,'cpu':u.ru_utime+u.ru_stime,"
    "'tree':peak,'err':err.decode(errors='replace')[-2000:]}))\n"
)


@dataclass
class Run:
    seconds: float
    peak_mib: float  # peak RSS of the largest single process of the tree
    rc: int
    err: str = ""
    tree_mib: float = 0.0  # peak of root RSS + descendants' private memory (sampled; only with tree=True)
    cpu: float = 0.0  # user + system CPU seconds of the whole process tree: far less sensitive to a busy machine


def run_process(cmd: list[str], env: dict | None = None, tree: bool = False) -> Run:
    """Wall time and peak memory of one whole process (imports included); tree=True also samples the whole tree."""
    out = subprocess.run([PY, "-c", _WRAP_TREE if tree else _WRAP, *cmd], capture_output=True, text=True,
                         env={**os.environ, **(env or {})}, cwd=ROOT, check=True)
    d = json.loads(out.stdout.strip().splitlines()[-1])
    return Run(d["s"], d["kib"] / 1024, d["rc"], d["err"], d.get("tree", 0) / 1024, d.get("cpu", 0.0))


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def timed(fn, repeat: int = 5) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


@dataclass
class Figure:
    """One measured figure with its target; `ok` says whether the target is met."""

    name: str
    value: str
    target: str
    ok: bool
    detail: str = ""


@dataclass
class Section:
    title: str
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, {mem:.0f} GiB, {cpu}; Python {platform.python_version()}"


def section_lines(sec: Section, measured: str | None = None) -> list[str]:
    """A section of RESULTS.md: heading, optional 'Gemeten ...' line, the figures as a table, the notes."""
    lines = [f"## {sec.title}", ""] + ([measured, ""] if measured else [])
    lines += ["| figure | value | target | met |", "| --- | --- | --- | --- |"]
    lines += [f"| {f.name} | {f.value} | {f.target} | {'ja' if f.ok else 'NEE'} |" for f in sec.figures]
    return lines + [""] + [f"- {n}" for n in sec.notes] + ([""] if sec.notes else [])


def print_section(sec: Section) -> None:
    """A section on the terminal: each figure with ok/NEE and its target, then the notes."""
    print(f"\n## {sec.title}", flush=True)
    for f in sec.figures:
        print(f"  {'ok ' if f.ok else 'NEE'}  {f.name}: {f.value}  (doel {f.target})", flush=True)
    for n in sec.notes:
        print(f"       {n}", flush=True)


def write_results(sections: list[Section], path: Path = ROOT / "benchmarks" / "RESULTS.md") -> str:
    lines = ["# Benchmark results", "",
             f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {machine()}.",
             "Machines here are noisy: every figure is a median of several runs and, where a target is a ratio,",
             "the reference was measured in the same run. Reproduce with `make bench`.", ""]
    for s in sections:
        lines += section_lines(s)
    text = "\n".join(lines)
    path.write_text(text, encoding="utf-8")
    json_path = path.with_suffix(".json")
    json_path.write_text(json.dumps([asdict(s) for s in sections], indent=1, ensure_ascii=False), encoding="utf-8")
    return text
