"""Generate the Agenda Stad scale dataset (many deals, ~1M attendance rows) as CSV deliveries, and load it.

Default size: 50 deals over 3 years, 1,000 meetings and 20,000 attendance rows per deal (50k / 1M in all),
2,000 survey answers (100k) and 100 milestones (5k) per deal. `--deals` and `--scale` shrink it for quick runs.
The files are ordinary deliveries: one folder per deal, one CSV per sheet, loaded by the real loader.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

PART_CODES = ["OT1", "OT2", "OT3", "OT4", "OT5", "OT6", "ATL", "KT", "DO"]
PART_KINDS = ["ontwikkelteam"] * 6 + ["atelier", "kernteam", "directeurenoverleg"]
MEETING_KINDS = ["kernteam", "directeurenoverleg", "atelierdag", "werksessie", "ontwikkelteam", "kartrekkersoverleg"]
MEETING_WEIGHTS = [0.06, 0.02, 0.02, 0.08, 0.77, 0.05]
PARTNER_KINDS = ["gemeente", "rijk", "provincie", "kennisinstelling", "brancheorganisatie", "adviesbureau"]
LIKERT = ["Helemaal mee oneens", "Mee oneens", "Neutraal", "Mee eens", "Helemaal mee eens"]


def _write(df: pl.DataFrame, path: Path) -> None:
    df.write_csv(path, separator=";")


def make_deal(out: Path, i: int, rng: np.random.Generator, meetings: int, attendance: int,
              answers: int, milestones: int) -> Path:
    code = f"SC{i:02d}"
    start_year = 2019 + i % 5
    years = [start_year, start_year + 1, start_year + 2]
    peil = dt.date(start_year + 2, 10, 31)
    d = out / code
    d.mkdir(parents=True, exist_ok=True)
    _write(pl.DataFrame({"Code": [code], "Naam": [f"City Deal Schaal {i:02d} (fictief)"],
                         "Start": [dt.date(start_year, 1, 1)], "Einde": [dt.date(start_year + 2, 12, 31)],
                         "Peildatum": [peil]}), d / "Deal.csv")
    _write(pl.DataFrame({"Code": PART_CODES, "Naam": [f"Onderdeel {c}" for c in PART_CODES], "Soort": PART_KINDS}),
           d / "Onderdelen.csv")
    n_partners = 30
    orgs = [f"Organisatie {code}-{k:02d}" for k in range(n_partners)]
    _write(pl.DataFrame({"Organisatie": orgs, "Soort": [PARTNER_KINDS[k % len(PARTNER_KINDS)] for k in range(n_partners)],
                         "Sinds": [dt.date(start_year, 1 + k % 12, 1) for k in range(n_partners)],
                         "Financierend": ["ja" if k % 3 == 0 else "nee" for k in range(n_partners)]}),
           d / "Partners.csv")
    posts = ["Kernteam", "Atelier", "Communicatie", "Ontwikkelteams", "Onderzoek"]
    rows = [(y, ct, p, round(float(rng.uniform(20_000, 200_000)), 2)) for y in years
            for ct in ("basis", "ontwikkeling") for p in posts]
    budget = pl.DataFrame(rows, schema=["Jaar", "Kostensoort", "Post", "Begroot"], orient="row")
    realised = [round(b * float(rng.uniform(0.6, 1.05)), 2) if y < years[-1] else None
                for y, b in zip(budget["Jaar"], budget["Begroot"], strict=True)]
    _write(budget.with_columns(pl.Series("Gerealiseerd", realised)), d / "Begroting.csv")

    span = (dt.date(years[-1], 12, 31) - dt.date(years[0], 1, 1)).days
    m_ids = [f"{code}-M{k:05d}" for k in range(meetings)]
    m_dates = [dt.date(years[0], 1, 1) + dt.timedelta(days=int(x)) for x in rng.integers(0, span, meetings)]
    kinds = rng.choice(MEETING_KINDS, size=meetings, p=MEETING_WEIGHTS)
    parts = [PART_CODES[k % 6] if kind == "ontwikkelteam" else None for k, kind in enumerate(kinds)]
    _write(pl.DataFrame({"ID": m_ids, "Datum": m_dates, "Soort": kinds, "Titel": [f"Overleg {k}" for k in range(meetings)],
                         "Onderdeel": parts}), d / "Bijeenkomsten.csv")
    att = pl.DataFrame({
        "Bijeenkomst": rng.choice(m_ids, size=attendance),
        "Deelnemer": [f"deelnemer{k % 400:04d}@{code.lower()}.voorbeeld.nl" for k in range(attendance)],
        "Organisatie": rng.choice(orgs, size=attendance),
        "Aanwezig": rng.choice(["ja", "nee", "afgemeld"], size=attendance, p=[0.72, 0.18, 0.10]),
    })
    _write(att, d / "Aanwezigheid.csv")
    q_codes = [f"V{k:02d}" for k in range(1, 11)]
    _write(pl.DataFrame({"Code": q_codes, "Vraag": [f"Stelling {k}" for k in range(1, 11)], "Schaal": ["likert5"] * 10,
                         "Thema": ["Netwerk", "Inhoud", "Organisatie", "Netwerk", "Inhoud"] * 2}), d / "Vragen.csv")
    n_resp = max(1, answers // (10 * 3))
    resp = [f"R{r:04d}" for r in range(n_resp)]
    survey = pl.DataFrame([(r, f"{y}-11", q, LIKERT[int(rng.integers(0, 5))]) for y in years for r in resp for q in q_codes],
                          schema=["Respondent", "Meting", "Vraag", "Antwoord"], orient="row").head(answers)
    _write(survey, d / "Enquete.csv")
    statuses = ["niet gestart", "loopt", "gereed", "vertraagd"]
    ms = pl.DataFrame({
        "Onderdeel": [PART_CODES[k % 6] for k in range(milestones)],
        "Mijlpaal": [f"Mijlpaal {k}" for k in range(milestones)],
        "Gepland": [f"{years[k % 3]}-Q{1 + k % 4}" for k in range(milestones)],
        "Status": [statuses[int(x)] for x in rng.integers(0, 4, milestones)],
    })
    _write(ms, d / "Mijlpalen.csv")
    _write(pl.DataFrame({"ID": [f"ER{k}" for k in range(12)], "Onderdeel": [PART_CODES[k % 6] for k in range(12)],
                         "Resultaat": [f"Eindresultaat {k}" for k in range(12)],
                         "Status": [statuses[k % 4] for k in range(12)], "Voortgang": [f"{(k * 9) % 100}%" for k in range(12)]}),
           d / "Eindresultaten.csv")
    _write(pl.DataFrame({"Datum": [dt.date(years[-1], 1 + k, 1) for k in range(8)], "Knelpunt": [f"Knelpunt {k}" for k in range(8)],
                         "Ernst": [["laag", "middel", "hoog"][k % 3] for k in range(8)],
                         "Status": [["open", "in behandeling", "opgelost"][k % 3] for k in range(8)]}), d / "Knelpunten.csv")
    _write(pl.DataFrame({"Datum": [dt.date(y, 1 + k, 15) for y in years for k in range(0, 12, 2)],
                         "Kanaal": [["nieuwsbrief", "teamupdate", "linkedin"][k % 3] for k in range(18)]}), d / "Communicatie.csv")
    _write(pl.DataFrame({"Meting": [f"{y}-06" for y in years for _ in range(4)],
                         "Thema": ["Netwerk", "Resultaten", "Organisatie", "Opschaling"] * 3,
                         "Score": [int(x) for x in rng.integers(1, 6, 12)]}), d / "Zelfevaluatie.csv")
    return d


def generate(out: Path, deals: int = 50, scale: float = 1.0, seed: int = 7) -> list[Path]:
    rng = np.random.default_rng(seed)
    return [make_deal(out, i, rng, meetings=max(10, int(1000 * scale)), attendance=max(50, int(20_000 * scale)),
                      answers=max(30, int(2000 * scale)), milestones=max(6, int(100 * scale)))
            for i in range(1, deals + 1)]


def load(dirs: list[Path], db: Path) -> float:
    """Load every deal folder through the real loader (one batch per deal); returns seconds."""
    from etl.load import load_files

    t = time.perf_counter()
    for d in dirs:
        res = load_files(sorted(d.glob("*.csv")), db)
        if res.status != "loaded":
            raise SystemExit(f"{d.name}: {[p.message for p in res.problems][:5]}")
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", type=Path)
    ap.add_argument("--deals", type=int, default=50)
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--db", type=Path, help="also load the generated deliveries into this database")
    a = ap.parse_args(argv)
    t = time.perf_counter()
    dirs = generate(a.out, a.deals, a.scale)
    print(f"generated {len(dirs)} deals in {time.perf_counter() - t:.1f}s", file=sys.stderr)
    if a.db:
        print(f"loaded in {load(dirs, a.db):.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
