"""Workbook contract v1: one frozen pydantic model per sheet, the single source of headers, aliases, types and allowed values.

Everything else is derived from these models: the template, header matching, the vectorised
validation (Polars enforces what pydantic describes), the raw DuckDB tables and the docs.
A field's metadata lives in `json_schema_extra`:

- ``header``: the Dutch column header as it appears in the template;
- ``aliases``: other accepted headers (English first);
- ``kind``: how the normaliser reads the column (see ``Kind``);
- ``allowed``: the allowed values of an ``enum`` column (Dutch, lower case);
- ``ref``: a reference to another sheet's key ("Onderdelen.code");
- ``pii``: pseudonymised at load time, never stored in clear.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from etl.catalogue import CODES

# re-exported: the column type, name key and storage types live beside the pydantic-free view of the contract
from etl.contract_view import DERIVED, DUCKDB_TYPES, Column, Kind, fold  # noqa: F401

PART_KINDS = ("ontwikkelteam", "atelier", "casus", "kernteam", "directeurenoverleg", "communicatie", "overig")
PARTNER_KINDS = (
    "gemeente", "rijk", "provincie", "waterschap", "kennisinstelling", "brancheorganisatie",
    "netbeheerder", "adviesbureau", "maatschappelijke organisatie", "overig",
)
COST_TYPES = ("basis", "ontwikkeling")
MEETING_KINDS = (
    "kernteam", "directeurenoverleg", "atelierdag", "werksessie", "ontwikkelteam",
    "kartrekkersoverleg", "excursie", "conferentie", "overig",
)
MEETING_FORMS = ("online", "fysiek", "hybride")
MEETING_STATUSES = ("gepland", "gehouden", "geannuleerd")
PRESENCE = ("ja", "nee", "afgemeld")
SCALES = ("likert5", "janee", "getal", "tekst")
PROGRESS_STATUSES = ("niet gestart", "loopt", "gereed", "vertraagd", "vervallen")
SEVERITIES = ("laag", "middel", "hoog")
BOTTLENECK_STATUSES = ("open", "in behandeling", "opgelost")
CHANNELS = (
    "nieuwsbrief", "teamupdate", "linkedin", "twitter", "website", "artikel", "werkboek",
    "webinar", "congres", "overig",
)


def col(
    header: str,
    kind: Kind,
    *,
    required: bool = False,
    aliases: tuple[str, ...] = (),
    allowed: tuple[str, ...] = (),
    ref: str | None = None,
    pii: bool = False,
    help_nl: str = "",
    help_en: str = "",
) -> Any:
    """A contract column: pydantic Field with the metadata every derived artefact reads."""
    extra = {
        "header": header,
        "kind": kind,
        "aliases": list(aliases),
        "allowed": list(allowed),
        "ref": ref,
        "pii": pii,
        "help_en": help_en,
    }
    if required:
        return Field(..., description=help_nl, json_schema_extra=extra)
    return Field(None, description=help_nl, json_schema_extra=extra)


class Sheet(BaseModel):
    """Base of every sheet model: one instance is one validated row."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    sheet: ClassVar[str]  # Dutch sheet name as in the template
    table: ClassVar[str]  # raw table name in DuckDB (schema "raw")
    sheet_aliases: ClassVar[tuple[str, ...]] = ()
    key: ClassVar[tuple[str, ...]] = ()  # unique within a delivery
    description_nl: ClassVar[str] = ""
    description_en: ClassVar[str] = ""


class Deal(Sheet):
    sheet: ClassVar[str] = "Deal"
    table: ClassVar[str] = "deal"
    sheet_aliases: ClassVar[tuple[str, ...]] = ("City Deal", "Citydeal")
    key: ClassVar[tuple[str, ...]] = ("code",)
    description_nl: ClassVar[str] = "Eén rij: de City Deal en de Peildatum, de datum die de gegevens beschrijven."
    description_en: ClassVar[str] = "One row: the City Deal and the as-of date the data describes."

    code: str = col("Code", "code", required=True, aliases=("Deal", "Dealcode"), help_nl="Korte code van de deal, bijv. CDOR.")
    name: str = col("Naam", "text", required=True, aliases=("Name",), help_nl="Volledige naam van de deal.")
    start: dt.date | None = col("Start", "date", aliases=("Startdatum", "Start date"), help_nl="Startdatum van de deal.")
    end: dt.date | None = col("Einde", "date", aliases=("Einddatum", "End", "End date"), help_nl="Einddatum van de deal.")
    as_of: dt.date | None = col("Peildatum", "date", aliases=("As of", "As-of date", "Reference date"),
                             help_nl="De datum waarop de gegevens betrekking hebben.")


class Part(Sheet):
    sheet: ClassVar[str] = "Onderdelen"
    table: ClassVar[str] = "parts"
    sheet_aliases: ClassVar[tuple[str, ...]] = ("Teams", "Parts", "Onderdeel")
    key: ClassVar[tuple[str, ...]] = ("code",)
    description_nl: ClassVar[str] = "De onderdelen van de deal: ontwikkelteams, atelier, casussen, kernteam en meer."
    description_en: ClassVar[str] = "The parts of the deal: development teams, atelier, cases, core team and more."

    code: str = col("Code", "code", required=True, help_nl="Korte code, bijv. OT1.")
    name: str = col("Naam", "text", required=True, aliases=("Name",), help_nl="Naam van het onderdeel.")
    kind: str = col("Soort", "enum", required=True, aliases=("Type", "Kind"), allowed=PART_KINDS, help_nl="Soort onderdeel.")
    lead: str | None = col("Trekker", "text", aliases=("Lead", "Trekkende organisatie"),
                           help_nl="Trekkende organisatie (geen persoonsnaam).")


class Partner(Sheet):
    sheet: ClassVar[str] = "Partners"
    table: ClassVar[str] = "partners"
    sheet_aliases: ClassVar[tuple[str, ...]] = ("Partner", "Deelnemers")
    key: ClassVar[tuple[str, ...]] = ("organisation",)
    description_nl: ClassVar[str] = "De partners van de deal, met soort en looptijd."
    description_en: ClassVar[str] = "The deal's partners, with type and period."

    organisation: str = col("Organisatie", "text", required=True, aliases=("Organisation", "Organization", "Partner"),
                            help_nl="Naam van de organisatie.")
    kind: str = col("Soort", "enum", required=True, aliases=("Type", "Kind"), allowed=PARTNER_KINDS, help_nl="Soort partner.")
    since: dt.date | None = col("Sinds", "date", aliases=("Since", "Vanaf"), help_nl="Partner sinds.")
    until: dt.date | None = col("Tot", "date", aliases=("Until", "Tot en met"), help_nl="Partner tot (leeg: nog partner).")
    funding: bool | None = col("Financierend", "bool", aliases=("Funding", "Funder"), help_nl="Draagt bij aan de begroting (ja/nee).")


class Budget(Sheet):
    sheet: ClassVar[str] = "Begroting"
    table: ClassVar[str] = "budget"
    sheet_aliases: ClassVar[tuple[str, ...]] = ("Budget",)
    key: ClassVar[tuple[str, ...]] = ("year", "cost_type", "post", "part")
    description_nl: ClassVar[str] = "Begroot en gerealiseerd per jaar, kostensoort en post."
    description_en: ClassVar[str] = "Budgeted and realised per year, cost type and post."

    year: int = col("Jaar", "year", required=True, aliases=("Year",), help_nl="Begrotingsjaar.")
    cost_type: str = col("Kostensoort", "enum", required=True, aliases=("Cost type", "Soort"), allowed=COST_TYPES,
                         help_nl="basis of ontwikkeling; alleen ontwikkelgeld schuift door naar volgend jaar.")
    post: str = col("Post", "text", required=True, aliases=("Begrotingspost", "Item"), help_nl="Begrotingspost.")
    part: str | None = col("Onderdeel", "code", aliases=("Team", "Part"), ref="Onderdelen.code", help_nl="Code van het onderdeel.")
    budgeted: Decimal = col("Begroot", "money", required=True, aliases=("Budgeted", "Budget", "Begroting"),
                            help_nl="Begroot bedrag in euro.")
    realised: Decimal | None = col("Gerealiseerd", "money", aliases=("Realised", "Realized", "Actual", "Realisatie"),
                                   help_nl="Gerealiseerd bedrag in euro; leeg = nog niet bekend.")
    note: str | None = col("Toelichting", "text", aliases=("Note", "Notes", "Opmerking"), help_nl="Toelichting.")


class Contribution(Sheet):
    sheet: ClassVar[str] = "Bijdragen"
    table: ClassVar[str] = "contributions"
    sheet_aliases: ClassVar[tuple[str, ...]] = ("Contributions", "Financiering")
    key: ClassVar[tuple[str, ...]] = ("year", "organisation", "cost_type")
    description_nl: ClassVar[str] = "Bijdragen per financier: toegezegd en ontvangen."
    description_en: ClassVar[str] = "Contributions per funder: promised and received."

    year: int = col("Jaar", "year", required=True, aliases=("Year",), help_nl="Jaar van de bijdrage.")
    organisation: str = col("Organisatie", "text", required=True, aliases=("Organisation", "Organization", "Financier", "Funder"),
                            ref="Partners.organisation", help_nl="Moet een partner zijn (tabblad Partners).")
    cost_type: str = col("Kostensoort", "enum", required=True, aliases=("Cost type",), allowed=COST_TYPES,
                         help_nl="basis of ontwikkeling.")
    promised: Decimal = col("Toegezegd", "money", required=True, aliases=("Promised", "Committed"), help_nl="Toegezegd bedrag in euro.")
    received: Decimal | None = col("Ontvangen", "money", aliases=("Received",), help_nl="Ontvangen bedrag in euro.")


class Meeting(Sheet):
    sheet: ClassVar[str] = "Bijeenkomsten"
    table: ClassVar[str] = "meetings"
    sheet_aliases: ClassVar[tuple[str, ...]] = ("Meetings", "Overleggen")
    key: ClassVar[tuple[str, ...]] = ("id",)
    description_nl: ClassVar[str] = "Alle overleggen, atelierdagen, werksessies en andere bijeenkomsten."
    description_en: ClassVar[str] = "All meetings, atelier days, work sessions and other gatherings."

    id: str = col("ID", "code", required=True, aliases=("Meeting ID", "Nummer", "Nr"), help_nl="Unieke code van de bijeenkomst.")
    date: dt.date = col("Datum", "date", required=True, aliases=("Date",), help_nl="Datum van de bijeenkomst.")
    kind: str = col("Soort", "enum", required=True, aliases=("Type", "Kind"), allowed=MEETING_KINDS, help_nl="Soort bijeenkomst.")
    title: str | None = col("Titel", "text", aliases=("Title", "Onderwerp"), help_nl="Titel of onderwerp.")
    part: str | None = col("Onderdeel", "code", aliases=("Team", "Part"), ref="Onderdelen.code", help_nl="Code van het onderdeel.")
    form: str | None = col("Vorm", "enum", aliases=("Form", "Format"), allowed=MEETING_FORMS, help_nl="online, fysiek of hybride.")
    status: str | None = col("Status", "enum", allowed=MEETING_STATUSES,
                             help_nl="Leeg: gehouden als de datum op of voor de Peildatum ligt, anders gepland.")
    invited: int | None = col("Uitgenodigd", "count", aliases=("Invited", "Aantal uitgenodigd"), help_nl="Aantal uitgenodigden.")


class Attendance(Sheet):
    sheet: ClassVar[str] = "Aanwezigheid"
    table: ClassVar[str] = "attendance"
    sheet_aliases: ClassVar[tuple[str, ...]] = ("Attendance", "Presentielijst", "Deelname")
    key: ClassVar[tuple[str, ...]] = ()
    description_nl: ClassVar[str] = "Wie er bij welke bijeenkomst was; deelnemers worden gepseudonimiseerd."
    description_en: ClassVar[str] = "Who attended which meeting; participants are pseudonymised."

    meeting: str = col("Bijeenkomst", "code", required=True, aliases=("Meeting", "Meeting ID", "Bijeenkomst ID"),
                       ref="Bijeenkomsten.id", help_nl="ID van een bijeenkomst (tabblad Bijeenkomsten).")
    participant: str | None = col("Deelnemer", "text", aliases=("Participant", "Naam", "Name", "E-mail", "Email"), pii=True,
                                  help_nl="Naam, e-mail of ID; wordt bij het laden gepseudonimiseerd.")
    organisation: str = col("Organisatie", "text", required=True, aliases=("Organisation", "Organization"),
                            help_nl="Organisatie van de deelnemer.")
    role: str | None = col("Rol", "text", aliases=("Role",), help_nl="Rol, bijv. trekker of lid.")
    present: str | None = col("Aanwezig", "enum", aliases=("Present", "Attended"), allowed=PRESENCE,
                              help_nl="ja, nee of afgemeld; leeg = ja.")


class SurveyAnswer(Sheet):
    sheet: ClassVar[str] = "Enquete"
    table: ClassVar[str] = "survey"
    sheet_aliases: ClassVar[tuple[str, ...]] = ("Enquête", "Survey", "Antwoorden")
    key: ClassVar[tuple[str, ...]] = ("respondent", "wave", "question")
    description_nl: ClassVar[str] = "Enquêteantwoorden in lange vorm: één rij per respondent en vraag."
    description_en: ClassVar[str] = "Survey answers in long form: one row per respondent and question."

    respondent: str = col("Respondent", "text", required=True, aliases=("Respondent ID", "ID"), pii=True,
                          help_nl="Respondentnummer of e-mail; wordt gepseudonimiseerd.")
    wave: str = col("Meting", "month", required=True, aliases=("Wave", "Ronde", "Periode"), help_nl="Meting, bijv. 2021-11.")
    question: str = col("Vraag", "text", required=True, aliases=("Question", "Vraagcode"),
                        help_nl="Code of tekst van de vraag (tabblad Vragen).")
    answer: str = col("Antwoord", "text", required=True, aliases=("Answer", "Response"), help_nl="Het antwoord.")
    org_kind: str | None = col("Organisatiesoort", "text", aliases=("Organisation type", "Soort organisatie"),
                               help_nl="Soort organisatie van de respondent.")
    part: str | None = col("Onderdeel", "code", aliases=("Team", "Part"), help_nl="Onderdeel van de respondent.")


class Question(Sheet):
    sheet: ClassVar[str] = "Vragen"
    table: ClassVar[str] = "questions"
    sheet_aliases: ClassVar[tuple[str, ...]] = ("Questions",)
    key: ClassVar[tuple[str, ...]] = ("code",)
    description_nl: ClassVar[str] = "De vragen van de enquête, met schaal en thema."
    description_en: ClassVar[str] = "The survey's questions, with scale and theme."

    code: str = col("Code", "code", required=True, help_nl="Korte code, bijv. V01.")
    question: str = col("Vraag", "text", required=True, aliases=("Question", "Tekst"), help_nl="De vraagtekst.")
    scale: str = col("Schaal", "enum", required=True, aliases=("Scale",), allowed=SCALES, help_nl="likert5, janee, getal of tekst.")
    theme: str | None = col("Thema", "text", aliases=("Theme",), help_nl="Thema van de vraag.")


class Milestone(Sheet):
    sheet: ClassVar[str] = "Mijlpalen"
    table: ClassVar[str] = "milestones"
    sheet_aliases: ClassVar[tuple[str, ...]] = ("Milestones", "Planning")
    key: ClassVar[tuple[str, ...]] = ("part", "milestone")
    description_nl: ClassVar[str] = "Mijlpalen per onderdeel: gepland, gereed en status."
    description_en: ClassVar[str] = "Milestones per part: planned, done and status."

    part: str = col("Onderdeel", "code", required=True, aliases=("Team", "Part"), ref="Onderdelen.code",
                    help_nl="Code van het onderdeel.")
    milestone: str = col("Mijlpaal", "text", required=True, aliases=("Milestone",), help_nl="Omschrijving van de mijlpaal.")
    planned: dt.date = col("Gepland", "date_or_quarter", required=True, aliases=("Planned", "Deadline", "Planning"),
                        help_nl="Datum of kwartaal (2022-Q2).")
    done: dt.date | None = col("Gereed", "date", aliases=("Done", "Completed", "Afgerond"), help_nl="Datum gereed.")
    status: str = col("Status", "enum", required=True, allowed=PROGRESS_STATUSES, help_nl="Status van de mijlpaal.")
    progress: float | None = col("Voortgang", "percent", aliases=("Progress",), help_nl="Voortgang, bijv. 40%.")
    end_result: str | None = col("Eindresultaat", "code", aliases=("End result",), ref="Eindresultaten.id",
                                 help_nl="ID van het eindresultaat waaraan de mijlpaal bijdraagt.")
    note: str | None = col("Toelichting", "text", aliases=("Note", "Notes"), help_nl="Toelichting.")


class EndResult(Sheet):
    sheet: ClassVar[str] = "Eindresultaten"
    table: ClassVar[str] = "end_results"
    sheet_aliases: ClassVar[tuple[str, ...]] = ("End results", "Resultaten")
    key: ClassVar[tuple[str, ...]] = ("id",)
    description_nl: ClassVar[str] = "De eindresultaten 2023 per onderdeel."
    description_en: ClassVar[str] = "The 2023 end results per part."

    id: str = col("ID", "code", required=True, aliases=("Code", "Nr"), help_nl="Unieke code, bijv. ER-OT1-1.")
    part: str = col("Onderdeel", "code", required=True, aliases=("Team", "Part"), ref="Onderdelen.code",
                    help_nl="Code van het onderdeel.")
    result: str = col("Resultaat", "text", required=True, aliases=("Result", "Eindresultaat"), help_nl="Omschrijving van het resultaat.")
    status: str = col("Status", "enum", required=True, allowed=PROGRESS_STATUSES, help_nl="Status van het resultaat.")
    progress: float | None = col("Voortgang", "percent", aliases=("Progress",), help_nl="Voortgang, bijv. 40%.")
    note: str | None = col("Toelichting", "text", aliases=("Note", "Notes"), help_nl="Toelichting.")


class Bottleneck(Sheet):
    sheet: ClassVar[str] = "Knelpunten"
    table: ClassVar[str] = "bottlenecks"
    sheet_aliases: ClassVar[tuple[str, ...]] = ("Bottlenecks", "Issues", "Risico's")
    key: ClassVar[tuple[str, ...]] = ()
    description_nl: ClassVar[str] = "Knelpunten met ernst, status en actie."
    description_en: ClassVar[str] = "Bottlenecks with severity, status and action."

    date: dt.date = col("Datum", "date", required=True, aliases=("Date",), help_nl="Datum gesignaleerd.")
    part: str | None = col("Onderdeel", "code", aliases=("Team", "Part"), ref="Onderdelen.code", help_nl="Code van het onderdeel.")
    issue: str = col("Knelpunt", "text", required=True, aliases=("Bottleneck", "Issue", "Omschrijving"), help_nl="Het knelpunt.")
    severity: str | None = col("Ernst", "enum", aliases=("Severity",), allowed=SEVERITIES, help_nl="laag, middel of hoog.")
    status: str = col("Status", "enum", required=True, allowed=BOTTLENECK_STATUSES, help_nl="open, in behandeling of opgelost.")
    action: str | None = col("Actie", "text", aliases=("Action", "Maatregel"), help_nl="Actie of besluit dat nodig is.")


class Communication(Sheet):
    sheet: ClassVar[str] = "Communicatie"
    table: ClassVar[str] = "communication"
    sheet_aliases: ClassVar[tuple[str, ...]] = ("Communication", "Communications")
    key: ClassVar[tuple[str, ...]] = ()
    description_nl: ClassVar[str] = "Nieuwsbrieven, teamupdates, artikelen en andere communicatie."
    description_en: ClassVar[str] = "Newsletters, team updates, articles and other communication."

    date: dt.date = col("Datum", "date", required=True, aliases=("Date",), help_nl="Datum van verschijnen.")
    channel: str = col("Kanaal", "enum", required=True, aliases=("Channel",), allowed=CHANNELS, help_nl="Kanaal.")
    title: str | None = col("Titel", "text", aliases=("Title",), help_nl="Titel.")
    reach: int | None = col("Bereik", "count", aliases=("Reach", "Ontvangers"), help_nl="Aantal ontvangers of lezers.")
    part: str | None = col("Onderdeel", "code", aliases=("Team", "Part"), ref="Onderdelen.code", help_nl="Code van het onderdeel.")


class Contact(Sheet):
    """Extension to contract v1: the mailing list, usually a Mailchimp audience export."""

    sheet: ClassVar[str] = "Contacten"
    table: ClassVar[str] = "contacts"
    sheet_aliases: ClassVar[tuple[str, ...]] = ("Contacts", "Mailinglijst", "Audience")
    key: ClassVar[tuple[str, ...]] = ("email",)
    description_nl: ClassVar[str] = "De mailinglijst (bijv. een Mailchimp-export); e-mailadressen worden gepseudonimiseerd."
    description_en: ClassVar[str] = "The mailing list (e.g. a Mailchimp export); e-mail addresses are pseudonymised."

    email: str = col("E-mail", "text", required=True, aliases=("Email Address", "Email", "E-mailadres"), pii=True,
                     help_nl="E-mailadres; wordt gepseudonimiseerd.")
    tags: str | None = col("Tags", "text", aliases=("TAGS", "Labels"), help_nl="Tags, gescheiden door komma's.")
    since: dt.date | None = col("Aangemeld", "date", aliases=("OPTIN_TIME", "CONFIRM_TIME", "Subscribed"),
                             help_nl="Datum van aanmelding.")


class Target(Sheet):
    sheet: ClassVar[str] = "Doelen"
    table: ClassVar[str] = "targets"
    sheet_aliases: ClassVar[tuple[str, ...]] = ("Targets", "Streefwaarden")
    key: ClassVar[tuple[str, ...]] = ("indicator", "year")
    description_nl: ClassVar[str] = "Eigen streefwaarden; overschrijven de standaarddoelen per jaar (leeg jaar = alle jaren)."
    description_en: ClassVar[str] = "Own targets; override the default targets per year (empty year = all years)."

    indicator: str = col("Indicator", "enum", required=True, allowed=CODES, help_nl="Code van de indicator.")
    year: int | None = col("Jaar", "year", aliases=("Year",), help_nl="Jaar; leeg = alle jaren.")
    minimum: float | None = col("Minimum", "number", aliases=("Min", "Ondergrens"), help_nl="Ondergrens van het doel.")
    maximum: float | None = col("Maximum", "number", aliases=("Max", "Bovengrens"), help_nl="Bovengrens van het doel.")


class SelfAssessment(Sheet):
    sheet: ClassVar[str] = "Zelfevaluatie"
    table: ClassVar[str] = "self_assessment"
    sheet_aliases: ClassVar[tuple[str, ...]] = ("Self-assessment", "Self assessment", "Zelfscan")
    key: ClassVar[tuple[str, ...]] = ("wave", "theme")
    description_nl: ClassVar[str] = "De eigen score (1-5) per thema, zoals in de midterm reviews van Agenda Stad."
    description_en: ClassVar[str] = "The deal's own score (1-5) per theme, as in Agenda Stad's midterm reviews."

    wave: str = col("Meting", "month", required=True, aliases=("Wave", "Measurement", "Ronde"), help_nl="Meting, bijv. 2022-06.")
    theme: str = col("Thema", "text", required=True, aliases=("Theme",), help_nl="Thema.")
    score: int = col("Score", "score", required=True, help_nl="Score van 1 tot en met 5.")
    note: str | None = col("Toelichting", "text", aliases=("Note", "Notes"), help_nl="Toelichting.")


SHEETS: tuple[type[Sheet], ...] = (
    Deal, Part, Partner, Budget, Contribution, Meeting, Attendance, SurveyAnswer, Question,
    Milestone, EndResult, Bottleneck, Communication, Contact, Target, SelfAssessment,
)


# Matching sheet names (sheet_for) and finding a sheet by name (by_sheet) is etl/contract_view.py's: the loader
# works on its views of these models.


def columns(model: type[Sheet]) -> tuple[Column, ...]:
    out = []
    for name, f in model.model_fields.items():
        x = f.json_schema_extra or {}
        out.append(Column(
            sheet=model.sheet, name=name, header=x["header"], aliases=tuple(x["aliases"]), kind=x["kind"],
            required=f.is_required(), allowed=tuple(x["allowed"]), ref=x["ref"], pii=bool(x["pii"]),
            help_nl=f.description or "", help_en=x.get("help_en", ""),
        ))
    return tuple(out)
