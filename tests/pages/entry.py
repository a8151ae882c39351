"""AppTest entry: runs streamlit_app.py from a folder without a pages/ directory.

AppTest (Streamlit 1.67) rebuilds its PagesManager on every run; next to a pages/ directory it then
reruns the last page script on its own instead of the entry point, dropping the sidebar filters.
"""

import runpy
from pathlib import Path

runpy.run_path(str(Path(__file__).resolve().parents[2] / "streamlit_app.py"), run_name="__main__")
