"""Fill the directors' deck from the shared query API: every figure comes from dashboard.queries, none is computed here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import polars as pl

from dashboard.format import fmt_change, fmt_date, fmt_value
from dashboard.queries import overview
from dashboard.queries.indicators import deal_peildatum, deals, indicators, parse_date
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
    if any(rows[c]["value"] is not None for c in MEETINGS if c in rows):
        deck.slides.append(_meetings(rows, year))
    if any(rows[c]["source_file"] for c in BUDGET if c in rows):
        last_year = info["end"][0].year if info.height and info["end"][0] else None
        deck.slides.append(_budget(rows, year, last_year))
    this_year = ind.filter(pl.col("year") == year)
    appeared = this_year.filter(pl.col("value").is_not_null() & pl.col("previous_value").is_null()
                                & pl.col("previous_status").is_not_null())
    changes = overview.changes(this_year) + [
        f"{r['label_nl']}: nu {fmt_value(r['value'], r['unit'])} (vorige levering: geen gegevens)"
        for r in appeared.iter_rows(named=True)]
    deck.slides.append(_changes(changes, rows, peil, overview.peildata(wh, deal)))
    bottlenecks, open_ = _bottlenecks(wh, deal, as_of)
    deck.slides.append(bottlenecks)
    deck.slides.append(_decisions(open_, rows))
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
    return Kpi(label or row["label_nl"], value_text(row), target_text(row), row["status"], change_text(row))


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
    counts = _count_status(rows.values())
    with_data = len(rows) - counts["no_data"]
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
                   f"{STATUS_WORD[rows[c]['status']]}", change_text(rows[c]).replace(" sinds vorige levering", "")]
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
    title = (f"Bijeenkomsten {year}: achter op " + " en ".join(behind[:2])) if behind else \
        f"Bijeenkomsten {year}: alle soorten met gegevens op koers"
    return Slide(
        title=title,
        subtitle="Gehouden tot de peildatum, tegen wat er nu verwacht mag worden",
        chart=ChartSpec("bar", [MEETING_SHORT[r["indicator"]] for r in shown],
                        [("Gehouden", held), ("Nu verwacht", expected)], "count",
                        f"Bijeenkomsten in {year} per soort: gehouden en nu verwacht"),
        bullets=[f"{MEETING_SHORT[r['indicator']]}: {value_text(r)} · {STATUS_WORD[r['status']]}"
                 for r in shown if r["value"] is not None][:6],
        sources=sources(shown),
        notes="Jaardoelen: " + "; ".join(f"{MEETING_SHORT[r['indicator']]} {fmt_value(g, 'count')}"
                                         for r, g in zip(shown, goal, strict=True) if g is not None),
    )


def _budget(rows: dict[str, dict], year: int, last_year: int | None) -> Slide:
    shown = [rows[c] for c in BUDGET if c in rows]
    spent = rows.get("dev_budget_spent")
    surplus = rows.get("dev_budget_surplus")
    if surplus and surplus["value"] is not None and surplus["value"] < 0:
        title = f"Ontwikkelbudget {year}: {fmt_value(-surplus['value'], 'euro')} overschreden"
    elif surplus and surplus["value"] is not None and last_year is not None and year >= last_year:
        title = f"Ontwikkelbudget: {fmt_value(surplus['value'], 'euro')} niet besteed aan het einde van de deal"
    elif surplus and surplus["value"] is not None:
        title = f"Ontwikkelbudget {year}: {fmt_value(surplus['value'], 'euro')} over voor {year + 1}"
    else:
        title = f"Ontwikkelbudget {year}: nog niet volledig bekend"
    bullets = []
    if spent and spent["value"] is not None:
        bullets.append(f"Besteed: {fmt_value(spent['value'], 'ratio')} van het beschikbare ontwikkelbudget")
    bullets.append("Niet bestede ontwikkelmiddelen schuiven door naar het volgende jaar; basiskosten niet")
    return Slide(title=title, kpis=[kpi(r) for r in shown], bullets=bullets, sources=sources(shown))


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
        title=(f"{open_.height} open knelpunten, {high} met ernst hoog" if open_.height else "Geen open knelpunten"),
        subtitle=f"De {shown.height} zwaarste en oudste; nog {rest} in het dashboard" if rest else "",
        table=table,
        bullets=[] if open_.height else ["Er staan geen knelpunten open in de huidige levering"],
        sources=["Bron: tabblad Knelpunten van de huidige levering"],
        notes="Knelpunten met status open of in behandeling, zwaarste en oudste eerst.",
    ), open_


def _decisions(open_: pl.DataFrame, rows: dict[str, dict]) -> Slide:
    """Points for decision: the actions asked for the severe bottlenecks and what is off target."""
    bullets = [f"Knelpunt {r['part'] or 'City Deal'}: {r['action']}"
               for r in open_.filter(pl.col("severity") == "hoog").iter_rows(named=True) if r["action"]]
    off = [r for r in rows.values() if r["status"] == "off_target"]
    bullets += [f"Uit koers: {r['label_nl']} ({value_text(r)}; doel {r['target_text_nl']})" for r in off]
    return Slide(
        title=(f"{len(bullets)} {'punt' if len(bullets) == 1 else 'punten'} voor besluit en aandacht" if bullets
               else "Geen besluitpunten"),
        bullets=bullets[:7] or ["Alle indicatoren zijn op koers en er zijn geen zware knelpunten"],
        sources=sources(off) + (["Bron: tabblad Knelpunten van de huidige levering"] if open_.height else []),
        notes="Voorstel: de directeuren besluiten over de gevraagde acties bij de zware knelpunten en over "
              "bijsturing van de indicatoren die uit koers zijn."
              + (f" Nog {len(bullets) - 7} punten staan niet op de dia." if len(bullets) > 7 else ""),
    )
