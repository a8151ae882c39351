"""Table layouts: every described table fits beside the menu on a 1280 px screen, and fitted() configures each column."""

from __future__ import annotations

import polars as pl
import pytest

from dashboard import components
from dashboard.layout import CONTENT_PX, Layout, by_code
from dashboard.queries import compare, meetings, results, teams

LAYOUTS = {
    "register": lambda lang: results.register_layout(lang),
    "catalogue": lambda lang: compare.catalogue_layout(lang),
    "team overview": lambda lang: teams.overview_layout(2022, lang),
    "absentees": lambda lang: meetings.absentee_layout(lang),
    "benchmark": lambda lang: compare.bench_layout(lang),
}


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("name", list(LAYOUTS))
def test_every_layout_fits_beside_the_menu_at_1280(name: str, lang: str) -> None:
    layout = LAYOUTS[name](lang)
    # the grid draws a 1 px border on either side; the browser test measures the real thing
    assert sum(layout.widths.values()) <= CONTENT_PX - 2, (name, sum(layout.widths.values()))
    assert set(layout.wrap) | set(layout.bars) <= set(layout.widths)
    assert not set(layout.wrap) & set(layout.bars)
    assert set(layout.helps) <= set(layout.widths)


def test_layouts_name_the_columns_their_tables_show() -> None:
    """A layout's names are the headers its table is drawn with, in both languages (a width under another name
    would silently not apply)."""
    ov = pl.DataFrame({"part": ["OT1"], "part_name": ["Team"], "done": [1], "milestones": [2], "late": [0],
                       "progress": [0.5], "held": [3], "expected": [2.0], "meetings_status": ["on_target"],
                       "end_results_ready": [0], "end_results": [1]})
    for lang in ("nl", "en"):
        assert list(teams.overview_layout(2022, lang).widths) == teams.overview_table(ov, 2022, lang).columns
        away = pl.DataFrame({"organisation": ["Gemeente A"], "partner_kind": ["gemeente"], "invitations": [3],
                             "present": [1], "excused": [1], "absent": [1], "rate": [1 / 3]})
        shown = meetings.display(away, list(meetings.ABSENTEE_WIDTHS), lang)
        assert list(meetings.absentee_layout(lang).widths) == shown.columns


def test_fitted_gives_widths_tooltips_bars_and_wrapped_rows() -> None:
    df = pl.DataFrame({"Naam": ["Integrale opgave en beleidsontwikkeling"], "Te laat": [2], "Voortgang": [30]})
    layout = by_code({"name": 100, "late": 62, "progress": 90},
                     {"name": "Naam", "late": "Te laat", "progress": "Voortgang"}.get,
                     wrap=("name",), bars=("progress",), helps={"late": "niet op tijd", "name": None})
    assert layout == Layout({"Naam": 100, "Te laat": 62, "Voortgang": 90}, ("Naam",), ("Voortgang",),
                            {"Te laat": "niet op tijd"})  # a tooltip of None is left out
    config, row_height = components.fitted(df, layout)
    assert {c: config[c]["width"] for c in config} == {"Naam": 100, "Te laat": 62, "Voortgang": 90}
    assert config["Te laat"]["help"] == "niet op tijd" and config["Naam"].get("help") is None
    assert config["Voortgang"]["type_config"]["type"] == "progress"
    assert config["Naam"]["type_config"]["type"] == "text"
    # 100 px holds 12 characters a line: the name takes four lines, so the rows grow (the grid wraps above 64 px)
    assert row_height == 10 + 4 * 18
