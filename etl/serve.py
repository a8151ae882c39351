"""`stuurhut serve`: start the Streamlit dashboard on the given database (building nothing)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def serve_command(port: int) -> list[str]:
    # dashboard.server is `streamlit run streamlit_app.py` that never runs pages/ as old-style pages (see there)
    return [sys.executable, "-m", "dashboard.server", "--server.port", str(port)]


def cli_serve(args) -> int:
    db = Path(args.db).absolute()
    if not db.exists():
        print(f"stuurhut: let op, database {db} bestaat nog niet; bouw de demo met `stuurhut demo` of laad een "
              "levering met `stuurhut load`", file=sys.stderr)
    env = dict(os.environ, STUURHUT_DB=str(db))
    os.chdir(REPO)
    os.execvpe(sys.executable, serve_command(args.port), env)
    return 0  # not reached: exec replaces this process
