"""Chart builders through to_dict(): titles state the finding, Dutch formats, status in words, row limits."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from dashboard import charts, theme


def indicators_frame() -> pl.DataFrame:
    """A stand-in for dashboard.queries.indicators.indicators(): three indicators, one of each unit."""
    return pl.DataFrame({
        "indicator": ["kernteam_meetings", "attendance_rate", "dev_budget_surplus", "contacts"],
        "year": [2022] * 4,
        "value": [4.0, 0.72, 12500.0, None],
        "target_min": [6.0, 0.7, None, 462.0],
        "target_max": [6.0, None, None, None],
        "status": ["at_risk", "on_target", "no_data", "no_data"],
        "label_nl": ["Kernteamoverleggen gehouden", "Opkomst bij gehouden bijeenkomsten",
                     "Ontwikkelbudget doorgeschoven naar volgend jaar", "Unieke contacten in de mailinglijst"],
        "label_en": ["Core team meetings held", "Attendance at held meetings", "Development budget carried over",
                     "Unique mailing-list contacts"],
        "unit": ["count", "ratio", "euro", "count"],
        "expected_to_date": [5.0, 0.7, None, 462.0],
        "previous_value": [2.0, 0.75, 10000.0, None],
        "change": [2.0, -0.03, 2500.0, None],
    })


def test_indicator_status_title_states_the_finding_in_words() -> None:
    spec = charts.indicator_status(indicators_frame()).to_dict()
    assert spec["title"]["text"] == "1 van 4 indicatoren op koers, 1 risico"
    assert spec["description"] == "1 van 4 indicatoren op koers, 1 risico"
    data = next(iter(spec["datasets"].values()))
    by_name = {r["indicator"]: r for r in data}
    assert by_name["Kernteamoverleggen gehouden"]["label"] == "! 4"  # icon + value, never colour alone
    assert by_name["Kernteamoverleggen gehouden"]["attained"] == pytest.approx(0.8)  # 4 of the 5 due so far
    assert by_name["Ontwikkelbudget doorgeschoven naar volgend jaar"]["label"] == "– € 12.500 (geen doel)"
    colours = spec["layer"][0]["encoding"]["color"]["scale"]
    assert colours["domain"] == ["uit koers", "risico", "op koers", "geen gegevens"]
    assert colours["range"] == ["#B3380A", "#8A5A00", "#00704F", "#5C6670"]


def test_an_indicator_without_a_target_is_not_counted_as_on_target() -> None:
    """The budget carried over has no target (accrual "none"): its tile says "ter informatie", so the finding over
    all indicators does not count it among those on target either."""
    frame = indicators_frame().with_columns(
        status=pl.Series(["at_risk", "on_target", "on_target", "no_data"]),
        accrual=pl.Series(["sum", "level", "none", "sum"]))
    assert charts.describe_indicator_status(frame) == "1 van 3 indicatoren op koers, 1 risico"
    judged = frame.with_columns(accrual=pl.lit("sum"))
    assert charts.describe_indicator_status(judged) == "2 van 4 indicatoren op koers, 1 risico"
    # its bar says so too: "– € 12.500 (geen doel)" in grey, "ter informatie" in the legend, never a green ✓
    spec = charts.indicator_status(frame).to_dict()
    data = {r["indicator"]: r for r in next(iter(spec["datasets"].values()))}
    carried = data["Ontwikkelbudget doorgeschoven naar volgend jaar"]
    assert (carried["status"], carried["label"]) == ("ter informatie", "– € 12.500 (geen doel)")
    scale = spec["layer"][0]["encoding"]["color"]["scale"]
    assert scale["domain"][-1] == "ter informatie" and scale["range"][-1] == "#5C6670"


def test_indicator_status_in_english() -> None:
    spec = charts.indicator_status(indicators_frame(), lang="en").to_dict()
    assert spec["title"]["text"] == "1 of 4 indicators on target, 1 at risk"


def test_indicator_changes_one_panel_per_unit_with_dutch_labels() -> None:
    spec = charts.indicator_changes(indicators_frame()).to_dict()
    assert spec["title"]["text"] == "3 indicatoren veranderd sinds de vorige levering"
    assert len(spec["vconcat"]) == 3
    labels = [r["label"] for ds in spec["datasets"].values() for r in ds if "label" in r]
    assert labels == ["+2", "-3 procentpunt", "+€ 2.500"]
    assert spec["vconcat"][2]["layer"][0]["encoding"]["x"]["axis"]["format"] == "$,.0f"


def test_indicator_changes_without_changes_says_so() -> None:
    unchanged = indicators_frame().with_columns(change=pl.lit(0.0))
    assert charts.indicator_changes(unchanged).to_dict()["title"]["text"] == "Geen veranderingen sinds de vorige levering"


def test_likert_diverges_around_the_neutral_midpoint() -> None:
    labels = ["helemaal oneens", "oneens", "neutraal", "eens", "helemaal eens"]
    df = pl.DataFrame({"question": ["V1"] * 5 + ["V2"] * 5, "answer": labels * 2, "score": [1, 2, 3, 4, 5] * 2,
                       "respondents": [1, 1, 2, 4, 2, 0, 0, 0, 5, 5]})
    spec = charts.likert(df).to_dict()
    assert spec["title"]["text"] == "80% van de antwoorden is positief"  # (4+2+5+5) of 20
    rows = {(r["question"], r["score"]): r for r in next(iter(spec["datasets"].values()))}
    # V1: 10% + 10% disagree and half of the 20% neutral sit left of zero
    assert rows[("V1", 1)]["start"] == pytest.approx(-0.3)
    assert rows[("V1", 3)]["start"] == pytest.approx(-0.1) and rows[("V1", 3)]["end"] == pytest.approx(0.1)
    assert rows[("V2", 5)]["end"] == pytest.approx(1.0)
    assert spec["layer"][0]["encoding"]["color"]["scale"]["domain"] == labels


def test_waterfall_carries_the_level_and_ends_in_the_finding() -> None:
    df = pl.DataFrame({"step": ["Begroot 2022", "Overschot 2021", "Gerealiseerd 2022", "Overschot 2022"],
                       "amount": [100000.0, 12500.0, -90000.0, None], "kind": ["start", "delta", "delta", "total"]})
    spec = charts.waterfall(df).to_dict()
    assert spec["title"]["text"] == "Overschot 2022: € 22.500"
    rows = next(iter(spec["datasets"].values()))
    assert [(r["begin"], r["end"]) for r in rows] == [(0, 100000), (100000, 112500), (112500, 22500), (0, 22500)]
    assert [r["label"] for r in rows] == ["€ 100.000", "€ 12.500", "-€ 90.000", "€ 22.500"]


def test_timeline_marks_late_milestones_in_words() -> None:
    df = pl.DataFrame({
        "item": ["Toetsingskader", "Volwassenheidsmodel", "Werkboek", "Masterclass"],
        "part": ["OT1", "OT2", "ATL", "ATL"],
        "planned": [dt.date(2022, 3, 31), dt.date(2022, 6, 30), dt.date(2022, 9, 30), dt.date(2022, 12, 31)],
        "done": [dt.date(2022, 3, 1), dt.date(2022, 8, 15), None, None],
        "status": ["gereed", "gereed", "loopt", "niet gestart"],
    })
    spec = charts.timeline(df, dt.date(2022, 10, 31)).to_dict()
    assert spec["title"]["text"] == "2 van 4 mijlpalen te laat"  # done late, and open past its date
    rows = {r["item"]: r for r in next(iter(spec["datasets"].values()))}
    assert rows["Volwassenheidsmodel"]["label"] == "! te laat"
    assert rows["Werkboek"]["label"] == "! te laat"
    assert rows["Masterclass"]["label"] == ""
    assert rows["Toetsingskader"]["planned_nl"] == "31 maart 2022"


def test_target_vs_actual_with_a_stated_finding() -> None:
    df = pl.DataFrame({"category": ["2021", "2022"], "actual": [6, 2], "target": [6, 6]})
    spec = charts.target_vs_actual(df, title=charts.count_of(2, 6, "kernteamoverleggen gehouden")).to_dict()
    assert spec["title"]["text"] == "2 van 6 kernteamoverleggen gehouden"
    assert charts.describe_target_vs_actual(df) == "1 van 2 op of boven het doel"
    assert [r["label"] for r in next(iter(spec["datasets"].values()))] == ["6", "2", "6", "6"]


def test_theme_carries_the_dutch_number_and_time_locale() -> None:
    spec = charts.target_vs_actual(pl.DataFrame({"category": ["a"], "actual": [12500], "target": [10000]}), unit="euro").to_dict()
    assert spec["config"]["locale"]["number"] == {"decimal": ",", "thousands": ".", "grouping": [3],
                                                  "currency": ["€ ", ""], "minus": "-"}
    assert spec["config"]["locale"]["time"]["months"][11] == "december"
    assert spec["usermeta"]["embedOptions"]["formatLocale"]["currency"] == ["€ ", ""]
    assert spec["layer"][0]["encoding"]["y"]["axis"]["format"] == "$,.0f"


def test_rendered_axis_uses_dutch_separators() -> None:
    import re

    import vl_convert as vlc

    df = pl.DataFrame({"category": ["a", "b"], "actual": [12500, 3000], "target": [10000, 10000]})
    svg = vlc.vegalite_to_svg(charts.target_vs_actual(df, unit="euro").properties(width=400).to_dict())
    texts = re.findall(r">([^<]+)</text>", svg)
    assert "€ 12.500" in texts and "€ 10.000" in texts


def test_more_than_5000_rows_is_refused() -> None:
    df = pl.DataFrame({"category": [str(i) for i in range(5001)], "actual": [1] * 5001, "target": [1] * 5001})
    with pytest.raises(ValueError, match="5001 rijen"):
        charts.target_vs_actual(df)


def test_status_colours_meet_aa_contrast_on_white() -> None:
    def luminance(hex_colour: str) -> float:
        rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    for s in theme.STATUSES.values():
        for background in ("#FFFFFF", s.background):
            ratio = (max(luminance(background), luminance(s.colour)) + 0.05) / (min(luminance(background), luminance(s.colour)) + 0.05)
            assert ratio >= 4.5, (s.code, background, round(ratio, 2))
