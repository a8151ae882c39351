"""dashboard.server: the launcher switches Streamlit's old pages/ mode off before any session and runs streamlit_app.py."""

from __future__ import annotations

from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

from dashboard import server

ROOT = Path(__file__).resolve().parents[2]


def test_launcher_switches_pages_directory_mode_off_then_runs_the_entry_script(monkeypatch):
    monkeypatch.setattr(PagesManager, "uses_pages_directory", None)
    calls = []
    monkeypatch.setattr(cli, "main", lambda args, prog_name: calls.append((args, prog_name, PagesManager.uses_pages_directory)))
    server.main(["--server.port", "8765"])
    assert calls == [(["run", str(ROOT / "streamlit_app.py"), "--server.port", "8765"], "streamlit", False)]


def test_a_session_created_after_the_launcher_is_not_a_pages_directory_app(monkeypatch):
    # PagesManager only decides when the flag is still None; pages/ sits beside the entry script
    monkeypatch.setattr(PagesManager, "uses_pages_directory", None)
    PagesManager(str(ROOT / "streamlit_app.py"))
    assert PagesManager.uses_pages_directory is True  # what a plain `streamlit run` gets
    server.navigation_mode_only()
    PagesManager(str(ROOT / "streamlit_app.py"))
    assert PagesManager.uses_pages_directory is False
