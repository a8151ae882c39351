"""Start the dashboard: `streamlit run streamlit_app.py` in st.navigation mode from the very first request.

usage: python -m dashboard.server [streamlit run options, e.g. --server.port 8501]

Streamlit 1.67 decides once per process, when the first browser session opens, whether the app is an old-style
"pages directory" app: it is when a pages/ folder sits next to the entry script, as ours does. Until some run
calls st.navigation, a fresh server then runs pages/<page>.py on its own for a deep link (a sidebar of raw file
names, no filters, no login) or the entry script as one of those pages. st.navigation switches this off by
setting the same class attribute we set here, before any session exists, so no request ever sees that mode.
`navigation.leave_pages_directory_mode()` stays as the fallback for a plain `streamlit run streamlit_app.py`.
"""

from __future__ import annotations

import sys
from pathlib import Path

ENTRY = Path(__file__).resolve().parent.parent / "streamlit_app.py"


def navigation_mode_only() -> None:
    """Tell Streamlit this process never runs the pages/ folder as pages (what st.navigation does on its first call)."""
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False


def main(argv: list[str] | None = None) -> None:
    from streamlit.web import cli

    navigation_mode_only()
    from dashboard import prewarm

    prewarm.start()  # imports, warehouse and the overview's queries while the server starts (dashboard/prewarm.py)
    args = ["run", str(ENTRY), *(sys.argv[1:] if argv is None else argv)]
    cli.main(args=args, prog_name="streamlit")


if __name__ == "__main__":
    main()
