"""Fill the directors' deck from the shared query API: every figure comes from dashboard.queries, none is computed here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import polars as pl

from dashboard import theme
from dashboard.format import fmt_change, fmt_date, fmt_number, fmt_value
from dashboard.queries import budget, overview, results, survey, teams
from dashboard.queries.indicators import deal_peildatum, deals, indicators, parse_date
from dashboard.queries.overview import months_before
from dashboard.slides.model import STATUS_WORD, ChartSpec, Deck, Kpi, Slide, TableSpec

# The indicators on the summary slide, in reading order; the rest go in the table after it.
SUMMARY = ("kernteam_meetings", "directors_meetings", "work_sessions", "atelier_days",
           "milestones_on_time", "end_results_ready", "dev_budget_spent", "attendance_rate")
MEETINGS = ("kernteam_meetings", "directors_meetings", "work_sessions", "atelier_days",
            "team_meetings", "lead_meetings")
MEETING_SHORT = {
    "kernteam_meetings": "Kernteam", "directors_meetings": "Directeurenoverleg", "work_sessions": "Werksessies atelier",
    "atelier_days": "Atelierdagen", "team_meetings": "Minst actieve ontwikkelteam", "lead_meetings": "Kartrekkers",
}
BUDGET = ("dev_budget_spent", "dev_budget_surplus")
MAX_BOTTLENECKS = 5
MEETING_KIND_LABEL = {
    "kernteam": "Kernteamoverleg", "directeurenoverleg": "Directeurenoverleg", "atelierdag": "Atelierdag",
    "werksessie": "Werksessie atelier", "ontwikkelteam": "Overleg ontwikkelteam",
    "kartrekkersoverleg": "Kartrekkersoverleg", "excursie": "Excursie", "conferentie": "Conferentie", "overig": "Bijeenkomst",
}
AHEAD_MONTHS = 6  # "what comes next" looks this far past the Peildatum: the directors meet twice a year
MAX_AHEAD = 8
# End-result statuses in the order of their stacked bars, with their colours (vervallen is left out).
RESULT_STATUSES = (("gereed", "00704F"), ("loopt", "0072B2"), ("vertraagd", "B3380A"), ("niet gestart", "8A949E"))
# Meetings worth naming on the "what comes next" slide; routine team meetings are only counted.
KEY_MEETINGS = ("directeurenoverleg", "kernteam", "atelierdag", "conferentie", "werksessie", "kartrekkersoverleg",
                "excursie")


def build_deck(wh, deal: str, as_of: dt.date | str | None = None) -> Deck:
    """The deck as of a date (default: the newest data). Raises indicators.UnknownDeal for an unknown code."""
    as_of = parse_date(as_of) if isinstance(as_of, str) else as_of
    ind = indicators(wh, deal, as_of=as_of)  # checks the deal first
    info = deals(wh).filter(pl.col("code") == deal)
    name = info["name"][0] if info.height and info["name"][0] else deal
    peil = deal_peildatum(wh, deal, as_of) or as_of
    year = (peil or dt.date.today()).year
    rows = {r["indicator"]: r for r in ind.filter(pl.col("year") == year).iter_rows(named=True)}
    deck = Deck(deal_code=deal, deal_name=name, as_of=peil)
    deck.slides.append(Slide(kind="title", title=name))
    if not rows:
        deck.slides.append(_no_data(peil))
        return deck
    deck.slides.append(_summary(rows, year))
    rest = [c for c in rows if c not in SUMMARY]
    if rest:
        deck.slides.append(_other_indicators(rows, rest, year))
    this_year = ind.filter(pl.col("year") == year)
    appeared = this_year.filter(pl.col("value").is_not_null() & pl.col("previous_value").is_null()
                                & pl.col("previous_status").is_not_null())
    changes = overview.changes(this_year) + [
        f"{r['label_nl']}: nu {fmt_value(r['value'], r['unit'])} (vorige levering: geen gegevens)"
        for r in appeared.iter_rows(named=True)]
    deck.slides.append(_changes(changes, rows, peil, overview.peildata(wh, deal)))
    optional = [
        _teams(wh, deal, as_of, year, ind),
        _end_results(wh, deal, as_of, rows),
    ]
    if any(rows[c]["source_file"] for c in BUDGET if c in rows):
        last_year = info["end"][0].year if info.height and info["end"][0] else None
        optional.append(_budget(rows, year, last_year, budget.budget_carry_over(wh, deal, as_of)))
    if any(rows[c]["value"] is not None for c in MEETINGS if c in rows):
        optional.append(_meetings(rows, year))
    optional.append(_survey(wh, deal, as_of, year, rows))
    deck.slides.extend(s for s in optional if s is not None)
    bottlenecks, open_ = _bottlenecks(wh, deal, as_of)
    deck.slides.append(bottlenecks)
    deck.slides.append(_decisions(open_, rows, bottlenecks.sources))
    if peil is not None:
        deck.slides.append(_ahead(wh, deal, as_of, peil))
    return deck


# --- wording shared by the slides ------------------------------------------------------------------


def value_text(row: Mapping) -> str:
    """ "5 van 6" for a count against a fixed yearly number (as the dashboard tile), else the value."""
    value, unit, lo, hi = row["value"], row["unit"], row["target_min"], row["target_max"]
    if value is not None and unit == "count" and lo is not None and lo == hi:
        return f"{fmt_value(value, unit)} van {fmt_value(lo, unit)}"
    return fmt_value(value, unit)


def target_text(row: Mapping) -> str:
    text = row["target_text_nl"] or "geen doel"
    expected, lo = row["expected_to_date"], row["target_min"]
    if expected is not None and lo is not None and expected != lo:
        text += f" · nu verwacht: {fmt_value(expected, row['unit'])}"
    return text


def change_text(row: Mapping) -> str:
    if row["previous_value"] is None and row["change"] is None:
        return ""
    change = fmt_change(row["change"], row["unit"]) if row["change"] is not None else ""
    if change in ("", "0", "0 procentpunt", "€ 0"):
        return "gelijk sinds vorige levering"
    return f"{change} sinds vorige levering"


def kpi(row: Mapping, label: str | None = None) -> Kpi:
    return Kpi(label or row["label_nl"], value_text(row), target_text(row), theme.shown_status(row), change_text(row))


def sources(rows: Iterable[Mapping]) -> list[str]:
    """One line per delivered file: "Bron: x.xlsx · tabbladen Bijeenkomsten, Mijlpalen · geleverd 31 oktober 2022"."""
    by_file: dict[tuple[str, str], list[str]] = {}
    for r in rows:
        if not r.get("source_file"):
            continue
        delivered = fmt_date(r["delivered_at"]) if r.get("delivered_at") else ""
        sheets = by_file.setdefault((r["source_file"], delivered), [])
        if r.get("source_sheet") and r["source_sheet"] not in sheets:
            sheets.append(r["source_sheet"])
    out = []
    for (file, delivered), sheets in by_file.items():
        parts = [f"Bron: {file}"]
        if sheets:
            parts.append(("tabblad " if len(sheets) == 1 else "tabbladen ") + ", ".join(sheets))
        if delivered:
            parts.append(f"geleverd {delivered}")
        out.append(" · ".join(parts))
    return out


def short_date(d: dt.date | None) -> str:
    return f"{d.day}-{d.month}-{d.year}" if d else "–"


def _count_status(rows: Iterable[Mapping]) -> dict[str, int]:
    out = dict.fromkeys(STATUS_WORD, 0)
    for r in rows:
        out[r["status"]] += 1
    return out


# --- slides ----------------------------------------------------------------------------------------


def _summary(rows: dict[str, dict], year: int) -> Slide:
    shown = [rows[c] for c in SUMMARY if c in rows]
    counts = _count_status(r for r in rows.values() if not theme.for_information(r))  # no target: not judged
    with_data = sum(counts.values()) - counts["no_data"]
    title = f"{counts['on_target']} van {with_data} sturingsindicatoren op koers"
    parts = [f"{n} {STATUS_WORD[s]}" for s, n in counts.items() if n and s != "on_target"]
    return Slide(
        title=title,
        subtitle=f"Stand {year}{': ' + ', '.join(parts) if parts else ''}",
        kpis=[kpi(r) for r in shown],
        sources=sources(shown),
        notes="Waarden van het lopende jaar tot de peildatum; jaardoelen zijn naar de peildatum teruggerekend "
              "('nu verwacht').",
    )


def _no_data(peil: dt.date | None) -> Slide:
    when = f" op {fmt_date(peil)}" if peil else ""
    return Slide(
        title=f"Nog geen cijfers{when}",
        bullets=["Er is voor deze peildatum nog geen levering geladen",
                 "Lever de tabbladen aan via het dashboard of met `stuurhut load`"],
    )


def _code(short: str) -> str:
    return next(c for c, label in MEETING_SHORT.items() if label.lower() == short)


def _other_indicators(rows: dict[str, dict], codes: list[str], year: int) -> Slide:
    table_rows = [[rows[c]["label_nl"], value_text(rows[c]), rows[c]["target_text_nl"] or "geen doel",
                   f"{STATUS_WORD[theme.shown_status(rows[c])]}", change_text(rows[c]).replace(" sinds vorige levering", "")]
                  for c in codes]
    off = [rows[c]["label_nl"] for c in codes if rows[c]["status"] == "off_target"]
    title = f"Overige indicatoren {year}: " + (f"{len(off)} uit koers" if off else "geen uit koers")
    return Slide(
        title=title,
        table=TableSpec(["Indicator", "Waarde", "Doel", "Status", "Verandering"], table_rows,
                        ["left", "right", "left", "left", "right"]),
        sources=sources(rows[c] for c in codes),
    )


def _meetings(rows: dict[str, dict], year: int) -> Slide:
    shown = [rows[c] for c in MEETINGS if c in rows]
    held = [r["value"] for r in shown]
    goal = [r["target_min"] for r in shown]
    expected = [r["expected_to_date"] for r in shown]
    behind = [MEETING_SHORT[r["indicator"]].lower() for r in shown if r["status"] in ("off_target", "at_risk")]
    behind.sort(key=lambda label: 0 if rows[_code(label)]["status"] == "off_target" else 1)
    title = (f"Atelier en bijeenkomsten {year}: achter op " + " en ".join(behind[:2])) if behind else \
        f"Atelier en bijeenkomsten {year}: alle soorten met gegevens op koers"
    attendance = rows.get("attendance_rate")
    cards = [kpi(attendance, "Opkomst")] if attendance and attendance["value"] is not None else []
    return Slide(
        title=title,
        subtitle="Gehouden tot de peildatum, tegen wat er nu verwacht mag worden",
        kpis=cards,
        chart=ChartSpec("bar", [MEETING_SHORT[r["indicator"]] for r in shown],
                        [("Gehouden", held), ("Nu verwacht", expected)], "count",
                        f"Bijeenkomsten in {year} per soort: gehouden en nu verwacht"),
        bullets=[f"{MEETING_SHORT[r['indicator']]}: {value_text(r)} · {STATUS_WORD[r['status']]}"
                 for r in shown if r["value"] is not None][:6],
        sources=sources(shown + ([attendance] if cards else [])),
        notes="Jaardoelen: " + "; ".join(f"{MEETING_SHORT[r['indicator']]} {fmt_value(g, 'count')}"
                                         for r, g in zip(shown, goal, strict=True) if g is not None)
              + ". Opkomst: aandeel aanwezigen over de gehouden bijeenkomsten (per organisatie, nooit per persoon).",
    )


def _budget(rows: dict[str, dict], year: int, last_year: int | None, carry: pl.DataFrame) -> Slide:
    shown = [rows[c] for c in BUDGET if c in rows]
    spent = rows.get("dev_budget_spent")
    surplus = rows.get("dev_budget_surplus")
    provisional = carry.filter((pl.col("year") == year) & pl.col("provisional")).height > 0 \
        if "provisional" in carry.columns else False
    if provisional and surplus and surplus["value"] is not None:
        # spending so far in a year still in progress: nothing has carried over yet
        title = (f"Ontwikkelbudget {year}: nu nog {fmt_value(surplus['value'], 'euro')} niet besteed (jaar loopt nog)"
                 if surplus["value"] >= 0 else
                 f"Ontwikkelbudget {year}: nu al {fmt_value(-surplus['value'], 'euro')} overschreden (jaar loopt nog)")
    elif surplus and surplus["value"] is not None and surplus["value"] < 0:
        title = f"Ontwikkelbudget {year}: {fmt_value(-surplus['value'], 'euro')} overschreden"
    elif surplus and surplus["value"] is not None and last_year is not None and year >= last_year:
        title = f"Ontwikkelbudget: {fmt_value(surplus['value'], 'euro')} niet besteed aan het einde van de deal"
    elif surplus and surplus["value"] is not None:
        title = f"Ontwikkelbudget {year}: {fmt_value(surplus['value'], 'euro')} over voor {year + 1}"
    else:
        title = f"Ontwikkelbudget {year}: nog niet volledig bekend"
    rule = "Niet bestede ontwikkelmiddelen schuiven door naar het volgende jaar; basiskosten niet"
    chart, note = _carry_over_chart(carry, year)
    # with the waterfall the rule goes in the subtitle, so the chart gets the width its five steps need
    bullets = [] if chart else [rule]
    if spent and spent["value"] is not None and not chart:
        bullets.insert(0, f"Besteed: {fmt_value(spent['value'], 'ratio')} van het beschikbare ontwikkelbudget")
    return Slide(title=title, subtitle=rule if chart else "", kpis=[kpi(r) for r in shown], chart=chart,
                 bullets=bullets, sources=sources(shown), notes=note)


def _carry_over_chart(carry: pl.DataFrame, year: int) -> tuple[ChartSpec | None, str]:
    """The year's development money as a waterfall: budgeted + carried in = available - spent = left over.
    Every figure is the budget_carry_over mart's; only the "not yet spent" bar of a year whose realised is not
    complete is available minus what is known so far."""
    row = next((r for r in carry.iter_rows(named=True) if r["year"] == year), None)
    if row is None or row["carried_in"] is None:
        return None, "Het doorschuiven is nog niet te berekenen: een eerder jaar heeft nog posten zonder Gerealiseerd."
    known = row["realised"] is not None
    spent = row["realised"] if known else row["realised_so_far"]
    left = row["surplus"] if known else row["available"] - spent
    cats = [f"Begroot {year}", "Doorgeschoven", "Beschikbaar",
            "Besteed" if known and not row.get("provisional") else "Besteed tot nu",
            f"Over voor {year + 1}" if known and not row.get("provisional") else "Nog niet besteed"]
    note = (f"Beschikbaar {year} = begroot {fmt_value(row['budgeted'], 'euro')} + doorgeschoven uit {year - 1} "
            f"{fmt_value(row['carried_in'], 'euro')}.")
    if not known:
        n = row["posts_unknown"]
        note += f" Van {n} {'post' if n == 1 else 'posten'} is het gerealiseerde bedrag nog niet bekend."
    return ChartSpec("waterfall", cats, [("Ontwikkelbudget", [row["budgeted"], row["carried_in"], row["available"],
                                                               -spent, left])],
                     "euro", f"Ontwikkelbudget {year}: begroot, doorgeschoven, beschikbaar, besteed en over",
                     totals=(0, 2, 4)), note


def _teams(wh, deal: str, as_of: dt.date | None, year: int, ind: pl.DataFrame) -> Slide | None:
    parts = teams.teams(wh, deal, as_of)["part"].to_list()
    if not parts:
        return None
    ov = teams.team_overview(wh, deal, parts, year, ind, as_of)
    rows = list(ov.iter_rows(named=True))
    late = sorted((r for r in rows if r["late"]), key=lambda r: (-r["late"], r["part"]))
    if late:
        title = f"{len(late)} van {len(rows)} ontwikkelteams hebben mijlpalen te laat"
        subtitle = "Meeste vertraging: " + ", ".join(f"{r['part']} ({r['late']} te laat)" for r in late[:3])
    else:
        title = f"Alle {len(rows)} ontwikkelteams liggen op schema met hun mijlpalen"
        subtitle = ""
    table = TableSpec(
        ["Team", "Mijlpalen op tijd", f"Overleggen {year}", "Eindresultaten gereed"],
        [[f"{r['part']} {r['part_name'] or ''}".strip(), f"{r['due'] - r['late']} van {r['due']}",
          f"{fmt_value(r['held'], 'count')} · {STATUS_WORD[r['meetings_status']]}",
          f"{r['end_results_ready']} van {r['end_results']}"] for r in rows],
        ["left", "right", "left", "right"],
    )
    chart = ChartSpec("stacked_bar", [r["part"] for r in rows],
                      [("Op tijd gereed", [r["due"] - r["late"] for r in rows]), ("Te laat", [r["late"] for r in rows])],
                      "count", "Mijlpalen per ontwikkelteam die op de peildatum klaar moesten zijn",
                      colours=("0072B2", theme.status("off_target").colour.lstrip("#").upper()))
    return Slide(
        title=title, subtitle=subtitle, chart=chart, table=table,
        sources=_sheet_sources(wh, deal, as_of, ("Mijlpalen", "Bijeenkomsten", "Eindresultaten", "Onderdelen")),
        notes="Mijlpalen die op de peildatum klaar moesten zijn: op tijd gereed of te laat (nog open, of later "
              "gereed dan gepland). Overleggen: gehouden bijeenkomsten van het team dit jaar, met de status volgens "
              "de indicator voor het minst actieve team.",
    )


def _end_results(wh, deal: str, as_of: dt.date | None, rows: dict[str, dict]) -> Slide | None:
    by = results.by_status(wh, deal, as_of)
    if by.is_empty():
        return None
    counts = results.status_counts(by)
    total = sum(n for s, n in counts.items() if s != "vervallen")
    parts = list(dict.fromkeys(by["part"].to_list()))
    cell = {(r["part"], r["status"]): int(r["end_results"]) for r in by.iter_rows(named=True)}
    present = [(status, colour) for status, colour in RESULT_STATUSES if counts[status]]  # no empty legend entries
    series = [(status, [cell.get((p, status), 0) for p in parts]) for status, _ in present]
    title = f"{counts['gereed']} van {total} eindresultaten 2023 gereed"
    if counts["vertraagd"]:
        title += f", {counts['vertraagd']} vertraagd"
    ready = rows.get("end_results_ready")
    return Slide(
        title=title,
        subtitle=", ".join(f"{counts[s]} {s}" for s, _ in RESULT_STATUSES if counts[s] and s != "gereed")
        + (f" · {counts['vervallen']} vervallen (telt niet mee)" if counts["vervallen"] else ""),
        kpis=[kpi(ready)] if ready else [],
        chart=ChartSpec("stacked_bar", parts, series, "count", "Eindresultaten 2023 per onderdeel naar status",
                        colours=tuple(c for _, c in present)),
        sources=_sheet_sources(wh, deal, as_of, ("Eindresultaten",)),
        notes="Het doel is 100% van de eindresultaten gereed aan het einde van 2023; 'nu verwacht' rekent dat "
              "naar de looptijd van de deal tot de peildatum terug.",
    )


def _survey(wh, deal: str, as_of: dt.date | None, year: int, rows: dict[str, dict]) -> Slide | None:
    waves = survey.survey_waves(wh, deal, as_of)
    wave = survey.default_wave(waves, year)
    if wave is None:
        return None
    means = survey.survey_theme_means(wh, deal, as_of).filter(pl.col("wave") == wave)
    shown = means.filter(~pl.col("suppressed") & pl.col("mean_score").is_not_null()).sort(
        ["mean_score", "theme"], descending=[True, False])
    when = _wave_text(wave)
    respondents = rows.get("survey_respondents")
    cards = [kpi(respondents, "Respondenten")] if respondents and respondents["value"] is not None else []
    if shown.is_empty():
        return Slide(title=f"Enquête {when}: te weinig respondenten om scores te tonen", kpis=cards,
                     bullets=["Thema's met minder dan 5 respondenten worden niet getoond"],
                     sources=_sheet_sources(wh, deal, as_of, ("Enquete", "Vragen")))
    best, worst = shown.row(0, named=True), shown.row(-1, named=True)
    title = (f"Enquête {when}: {best['theme'] or 'overig'} scoort het hoogst ({_score(best['mean_score'])}), "
             f"{worst['theme'] or 'overig'} het laagst ({_score(worst['mean_score'])})") if shown.height > 1 else \
        f"Enquête {when}: {best['theme'] or 'overig'} scoort gemiddeld {_score(best['mean_score'])}"
    previous = shown["previous_wave"].drop_nulls()
    series = [(f"Meting {_wave_text(wave)}", shown["mean_score"].to_list())]
    if previous.len():
        series.insert(0, (f"Meting {_wave_text(previous[0])}", shown["previous_mean"].to_list()))
    bullets = []
    moved = shown.filter(pl.col("change").is_not_null()).sort("change")
    if moved.height:
        up, down = moved.row(-1, named=True), moved.row(0, named=True)
        if up["change"] > 0:
            bullets.append(f"Meest verbeterd: {up['theme']} ({_signed(up['change'])})")
        if down["change"] < 0:
            bullets.append(f"Meest gedaald: {down['theme']} ({_signed(down['change'])})")
    groups = survey.survey_group_means(wh, deal, wave, "organisatiesoort", as_of)
    visible = groups.filter(~pl.col("suppressed") & pl.col("mean_score").is_not_null())
    if visible.height:
        bullets.append("Per organisatiesoort: " + " · ".join(
            f"{r['group_value'] or 'onbekend'} {_score(r['mean_score'])} (n={r['respondents']})"
            for r in visible.iter_rows(named=True)))
    hidden = groups.filter(pl.col("suppressed")).height
    if hidden:
        bullets.append(f"{hidden} {'groep' if hidden == 1 else 'groepen'} met minder dan 5 respondenten niet getoond")
    return Slide(
        title=title,
        subtitle="Gemiddelde score per thema (1 = helemaal oneens, 5 = helemaal eens)",
        kpis=cards,
        chart=ChartSpec("bar", [r or "overig" for r in shown["theme"].to_list()], series, "score",
                        f"Gemiddelde score per thema in de enquête van {when}"),
        bullets=bullets,
        sources=_sheet_sources(wh, deal, as_of, ("Enquete", "Vragen")),
        notes="Alleen stellingen met een vijfpuntsschaal tellen mee. Thema's en groepen met minder dan 5 "
              "respondenten worden niet getoond, zodat niemand herkenbaar is.",
    )


def _ahead(wh, deal: str, as_of: dt.date | None, peil: dt.date) -> Slide:
    until = _months_after(peil, AHEAD_MONTHS)
    df = wh.sql("deck_upcoming", deal=deal, as_of=as_of, after=peil, until=until)
    ms = df.filter(pl.col("item_kind") == "mijlpaal")
    meet = df.filter(pl.col("item_kind") == "bijeenkomst")
    key = meet.filter(pl.col("status").is_in(KEY_MEETINGS))
    routine = meet.height - key.height
    title = (f"Tot {fmt_date(until)}: {ms.height} {'mijlpaal' if ms.height == 1 else 'mijlpalen'} en "
             f"{meet.height} {'bijeenkomst' if meet.height == 1 else 'bijeenkomsten'} gepland")
    if df.is_empty():
        title = f"Tot {fmt_date(until)} staan geen mijlpalen of bijeenkomsten gepland"
    bullets = [f"{short_date(r['on_date'])} {_meeting_label(r['item'], r['status'])}"
               for r in key.head(6).iter_rows(named=True)]
    if key.height > 6:
        bullets.append(f"en nog {key.height - 6} andere bijeenkomsten")
    if routine:
        bullets.append(f"{routine} {'overleg' if routine == 1 else 'overleggen'} van de ontwikkelteams en andere "
                       "bijeenkomsten")
    return Slide(
        title=title,
        subtitle=f"Na de peildatum {fmt_date(peil)}" + (f"; de eerste {MAX_AHEAD} mijlpalen" if ms.height > MAX_AHEAD
                                                         else ""),
        table=TableSpec(["Gepland", "Onderdeel", "Mijlpaal"],
                        [[short_date(r["on_date"]), r["part"] or "–", r["item"]]
                         for r in ms.head(MAX_AHEAD).iter_rows(named=True)],
                        ["left", "left", "left"]) if ms.height else None,
        bullets=bullets or ["Geen bijeenkomsten gepland in deze periode"],
        sources=_sheet_sources(wh, deal, as_of, ("Mijlpalen", "Bijeenkomsten")),
        notes="Mijlpalen die nog niet gereed of vervallen zijn en bijeenkomsten met status gepland, "
              f"van {fmt_date(peil)} tot {fmt_date(until)}.",
    )


def _sheet_sources(wh, deal: str, as_of: dt.date | None, sheets: Iterable[str]) -> list[str]:
    """Source lines for the sheets behind a slide (sheets never delivered are left out)."""
    found = [teams.source(wh, deal, sheet, as_of) for sheet in sheets]
    return sources({"source_file": s.file, "source_sheet": s.sheet, "delivered_at": s.delivered} for s in found)


def _wave_text(wave: str) -> str:
    """ "2022-10" -> "oktober 2022" (a wave that is not year-month stays as it is)."""
    try:
        return fmt_date(dt.date(int(wave[:4]), int(wave[5:7]), 1)).split(" ", 1)[1]
    except (ValueError, IndexError):
        return wave


def _meeting_label(title: str, kind: str) -> str:
    """A meeting without a title is named by its kind: "kernteam" -> "Kernteamoverleg"."""
    return MEETING_KIND_LABEL.get(title, title) if title == kind else title


def _score(v: float) -> str:
    return fmt_number(v, 1)


def _signed(v: float) -> str:
    return ("+" if v > 0 else "") + fmt_number(v, 1)


def _months_after(d: dt.date, months: int) -> dt.date:
    return months_before(d, -months)


def _changes(changes: list[str], rows: dict[str, dict], peil: dt.date | None, delivered: list[dt.date]) -> Slide:
    since = f" (vergeleken met {fmt_date(peil - dt.timedelta(days=1))})" if peil else ""
    moved = [r for r in rows.values() if r["change"] not in (None, 0)
             or (r["value"] is not None and r["previous_value"] is None and r["previous_status"] is not None)]
    first = len([d for d in delivered if peil is None or d <= peil]) <= 1
    if changes:
        title = f"{len(changes)} {'indicator' if len(changes) == 1 else 'indicatoren'} veranderd sinds de vorige levering"
    elif first:
        title = "Eerste levering: nog niets om mee te vergelijken"
    else:
        title = "Geen veranderingen sinds de vorige levering"
    return Slide(
        title=title,
        bullets=changes[:8] or [
            "Er is geen eerdere levering met een peildatum vóór deze" if first
            else "Alle indicatoren staan gelijk aan de vorige levering"],
        sources=sources(moved),
        notes="Vergelijking van de indicatoren op de peildatum met die van de dag ervoor" + since + "."
              + (f" Nog {len(changes) - 8} veranderingen staan niet op de dia." if len(changes) > 8 else ""),
    )


def _bottlenecks(wh, deal: str, as_of: dt.date | None) -> tuple[Slide, pl.DataFrame]:
    open_ = overview.open_bottlenecks(wh, deal, as_of)  # most severe and oldest first
    high = open_.filter(pl.col("severity") == "hoog").height
    shown = open_.head(MAX_BOTTLENECKS)
    table = TableSpec(
        ["Sinds", "Onderdeel", "Knelpunt", "Ernst", "Status", "Actie"],
        [[short_date(r["reported_on"]), r["part"] or "–", r["issue"], r["severity"] or "–", r["status"],
          r["action"] or "–"] for r in shown.iter_rows(named=True)],
    ) if shown.height else None
    rest = open_.height - shown.height
    return Slide(
        title=(f"{open_.height} open {'knelpunt' if open_.height == 1 else 'knelpunten'}, {high} met ernst hoog"
               if open_.height else "Geen open knelpunten"),
        subtitle=f"De {shown.height} zwaarste en oudste; nog {rest} in het dashboard" if rest else "",
        table=table,
        bullets=[] if open_.height else ["Er staan geen knelpunten open in de huidige levering"],
        sources=_sheet_sources(wh, deal, as_of, ("Knelpunten",)),
        notes="Knelpunten met status open of in behandeling, zwaarste en oudste eerst.",
    ), open_


def _decisions(open_: pl.DataFrame, rows: dict[str, dict], knelpunten: list[str]) -> Slide:
    """Points for decision: the actions asked for the severe bottlenecks and what is off target."""
    bullets = [f"Knelpunt {r['part'] or 'City Deal'}: {r['action']}"
               for r in open_.filter(pl.col("severity") == "hoog").iter_rows(named=True) if r["action"]]
    off = [r for r in rows.values() if r["status"] == "off_target"]
    bullets += [f"Uit koers: {r['label_nl']} ({value_text(r)}; doel {r['target_text_nl']})" for r in off]
    return Slide(
        title=(f"{len(bullets)} {'punt' if len(bullets) == 1 else 'punten'} voor besluit en aandacht" if bullets
               else "Geen besluitpunten"),
        bullets=bullets[:7] or ["Alle indicatoren zijn op koers en er zijn geen zware knelpunten"],
        sources=sources(off) + (knelpunten if open_.height else []),
        notes="Voorstel: de directeuren besluiten over de gevraagde acties bij de zware knelpunten en over "
              "bijsturing van de indicatoren die uit koers zijn."
              + (f" Nog {len(bullets) - 7} punten staan niet op de dia." if len(bullets) > 7 else ""),
    )
