"""Chart labels stay readable: attendance figures over the target line on a halo; the as-of label inside the timeline."""

from __future__ import annotations

import datetime as dt

import polars as pl

from dashboard import charts
from tests.dashboard.test_charts_budget_meetings_survey import ORGS


def test_attendance_labels_are_drawn_over_the_target_line() -> None:
    spec = charts.attendance_rate(ORGS, "organisation", 0.7).to_dict()
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["bar", "rule", "text", "text", "text"]
    assert spec["layer"][-2]["mark"]["stroke"] == "white"  # a halo under the figures
    assert spec["layer"][-1]["encoding"]["text"]["field"] == "label"  # the figures last, above the dashed line


def _timeline_label(as_of: dt.date) -> dict:
    df = pl.DataFrame({"meeting_date": [dt.date(2022, 3, 15)], "meeting_kind": ["kernteam"], "title": ["Kernteam maart"],
                       "part": [None], "form": [None], "status": ["gehouden"]},
                      schema_overrides={"part": pl.String, "form": pl.String})
    spec = charts.meetings_timeline(df, 2022, as_of).to_dict()
    return spec["layer"][-1]["mark"]


def test_the_as_of_label_stays_inside_the_timeline() -> None:
    late = _timeline_label(dt.date(2022, 10, 31))  # "peildatum 31 oktober 2022" ran off the right edge
    assert (late["align"], late["dx"]) == ("right", -4)
    early = _timeline_label(dt.date(2022, 2, 28))
    assert (early["align"], early["dx"]) == ("left", 4)
