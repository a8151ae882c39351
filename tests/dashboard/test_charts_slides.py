"""charts.slide_chart: a deck ChartSpec as Altair, checked through to_dict (data, encodings, colours, Dutch labels)."""

from __future__ import annotations

from dashboard import charts
from dashboard.slides.model import ChartSpec


def _layers(spec: dict) -> list[dict]:
    return spec["layer"]


def _data(spec: dict) -> list[dict]:
    return next(iter(spec["datasets"].values()))


def test_stacked_bar_keeps_categories_colours_and_labels():
    chart = ChartSpec("stacked_bar", ["OT1", "OT2"], [("Op tijd gereed", [2, 3]), ("Te laat", [1, 0])], "count",
                      "Mijlpalen per ontwikkelteam", colours=("0072B2", "B3380A"))
    d = charts.slide_chart(chart).to_dict()
    assert d["title"]["text"] == "Mijlpalen per ontwikkelteam"
    rows = _data(d)
    assert len(rows) == 4
    assert [(r["category"], r["series"], r["lo"], r["hi"], r["label"]) for r in rows] == [
        ("OT1", "Op tijd gereed", 0.0, 2.0, "2"), ("OT2", "Op tijd gereed", 0.0, 3.0, "3"),
        ("OT1", "Te laat", 2.0, 3.0, "1"), ("OT2", "Te laat", 3.0, 3.0, ""),  # no "0" on an empty segment
    ]
    bars = _layers(d)[0]
    assert bars["mark"]["type"] == "bar"
    assert bars["encoding"]["y"]["field"] == "category" and bars["encoding"]["y"]["sort"] == ["OT1", "OT2"]
    assert bars["encoding"]["x"]["field"] == "lo" and bars["encoding"]["x2"]["field"] == "hi"
    assert bars["encoding"]["color"]["scale"] == {"domain": ["Op tijd gereed", "Te laat"],
                                                   "range": ["#0072B2", "#B3380A"]}


def test_grouped_score_bars_label_with_a_decimal_comma():
    chart = ChartSpec("bar", ["Netwerk"], [("Meting november 2021", [3.97]), ("Meting oktober 2022", [4.12])],
                      "score", "Gemiddelde score per thema")
    d = charts.slide_chart(chart).to_dict()
    assert [r["label"] for r in _data(d)] == ["4,0", "4,1"]
    bars = _layers(d)[0]
    assert bars["encoding"]["yOffset"]["field"] == "series"
    assert bars["encoding"]["x"]["axis"]["format"] == ",.1f"


def test_waterfall_reuses_the_dashboard_waterfall():
    chart = ChartSpec("waterfall", ["Begroot 2022", "Doorgeschoven", "Beschikbaar", "Besteed", "Over voor 2023"],
                      [("Ontwikkelbudget", [460000.0, 362600.0, 822600.0, -295950.0, 526650.0])], "euro",
                      "Ontwikkelbudget 2022", totals=(0, 2, 4))
    d = charts.slide_chart(chart).to_dict()
    rows = _data(d)
    assert [(r["step"], r["kind"], r["begin"], r["end"]) for r in rows] == [
        ("Begroot 2022", "start", 0.0, 460000.0), ("Doorgeschoven", "delta", 460000.0, 822600.0),
        ("Beschikbaar", "total", 0.0, 822600.0), ("Besteed", "delta", 822600.0, 526650.0),
        ("Over voor 2023", "total", 0.0, 526650.0),
    ]
    assert [r["label"] for r in rows] == ["€ 460.000", "€ 362.600", "€ 822.600", "-€ 295.950", "€ 526.650"]
