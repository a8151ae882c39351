"""AppTest entry: runs streamlit_app.py from a folder without a pages/ directory.

AppTest (Streamlit 1.67) rebuilds its PagesManager on every run; next to a pages/ directory it then
reruns the last page script on its own instead of the entry point, dropping the sidebar filters.
streamlit_app.py is compiled once per process and version of the file, as the server's script cache does
(runpy.run_path would compile it again on every run, a cost the real app does not pay).
"""

import sys
import types
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "streamlit_app.py"
_compiled = sys.modules.setdefault("_stuurhut_entry_code", types.ModuleType("_stuurhut_entry_code")).__dict__
_stamp = (str(APP), APP.stat().st_mtime_ns)
if _compiled.get("stamp") != _stamp:
    _compiled["code"], _compiled["stamp"] = compile(APP.read_bytes(), str(APP), "exec"), _stamp
exec(_compiled["code"], {"__name__": "__main__", "__file__": str(APP), "__builtins__": __builtins__})  # noqa: S102
