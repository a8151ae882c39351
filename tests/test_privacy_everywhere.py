"""No name or e-mail address from the fixtures anywhere: database, CLI output, app, downloads, slides; small groups hidden."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from dashboard import downloads
from dashboard.db import Warehouse
from dashboard.navigation import PAGES
from tests.conftest import write_workbook
from tests.etl.test_privacy import varchar_values
from tests.pages.conftest import open_chart_data

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "tests" / "pages" / "entry.py"
DEAL = "CDP"
# fictional people, and the pieces of them that must never show up in clear
PEOPLE = {
    "attendance": ["Anna Jansen", "a.jansen@voorbeeld.nl", "Bert de Vries", "Deelnemer 12"],
    "survey": [f"respondent{i}@voorbeeld.nl" for i in range(13)],
    "forms": ["Chantal Bakker", "c.bakker@voorbeeld.nl", "Daan Visser", "d.visser@voorbeeld.nl"],
    "mailchimp": ["e.smit@voorbeeld.nl", "Eva", "Smit", "f.mulder@voorbeeld.nl", "Fenna", "Mulder"],
}
# (bare "a.jansen" is the example account name in the Beheer page's help text, not a fixture value)
NEEDLES = re.compile(r"anna jansen|de vries|deelnemer 12|respondent\d|bakker|visser|smit\b|mulder|fenna|@voorbeeld\.nl", re.I)


def leaks(text: str) -> list[str]:
    return sorted(set(NEEDLES.findall(text)))


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl.cli", *args], cwd=ROOT, capture_output=True, text=True, timeout=180)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict:
    d = tmp_path_factory.mktemp("privacy")
    db = d / "stuurhut.duckdb"
    survey = [["Respondent", "Meting", "Vraag", "Antwoord", "Organisatiesoort"]]
    for i, person in enumerate(PEOPLE["survey"]):  # 6 municipalities, 5 provinces, 2 from the national government
        kind = "gemeente" if i < 6 else "provincie" if i < 11 else "rijk"
        survey.append([person, "2022-05", "V01", ["eens", "helemaal eens", "neutraal"][i % 3], kind])
    first = write_workbook(d / "levering.xlsx", {
        "Deal": [["Code", "Naam", "Start", "Einde", "Peildatum"],
                 [DEAL, "City Deal Privacy (test)", dt.date(2021, 1, 1), dt.date(2023, 12, 31), dt.date(2022, 6, 30)]],
        "Onderdelen": [["Code", "Naam", "Soort"], ["OT1", "Ontwikkelteam 1", "ontwikkelteam"]],
        "Partners": [["Organisatie", "Soort"], ["Gemeente A", "gemeente"], ["Ministerie B", "rijk"]],
        "Bijeenkomsten": [["ID", "Datum", "Soort", "Titel"], ["M-1", dt.date(2022, 2, 1), "kernteam", "Kernteam februari"]],
        "Aanwezigheid": [["Bijeenkomst", "Deelnemer", "Organisatie", "Aanwezig"]]
        + [["M-1", p, "Gemeente A", "ja"] for p in PEOPLE["attendance"]],
        "Vragen": [["Code", "Vraag", "Schaal", "Thema"], ["V01", "Ik ben tevreden over de City Deal", "likert5", "Samenwerking"]],
        "Enquete": survey,
    })
    forms = write_workbook(d / "Enquete CDP 2022(1-2).xlsx", {"Sheet1": [
        ["ID", "Begintijd", "Tijd van voltooien", "E-mail", "Naam", "Ik ben tevreden over de City Deal"],
        [1, dt.datetime(2022, 11, 3, 9, 0), dt.datetime(2022, 11, 3, 9, 5), "c.bakker@voorbeeld.nl", "Chantal Bakker", "Eens"],
        [2, dt.datetime(2022, 11, 4, 9, 0), dt.datetime(2022, 11, 4, 9, 5), "d.visser@voorbeeld.nl", "Daan Visser", "Oneens"],
    ]})
    mailchimp = d / "members_export_9c1d.csv"
    mailchimp.write_text("Email Address,First Name,Last Name,MEMBER_RATING,OPTIN_TIME,TAGS\n"
                         "e.smit@voorbeeld.nl,Eva,Smit,2,2021-03-01 10:00:00,\"OT1,Nieuwsbrief\"\n"
                         "f.mulder@voorbeeld.nl,Fenna,Mulder,3,2021-04-01 10:00:00,Nieuwsbrief\n", encoding="utf-8")
    duplicate = write_workbook(d / "dubbel.xlsx", {"Enquete": [survey[0], survey[1], survey[1]]})  # rejected
    runs = [cli("load", str(first), "--db", str(db), "--json"), cli("load", str(first), "--db", str(db)),
            cli("load", str(mailchimp), "--deal", DEAL, "--db", str(db), "--json"),
            cli("load", str(duplicate), "--deal", DEAL, "--db", str(db), "--json"),
            cli("load", str(duplicate), "--deal", DEAL, "--db", str(db)),
            cli("indicators", "--deal", DEAL, "--db", str(db), "--json"), cli("deals", "--db", str(db), "--json")]
    codes = [r.returncode for r in runs]
    assert codes == [0, 0, 0, 1, 1, 0, 0], [(r.stdout[-500:], r.stderr[-500:]) for r in runs]
    # the long-form survey first (the small group), the Forms export as a later delivery of the same sheet
    deck = {fmt: cli("slides", "--deal", DEAL, "--db", str(db), "--format", fmt, "-o", str(d / f"deck.{fmt}"))
            for fmt in ("pptx", "pdf")}
    runs += list(deck.values())
    # the Forms export in a database of its own: as a later delivery it would replace the survey with the small group
    (d / "forms").mkdir()
    forms_deal = write_workbook(d / "forms" / "deal.xlsx", {"Deal": [["Code", "Naam", "Peildatum"],
                                                                    ["CDF", "City Deal Formulier (test)", dt.date(2022, 11, 30)]]})
    forms_run = cli("load", str(forms_deal), str(forms), "--db", str(d / "forms" / "stuurhut.duckdb"), "--json")
    runs.append(forms_run)
    assert forms_run.returncode == 0, forms_run.stdout[-1000:]
    key = (d / ".stuurhut.key").read_text().strip()
    assert (d / "forms" / ".stuurhut.key").exists()
    return {"db": db, "forms_db": d / "forms" / "stuurhut.duckdb", "runs": runs, "deck": d, "key": key}


def test_database_holds_no_name_or_address(site):
    values = varchar_values(site["db"])
    forms = varchar_values(site["forms_db"])
    for vals in (values, forms):
        found = {where: leaks(" ".join(vs)) for where, vs in vals.items() if leaks(" ".join(vs))}
        assert found == {}
        assert all(site["key"] not in v for vs in vals.values() for v in vs)
    assert len(values["raw.attendance.participant"]) == 4 and len(values["raw.contacts.email"]) == 2
    assert len(set(values["raw.survey.respondent"])) == 13  # pseudonymised, still one hash per person
    assert len(set(forms["raw.survey.respondent"])) == 2


def test_cli_output_holds_no_name_or_address(site):
    for r in site["runs"]:
        assert leaks(r.stdout + r.stderr) == [], (r.args[3:6], leaks(r.stdout + r.stderr))
        assert site["key"] not in r.stdout + r.stderr
    rejected = site["runs"][3].stdout
    assert "komt twee keer voor (rij 2 en 3)" in rejected and "persoonsgegeven, niet getoond" in rejected


def test_every_download_holds_no_name_or_address(site):
    """Every staging model and mart (what every table and download on the pages is made of) as CSV and XLSX."""
    wh = Warehouse(site["db"])
    macros = wh.query("SELECT function_name FROM duckdb_functions() WHERE function_type = 'table_macro' "
                      "AND parameters = ['p_deal', 'p_as_of'] ORDER BY 1")["function_name"].to_list()
    assert {"stg_attendance", "stg_survey", "stg_contacts", "survey_groups", "attendance_summary"} <= set(macros)
    for name in macros:
        df = wh.query(f"SELECT * FROM {name}($deal, NULL)", deal=DEAL)  # noqa: S608 - a macro name from the catalogue
        csv_text = downloads.to_csv(df).decode("utf-8-sig")
        cells = [str(c.value) for row in openpyxl.load_workbook(io.BytesIO(downloads.to_xlsx(df))).active.iter_rows()
                 for c in row if c.value is not None]
        assert leaks(csv_text) == [] and leaks(" ".join(cells)) == [], name
        assert site["key"] not in csv_text + " ".join(cells), name


def test_slides_hold_no_name_and_hide_the_small_group(site):
    from pypdf import PdfReader

    deck = zipfile.ZipFile(site["deck"] / "deck.pptx")
    parts = []
    for n in deck.namelist():
        data = deck.read(n)
        parts.append(zipfile.ZipFile(io.BytesIO(data)).read("xl/sharedStrings.xml").decode("utf-8")
                     if n.endswith(".xlsx") else data.decode("utf-8", "ignore"))
    pptx_text = " ".join(parts)
    pdf_text = " ".join(p.extract_text() for p in PdfReader(site["deck"] / "deck.pdf").pages)
    for text in (pptx_text, " ".join(pdf_text.split())):  # the PDF breaks lines inside sentences
        assert leaks(text) == []
        assert site["key"] not in text
        assert "gemeente 4,0 (n=6)" in text  # the group of 6 is shown ...
        assert "rijk" not in text.lower()  # ... the group of 2 nowhere,
        assert "provincie" not in text.lower()  # nor the next smallest, whose mean and the total would give it away
        assert "2 groepen met minder dan 5 respondenten niet getoond" in text


def test_small_groups_are_suppressed_in_the_warehouse(site):
    wh = Warehouse(site["db"])
    groups = wh.query("SELECT group_value, respondents, mean_score, suppressed FROM survey_groups($deal, NULL) "
                      "WHERE wave = '2022-05' AND group_type = 'organisatiesoort' ORDER BY 1", deal=DEAL)
    assert groups.rows() == [("gemeente", 6, 4.0, False), ("provincie", 5, None, True), ("rijk", 2, None, True)]


@pytest.mark.slow
def test_the_app_shows_no_name_and_hides_the_small_group(site, monkeypatch: pytest.MonkeyPatch, capfd, tmp_path):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("STUURHUT_DB", str(site["db"]))
    monkeypatch.setenv("STUURHUT_ACCOUNTS", str(tmp_path / "accounts.json"))
    for spec in PAGES:
        at = AppTest.from_file(str(APP), default_timeout=120)
        at.query_params.update({"deal": DEAL, "peildatum": "2022-06-30"})  # the long-form survey with the small group
        at.run()
        if not spec.default:
            at.switch_page(str(ROOT / spec.path)).run()
        open_chart_data(at)  # the tables behind the charts are drawn only while their expander is open
        assert not at.exception, (spec.key, [e.value for e in at.exception])
        shown = " ".join(str(el.proto) for el in _elements(at))
        shown += " ".join(df.value.to_csv() for df in at.dataframe)
        assert leaks(shown) == [], (spec.key, leaks(shown))
        assert site["key"] not in shown
        assert at.title[0].value.startswith(spec.title_nl) and len(shown) > 500, spec.key
        if spec.key == "enquete":  # the scan sees the groups: the big one is there, the small ones are not
            assert '0,gemeente,6,"4,0"' in shown and "1,provincie,5,niet getoond (< 5)" in shown
            assert "2,rijk,2,niet getoond (< 5)" in shown
        if spec.key in ("enquete", "vergelijking", "presentatie"):
            assert not re.search(r"(rijk|provincie)\W[^\n]{0,40}\d,\d", shown, re.I), spec.key  # no mean next to them
    out, err = capfd.readouterr()
    assert leaks(out + err) == []


def _elements(at) -> list:
    found, todo = [], [at._tree]
    while todo:
        node = todo.pop()
        children = getattr(node, "children", None)
        if isinstance(children, dict) and children:
            todo.extend(children.values())
        elif hasattr(node, "proto"):
            found.append(node)
    return found


def test_the_key_is_never_in_the_repository():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split("\n")
    assert not [p for p in tracked if p.endswith(".key") or ".stuurhut" in p]
    assert not [p for p in tracked if p.endswith((".duckdb", ".duckdb.wal"))]
