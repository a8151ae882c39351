"""Chart builders of the Ontwikkelteams, Eindresultaten and Communicatie pages, checked through chart.to_dict()."""

from __future__ import annotations

import datetime as dt

import polars as pl

from dashboard import charts
from dashboard.queries import comms, teams

D = dt.date


def data_of(spec: dict) -> list[dict]:
    """The rows of every dataset in a chart spec, in order."""
    return [row for rows in spec["datasets"].values() for row in rows]


def layer_data(spec: dict, i: int) -> list[dict]:
    """The rows a layer draws: its own data, else the chart's shared data."""
    data = spec["layer"][i].get("data") or spec["data"]
    return spec["datasets"][data["name"]]


def team_frame() -> pl.DataFrame:
    return pl.DataFrame({
        "part": ["OT1", "OT2", "OT3"], "part_name": ["Een", "Twee", None], "held": [5, 2, 4],
        "expected": [5.0] * 3, "target_min": [6.0] * 3, "target_max": [12.0] * 3,
        "meetings_status": ["on_target", "off_target", "at_risk"],
    })


def test_team_meetings_colours_and_words_each_team_and_draws_the_expected_line() -> None:
    spec = charts.team_meetings(team_frame(), 2022).to_dict()
    assert spec["title"]["text"] == "1 van 3 ontwikkelteams op koers met hun overleggen in 2022; minst actief: OT2 (2)"
    assert spec["title"]["subtitle"] == "Stippellijn: verwacht op de peildatum (5); doel 6 tot 12 per jaar"
    assert spec["description"] == spec["title"]["text"]
    bars = layer_data(spec, 0)
    assert [(r["part"], r["held"], r["status"], r["label"]) for r in bars] == [
        ("OT1", 5.0, "op koers", "✓ 5"), ("OT2", 2.0, "uit koers", "✗ 2"), ("OT3", 4.0, "risico", "! 4")]
    colour = spec["layer"][0]["encoding"]["color"]["scale"]
    assert dict(zip(colour["domain"], colour["range"], strict=True))["uit koers"] == "#B3380A"
    assert layer_data(spec, 2) == [{"x": 5.0}]
    assert spec["layer"][0]["encoding"]["x"]["scale"]["domain"] == [0, 5.75]  # room for the labels


def test_team_meetings_in_english_and_without_teams() -> None:
    spec = charts.team_meetings(team_frame(), 2022, "en").to_dict()
    assert spec["title"]["text"].startswith("1 of 3 development teams on target")
    empty = charts.team_meetings(team_frame().clear(), 2022).to_dict()
    assert empty["title"]["text"] == "Nog geen ontwikkelteams bekend"


def test_timeline_keeps_the_warehouse_late_flag() -> None:
    ms = pl.DataFrame({
        "part": ["OT1", "OT1"], "milestone": ["Plan van aanpak", "Een erg lange mijlpaalnaam die niet op de as past, "
                                                                 "ook niet op twee regels van elk 46 tekens"],
        "planned": [D(2022, 3, 31), D(2022, 12, 31)], "done": [None, None], "status": ["loopt", "loopt"],
        "is_late": [False, True],  # the warehouse's flag wins even where the chart's own rule says otherwise
    }, schema_overrides={"done": pl.Date})
    data = teams.timeline_data(ms, with_part=True)
    # a name is shortened only past 80 characters: the axis shows up to two lines (the table shows it whole)
    assert data["item"].to_list() == [
        "OT1 · Plan van aanpak", "OT1 · Een erg lange mijlpaalnaam die niet op de as past, ook niet op twee regels van …"]
    spec = charts.timeline(data, D(2022, 10, 31)).to_dict()
    axis = spec["layer"][0]["encoding"]["y"]["axis"]
    assert "lastindexof(slice(datum.label, 0, 46), ' ')" in axis["labelExpr"]
    assert spec["title"]["text"] == "1 van 2 mijlpalen te laat"
    rows = layer_data(spec, 0)
    assert [(r["state"], r["label"]) for r in rows] == [("op tijd", ""), ("te laat", "! te laat")]


def test_end_results_status_stacks_by_status_with_icon_and_word() -> None:
    df = pl.DataFrame({"part": ["AT", "OT1", "OT1", "OT2"], "part_name": ["Atelier", "Een", "Een", "Twee"],
                       "status": ["vervallen", "gereed", "loopt", "gereed"], "end_results": [1, 1, 2, 1]})
    spec = charts.end_results_status(df).to_dict()
    assert spec["title"]["text"] == "2 van 4 eindresultaten gereed"  # the vervallen one does not count
    rows = data_of(spec)
    assert len(rows) == 4
    assert [r["status"] for r in rows] == ["✗ vervallen", "✓ gereed", "▶ loopt", "✓ gereed"]
    scale = spec["encoding"]["color"]["scale"]
    assert scale["domain"] == ["✓ gereed", "▶ loopt", "! vertraagd", "○ niet gestart", "✗ vervallen"]
    assert scale["range"][2] == "#B3380A"
    assert spec["encoding"]["y"]["sort"] == ["AT", "OT1", "OT2"]
    assert charts.end_results_status(df, "en").to_dict()["title"]["text"] == "2 of 4 end results done"
    assert charts.work_status_label("niet gestart", "en") == "○ not started"
    assert charts.work_status_label("onbekend") == "onbekend"


def test_communication_per_month_and_year() -> None:
    month = pl.DataFrame({"month": [D(2022, 1, 1), D(2022, 1, 1), D(2022, 2, 1)],
                          "channel": ["linkedin", "nieuwsbrief", "linkedin"], "items": [2, 1, 1], "reach": [900, 400, None]})
    spec = charts.communication(month, "month", "in 2022").to_dict()
    assert spec["title"]["text"] == "4 uitingen in 2022, de meeste via LinkedIn (3)"
    bars, totals = layer_data(spec, 0), layer_data(spec, 1)
    assert [r["label"] for r in bars] == ["LinkedIn", "nieuwsbrief", "LinkedIn"]
    assert [r["items"] for r in totals] == [3, 1]
    assert spec["layer"][0]["encoding"]["x"]["timeUnit"] == "yearmonth"
    colour = spec["layer"][0]["encoding"]["color"]["scale"]
    assert len(colour["domain"]) == 10 and colour["domain"][0] == "nieuwsbrief"
    year = pl.DataFrame({"year": [2021, 2022], "channel": ["werkboek", "werkboek"], "items": [1, 2], "reach": [None, None]})
    spec = charts.communication(year, "year", comms.years_text([2021, 2022]), "en").to_dict()
    assert spec["title"]["text"] == "3 items in 2021–2022, most of them via workbook (3)"
    assert charts.communication(month.clear(), "month", "in 2023").to_dict()["title"]["text"] == \
        "Nog geen communicatie in 2023"


def test_contacts_by_tag_sorted_with_the_untagged_last() -> None:
    df = pl.DataFrame({"tag": ["Volgers", "Kernteam", None], "contacts": [369, 12, 3]})
    spec = charts.contacts_by_tag(df).to_dict()
    assert spec["title"]["text"] == "De meeste contacten hebben de tag Volgers: 369"
    rows = layer_data(spec, 0)
    assert [(r["tag"], r["contacts"]) for r in rows] == [("Volgers", 369), ("Kernteam", 12), ("(zonder tag)", 3)]
    assert spec["layer"][0]["encoding"]["y"]["sort"] == ["Volgers", "Kernteam", "(zonder tag)"]


def test_partners_by_kind_per_year() -> None:
    df = pl.DataFrame({"year": [2021, 2021, 2022, 2022, 2022], "partner_kind": ["gemeente", "rijk", "gemeente", "rijk",
                                                                             "adviesbureau"],
                       "active": [10, 3, 11, 4, 0], "joined": [10, 3, 1, 1, 1], "left": [0, 0, 0, 0, 1]})
    spec = charts.partners_by_kind(df).to_dict()
    assert spec["title"]["text"] == "15 partners in 2022, waarvan 11 gemeenten"
    bars, totals = layer_data(spec, 0), layer_data(spec, 1)
    assert len(bars) == 4  # a type without active partners draws no bar
    assert [(r["year"], r["active"]) for r in totals] == [(2021, 13), (2022, 15)]
    assert charts.partners_by_kind(df, "en").to_dict()["layer"][0]["encoding"]["color"]["scale"]["domain"][0] == \
        "municipality"
    assert charts.partners_by_kind(df.clear()).to_dict()["title"]["text"] == "Nog geen partners"
