"""How a table is laid out beside the menu: each column's width, which columns wrap their text, which are bars.

The query modules describe their tables' layouts here (plain data, no Streamlit); `components.fitted` turns a Layout
into the grid's column_config and row height. Widths are for a 1280 px laptop screen, 818 px beside the menu; a wider
screen stretches every column alike. Short headers carry the rest in their tooltip (`helps`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

CONTENT_PX = 818  # the page beside the menu on a 1280 px screen


@dataclass(frozen=True)
class Layout:
    widths: Mapping[str, int]  # shown column name -> width in px
    wrap: tuple[str, ...] = ()  # columns whose text wraps onto more lines (the rows grow to fit)
    bars: tuple[str, ...] = ()  # 0-100 columns drawn as a progress bar
    helps: Mapping[str, str] = field(default_factory=dict)  # header tooltips


def by_code(widths: Mapping[str, int], name: Callable[[str], str], wrap: Iterable[str] = (), bars: Iterable[str] = (),
            helps: Mapping[str, str | None] | None = None) -> Layout:
    """A Layout written with the columns' codes ("result"), named as shown by name(code) ("Resultaat")."""
    return Layout({name(c): w for c, w in widths.items()}, tuple(name(c) for c in wrap), tuple(name(c) for c in bars),
                  {name(c): text for c, text in (helps or {}).items() if text})
