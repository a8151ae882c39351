"""Run the real `stuurhut` CLI in a subprocess with a time limit, measuring the peak memory of its process tree."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    max_rss: int  # bytes: the largest resident set of the process tree (wait4 includes reaped grandchildren)


def run_cli(args: list[str], cwd: Path, timeout: float = 90.0) -> Run:
    """`python -m etl.cli ARGS` in its own session; killed (as a group) after timeout; peak memory via wait4."""
    out, err = cwd / ".stdout", cwd / ".stderr"
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUURHUT_")}
    env["PYTHONPATH"] = str(REPO)
    with open(out, "wb") as fo, open(err, "wb") as fe:
        start = time.monotonic()
        p = subprocess.Popen([sys.executable, "-m", "etl.cli", *args], cwd=cwd, stdout=fo, stderr=fe, env=env,
                             start_new_session=True)
        timer = threading.Timer(timeout, lambda: os.killpg(p.pid, signal.SIGKILL))
        timer.start()
        try:
            _, status, usage = os.wait4(p.pid, 0)
        finally:
            timer.cancel()
        p.returncode = os.waitstatus_to_exitcode(status)  # reaped here; keep Popen from waiting again
        seconds = time.monotonic() - start
    return Run(p.returncode, out.read_text("utf-8"), err.read_text("utf-8"), seconds, usage.ru_maxrss * 1024)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


