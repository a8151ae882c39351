"""The demo data: every batch loads cleanly, the CDOR facts are there, the generator is deterministic."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib.util
import json
import re
import shutil
import sys
from pathlib import Path

import duckdb
import openpyxl
import pytest

from etl.demo import DEMO_DIR, build_demo_db, cli_demo, read_manifest

# The current delivery per deal and sheet (newest not rolled back), as a temporary view on the test connection.
CURRENT = """
    CREATE TEMP VIEW cur AS SELECT deal, sheet, max(delivery_id) AS id FROM meta.deliveries
    WHERE rolled_back_at IS NULL GROUP BY deal, sheet
"""


def _load_generator():
    spec = importlib.util.spec_from_file_location("make_demo", DEMO_DIR.parent / "make_demo.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["make_demo"] = mod  # dataclasses look their module up while the class is created
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    res = build_demo_db(db)
    con = duckdb.connect(str(db), read_only=True)
    con.execute(CURRENT)
    yield res, con
    con.close()


def q(con: duckdb.DuckDBPyConnection, sql: str, **params) -> list[tuple]:
    return con.execute(sql, params).fetchall()


def test_manifest_batches_in_order() -> None:
    manifest = read_manifest()
    assert [b["deal"] for b in manifest] == ["CDOR", "CDOR", None, None]
    assert manifest[0]["files"] == [
        "CDOR_levering_2022-06-30.xlsx", "CDOR_financien_2022-06-30.xlsx", "CDOR_bijeenkomsten_2022-06-30.xlsx",
        "CDOR_enquete_november_2021_Forms.xlsx", "subscribed_members_export_cdor_2022-06.csv"]
    for b in manifest:
        for f in b["files"]:
            assert (DEMO_DIR / f).stat().st_size < 500_000, f


def test_every_batch_loads_without_problems_or_warnings(demo) -> None:
    res, _ = demo
    assert res.ok and res.failed_batch is None
    assert [r.status for r in res.results] == ["loaded"] * 4
    assert [r.deal for r in res.results] == ["CDOR", "CDOR", "CDKW", "CDCB"]
    assert res.warnings == []


def test_second_cdor_delivery_replaces_the_changed_sheets(demo) -> None:
    res, con = demo
    assert sorted(res.results[1].rows) == sorted([
        "Deal", "Bijeenkomsten", "Aanwezigheid", "Begroting", "Mijlpalen", "Knelpunten", "Communicatie", "Enquete"])
    peil = q(con, "SELECT DISTINCT batch_id, peildatum FROM meta.deliveries WHERE deal = 'CDOR' ORDER BY 1")
    assert [p for _, p in peil] == [dt.date(2022, 6, 30), dt.date(2022, 10, 31)]


def test_cdor_literal_counts(demo) -> None:
    _, con = demo
    teams = q(con, "SELECT code FROM raw.parts p JOIN cur ON cur.id = p.delivery_id "
              "WHERE cur.deal = 'CDOR' AND kind = 'ontwikkelteam' ORDER BY code")
    assert [t for (t,) in teams] == ["OT1", "OT2", "OT3", "OT4", "OT5", "OT6"]
    kinds = dict(q(con, "SELECT kind, count(*) FROM raw.partners p JOIN cur ON cur.id = p.delivery_id "
                   "WHERE cur.deal = 'CDOR' GROUP BY kind"))
    assert kinds["gemeente"] == 11
    assert sum(kinds.values()) == 31
    waves = q(con, "SELECT wave, count(DISTINCT respondent) FROM raw.survey s "
              "JOIN cur ON cur.id = s.delivery_id WHERE cur.deal = 'CDOR' GROUP BY wave ORDER BY wave")
    assert waves == [("2021-11", 33), ("2022-10", 38)]
    assert q(con, "SELECT count(DISTINCT email) FROM raw.contacts c JOIN cur ON cur.id = c.delivery_id "
             "WHERE cur.deal = 'CDOR'") == [(488,)]
    assert q(con, "SELECT count(*) FROM raw.contacts c JOIN cur ON cur.id = c.delivery_id "
             "WHERE cur.deal = 'CDOR' AND since <= DATE '2021-12-31'") == [(462,)]
    # Kernteam met 6 times in 2021; 5 held by the October Peildatum in 2022, the sixth planned for December.
    kt = q(con, "SELECT year(date), count(*) FROM raw.meetings m JOIN cur ON cur.id = m.delivery_id "
           "WHERE cur.deal = 'CDOR' AND kind = 'kernteam' GROUP BY 1 ORDER BY 1")
    assert kt == [(2021, 6), (2022, 6)]
    end_results = q(con, "SELECT count(*) FROM raw.end_results e JOIN cur ON cur.id = e.delivery_id "
                    "WHERE cur.deal = 'CDOR'")
    assert end_results == [(14,)]


def test_cdor_budget_carries_development_money_over(demo) -> None:
    _, con = demo
    rows = q(con, "SELECT year, cost_type, sum(budgeted), sum(realised) FROM raw.budget b "
             "JOIN cur ON cur.id = b.delivery_id WHERE cur.deal = 'CDOR' GROUP BY ALL ORDER BY ALL")
    by = {(y, k): (float(b), None if r is None else float(r)) for y, k, b, r in rows}
    assert by[(2021, "ontwikkeling")][0] == 430000.0
    assert by[(2021, "ontwikkeling")][1] < 0.25 * 430000  # development teams hardly spent in 2021
    assert by[(2021, "basis")][1] > 0.9 * 400000
    assert by[(2023, "ontwikkeling")] == (435000.0, None)


def test_cdor_attendance_is_realistic(demo) -> None:
    _, con = demo
    (rate,) = q(con, "SELECT avg(CASE WHEN coalesce(present, 'ja') = 'ja' THEN 1 ELSE 0 END) "
                "FROM raw.attendance a JOIN cur ON cur.id = a.delivery_id WHERE cur.deal = 'CDOR'")[0]
    assert 0.65 <= rate <= 0.8


def test_fictional_deals_and_missing_sheets(demo) -> None:
    _, con = demo
    names = dict(q(con, "SELECT cur.deal, name FROM raw.deal d JOIN cur ON cur.id = d.delivery_id"))
    assert names == {"CDOR": "City Deal Openbare Ruimte",
                     "CDKW": "City Deal Klimaatadaptieve Wijken (fictief)",
                     "CDCB": "City Deal Circulaire Bedrijventerreinen (fictief)"}
    sheets = {d: {s for (s,) in q(con, "SELECT DISTINCT sheet FROM meta.deliveries WHERE deal = $d", d=d)}
              for d in ("CDKW", "CDCB")}
    assert {"Enquete", "Vragen", "Bijdragen"} <= sheets["CDKW"]
    assert not {"Enquete", "Vragen", "Bijdragen"} & sheets["CDCB"]
    for deal in ("CDKW", "CDCB"):
        waves = q(con, "SELECT count(DISTINCT wave) FROM raw.self_assessment s "
                  "JOIN cur ON cur.id = s.delivery_id WHERE cur.deal = $d", d=deal)
        assert waves == [(2,)]


def test_no_real_people_in_demo_files() -> None:
    wb = openpyxl.load_workbook(DEMO_DIR / "CDOR_bijeenkomsten_2022-06-30.xlsx", read_only=True)
    names = {r[1] for r in wb["Presentielijst"].iter_rows(min_row=2, values_only=True)}
    assert names and all(re.fullmatch(r"Deelnemer \d{3}", n) for n in names)
    forms = openpyxl.load_workbook(DEMO_DIR / "CDOR_enquete_november_2021_Forms.xlsx", read_only=True)
    rows = list(forms["Sheet1"].iter_rows(values_only=True))
    assert rows[0][:5] == ("ID", "Begintijd", "Tijd van voltooien", "E-mail", "Naam")
    assert len(rows) == 34
    assert all(re.fullmatch(r"deelnemer\d{3}@voorbeeld\.nl", r[3]) for r in rows[1:])
    with open(DEMO_DIR / "subscribed_members_export_cdor_2022-06.csv", encoding="utf-8") as f:
        mail = list(csv.DictReader(f))
    assert len(mail) == 488
    assert all(m["Email Address"].endswith("@voorbeeld.nl") for m in mail)


def test_generator_is_deterministic(tmp_path: Path) -> None:
    manifest = _load_generator().build_demo(tmp_path)
    assert manifest == read_manifest()
    for f in [*(f for b in manifest for f in b["files"]), "manifest.json"]:
        assert (tmp_path / f).read_bytes() == (DEMO_DIR / f).read_bytes(), f


def test_cli_demo_replaces_the_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "demo.duckdb"
    db.write_bytes(b"oude inhoud")
    assert cli_demo(argparse.Namespace(db=db)) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Demodatabase opgebouwd in {db}: 4 leveringen, 3 deals (CDCB, CDKW, CDOR).\n")
    assert "waarschuwing" not in out
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(DISTINCT batch_id) FROM meta.deliveries").fetchone() == (4,)
    con.close()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".") and p.suffix != ".key"] == []


def test_cli_demo_rejected_batch_leaves_database_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    demo_dir = tmp_path / "demo"
    demo_dir.mkdir()
    shutil.copy(DEMO_DIR / "CDCB_levering_2022-10-31.xlsx", demo_dir)
    # A budget sheet without its required Begroot column.
    from tests.conftest import write_workbook

    write_workbook(demo_dir / "kapot.xlsx", {"Begroting": [["Jaar", "Kostensoort", "Post"], [2022, "basis", "X"]]})
    (demo_dir / "manifest.json").write_text(json.dumps([
        {"files": ["CDCB_levering_2022-10-31.xlsx"], "deal": None},
        {"files": ["kapot.xlsx"], "deal": "CDCB"},
    ]))
    db = tmp_path / "live.duckdb"
    db.write_bytes(b"oude inhoud")
    assert cli_demo(argparse.Namespace(db=db, demo_dir=demo_dir)) == 1
    err = capsys.readouterr().err
    assert err.startswith("Demodatabase NIET opgebouwd: een levering werd geweigerd.\n")
    assert "kapot.xlsx, tabblad Begroting" in err
    assert db.read_bytes() == b"oude inhoud"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".") and p.suffix != ".key"] == []
