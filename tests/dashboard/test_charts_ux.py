"""Room for bar labels: labels that start at the plot's right edge are not cut off; target lines do not cross figures."""

from __future__ import annotations

from dashboard import charts
from tests.dashboard.test_charts_budget_meetings_survey import ORGS, VS_TARGET


def test_meetings_vs_target_leaves_room_right_of_the_widest_target_band() -> None:
    spec = charts.meetings_vs_target(VS_TARGET, 2022).to_dict()
    assert spec["padding"] == {"left": 48, "right": 240, "top": 6, "bottom": 6}
    assert spec["layer"][-1]["mark"]["type"] == "text"  # "2022: ✓ op koers · 7 (doel 6 tot 12)" at x = 12


def test_attendance_labels_are_drawn_over_the_target_line_with_room_for_100_percent() -> None:
    spec = charts.attendance_rate(ORGS, "organisation", 0.7).to_dict()
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["bar", "rule", "text", "text", "text"]
    assert spec["layer"][-2]["mark"]["stroke"] == "white"  # a halo under the figures
    assert spec["layer"][-1]["encoding"]["text"]["field"] == "label"  # the figures last, above the dashed line
    assert spec["padding"]["right"] == 110
