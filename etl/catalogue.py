"""The steering-indicator catalogue: codes, labels, units and default targets (DESIGN.md, CDOR work programme 2022)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Unit = Literal["count", "ratio", "euro"]


@dataclass(frozen=True)
class Indicator:
    code: str
    label_nl: str
    label_en: str
    unit: Unit
    target_min: float | None
    target_max: float | None
    target_text_nl: str
    # "sum": the target is for a whole year and is scaled to the Peildatum in a year in progress;
    # "level": the target holds at any moment (shares, stocks); "none": shown without a target.
    accrual: Literal["sum", "level", "none"]
    # True when more is worse (none yet); kept explicit so status rules never guess.
    lower_is_better: bool = False


CATALOGUE: tuple[Indicator, ...] = (
    Indicator("kernteam_meetings", "Kernteamoverleggen gehouden", "Core team meetings held",
              "count", 6, 6, "6 per jaar", "sum"),
    Indicator("directors_meetings", "Directeurenoverleggen gehouden", "Directors' meetings held",
              "count", 2, 2, "2 per jaar", "sum"),
    Indicator("work_sessions", "Werksessies atelier gehouden", "Atelier work sessions held",
              "count", 6, 9, "6 tot 9 per jaar", "sum"),
    Indicator("atelier_days", "Atelierdagen gehouden", "Atelier days held",
              "count", 2, 2, "2 per jaar (rond april en oktober)", "sum"),
    Indicator("team_meetings", "Overleggen van het minst actieve ontwikkelteam", "Meetings of the least active development team",
              "count", 6, 12, "6 tot 12 per jaar", "sum"),
    Indicator("lead_meetings", "Kartrekkersoverleggen gehouden", "Lead-team meetings held",
              "count", 3, 4, "3 tot 4 per jaar", "sum"),
    Indicator("newsletters", "Nieuwsbrieven verstuurd", "Newsletters sent",
              "count", 6, 8, "6 tot 8 per jaar", "sum"),
    Indicator("team_updates", "Teamupdates verstuurd", "Team updates sent",
              "count", 6, 6, "6 per jaar", "sum"),
    Indicator("workbook_updates", "Werkboekupdates", "Workbook updates",
              "count", 2, 2, "2 per jaar", "sum"),
    Indicator("survey_respondents", "Respondenten enquête", "Survey respondents",
              "count", 33, None, "minstens het aantal van vorig jaar (33 in november 2021)", "level"),
    Indicator("dev_budget_spent", "Deel ontwikkelbudget besteed", "Share of development budget spent",
              "ratio", None, None, "volgens plan", "level"),
    Indicator("dev_budget_surplus", "Ontwikkelbudget doorgeschoven naar volgend jaar", "Development budget carried over",
              "euro", None, None, "getoond, geen doel", "none"),
    Indicator("milestones_on_time", "Mijlpalen op tijd gereed", "Milestones done on time",
              "ratio", 0.8, None, "80% van de mijlpalen die op de peildatum klaar moesten zijn", "level"),
    Indicator("end_results_ready", "Eindresultaten 2023 gereed", "End results 2023 ready",
              "ratio", 1.0, None, "100% eind 2023", "level"),
    Indicator("partners", "Partners", "Partners",
              "count", 25, 35, "ongeveer 30; beperkt nieuwe partners", "level"),
    Indicator("municipalities", "Deelnemende gemeenten", "Participating municipalities",
              "count", 11, None, "11", "level"),
    Indicator("contacts", "Unieke contacten in de mailinglijst", "Unique mailing-list contacts",
              "count", 462, None, "462 eind 2021", "level"),
    Indicator("attendance_rate", "Opkomst bij gehouden bijeenkomsten", "Attendance at held meetings",
              "ratio", 0.7, None, "70%", "level"),
)

BY_CODE: dict[str, Indicator] = {i.code: i for i in CATALOGUE}
CODES: tuple[str, ...] = tuple(BY_CODE)
