"""Dutch-first user texts: `t(key, **values)` looks a key up in dashboard/locales/<lang>.json."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

LOCALES = Path(__file__).parent / "locales"
LANGUAGES = ("nl", "en")
DEFAULT = "nl"
SESSION_KEY = "f_lang"  # the sidebar language switch's widget key (see dashboard/state.py)
RUN_KEY = "lang"  # the language of this script run, once the switch is drawn (dashboard/memo.run_value)


@cache
def catalogue(lang: str) -> dict[str, str]:
    """locales/<lang>.json plus any locales/<area>.<lang>.json (one file per page area keeps edits apart)."""
    out: dict[str, str] = json.loads((LOCALES / f"{lang}.json").read_text(encoding="utf-8"))
    for extra in sorted(LOCALES.glob(f"*.{lang}.json")):
        out.update(json.loads(extra.read_text(encoding="utf-8")))
    return out


def current_language() -> str:
    """The language chosen in this browser session; Dutch outside a Streamlit session (CLI, slides, tests)."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        if get_script_run_ctx(suppress_warning=True) is None:
            return DEFAULT
        from dashboard import memo

        chosen = memo.run_value(RUN_KEY)  # fixed once the switch is drawn (state.language): a page asks ~20 times
        if chosen is not None:
            return chosen
        import streamlit as st

        lang = st.session_state.get(SESSION_KEY, DEFAULT)
    except Exception:  # noqa: BLE001 - no session: fall back to Dutch rather than fail a render
        return DEFAULT
    return lang if lang in LANGUAGES else DEFAULT


def t(key: str, lang: str | None = None, **values: object) -> str:
    """The text for `key` in `lang` (default: the session's language), with {placeholders} filled in.

    A key missing in English falls back to Dutch; a key missing everywhere shows the key itself,
    so a typo is visible on screen and caught by the locale test instead of crashing a page.
    """
    lang = lang or current_language()
    text = catalogue(lang).get(key) or catalogue(DEFAULT).get(key) or key
    return text.format(**values) if values else text
