"""Questions of the Enquête page: Likert answers per question, waves and themes compared, groups, other questions.

Privacy rules live in the SQL: a question, theme or group under 5 respondents comes back without figures
(suppressed), free-text answers come without any column that could identify a respondent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from dashboard.format import fmt_number, fmt_ratio, formatted
from dashboard.memo import per_version

MIN_GROUP = 5
GROUP_TYPES = ("organisatiesoort", "onderdeel")
# Canonical answer labels per Likert score: spreadsheets spell them in many ways (and in English).
LIKERT_LABELS = {
    "nl": ("helemaal oneens", "oneens", "neutraal", "eens", "helemaal eens"),
    "en": ("strongly disagree", "disagree", "neutral", "agree", "strongly agree"),
}


def survey_waves(wh, deal: str, as_of: dt.date | None = None) -> pl.DataFrame:
    """wave, year, respondents, previous_wave, previous_respondents, change; newest first."""
    return wh.sql("survey_waves", deal=deal, as_of=as_of)


def default_wave(waves: pl.DataFrame, year: int) -> str | None:
    """The newest wave of the chosen year, else the newest wave before it, else the newest of all."""
    if waves.is_empty():
        return None
    for candidates in (waves.filter(pl.col("year") == year), waves.filter(pl.col("year") < year), waves):
        if candidates.height:
            return candidates.sort("wave", descending=True)["wave"][0]
    return None


def survey_likert(wh, deal: str, wave: str, as_of: dt.date | None = None, lang: str = "nl") -> pl.DataFrame:
    """Input for charts.likert: question ("V01 (n=38) text": n first, so a long text never hides it), answer (canonical label), score, respondents, n.

    Only questions of schaal likert5 answered by 5 or more respondents.
    """
    df = wh.sql("survey_likert", deal=deal, wave=wave, as_of=as_of)
    labels = LIKERT_LABELS.get(lang, LIKERT_LABELS["nl"])
    return df.select(
        pl.format("{} (n={}) {}", "question_code", pl.col("n").cast(pl.Int64), "question_text").alias("question"),
        pl.col("score").replace_strict({i: label for i, label in enumerate(labels, start=1)}, return_dtype=pl.String)
        .alias("answer"),
        pl.col("score").cast(pl.Int64),
        pl.col("respondents").cast(pl.Int64),
        pl.col("n").cast(pl.Int64),
        "question_code", "theme",
    )


def survey_question_means(wh, deal: str, as_of: dt.date | None = None) -> pl.DataFrame:
    """Per wave and Likert question: respondents, suppressed, mean_score, previous_wave, previous_mean, change."""
    return wh.sql("survey_question_means", deal=deal, as_of=as_of)


def survey_theme_means(wh, deal: str, as_of: dt.date | None = None) -> pl.DataFrame:
    """Per wave and theme (Likert questions only): questions, respondents, suppressed, mean_score, change."""
    return wh.sql("survey_theme_means", deal=deal, as_of=as_of)


def survey_group_means(wh, deal: str, wave: str, group_type: str, as_of: dt.date | None = None) -> pl.DataFrame:
    """Per group of `group_type` ("organisatiesoort" or "onderdeel"): group_value, respondents, suppressed,
    mean_score (NULL when suppressed, also the extra groups suppressed to protect a small one)."""
    if group_type not in GROUP_TYPES:
        raise ValueError(f"unknown group type {group_type!r}")
    return wh.sql("survey_group_means", deal=deal, wave=wave, group_type=group_type, as_of=as_of)


def survey_other_questions(wh, deal: str, as_of: dt.date | None = None) -> pl.DataFrame:
    """Non-Likert closed questions (getal: mean number, janee: share ja) per wave, suppressed under 5."""
    return wh.sql("survey_other_questions", deal=deal, as_of=as_of)


def survey_text_answers(wh, deal: str, wave: str, as_of: dt.date | None = None) -> pl.DataFrame:
    """Free-text answers of one wave: question_code, question_text, answer only (questions with 5+ answers).
    Show only to viewers with auth.can_see_personal_data."""
    return wh.sql("survey_text_answers", deal=deal, wave=wave, as_of=as_of)


def survey_unscaled(wh, deal: str, as_of: dt.date | None = None) -> pl.DataFrame:
    """Questions in the answers that the Vragen sheet does not describe (no scale: not counted anywhere)."""
    return wh.sql("survey_unscaled", deal=deal, as_of=as_of)


def suppressed_note(groups: pl.DataFrame, lang: str = "nl") -> str | None:
    """ "waterschap, provincie: groep kleiner dan 5: niet getoond" (None when nothing is suppressed)."""
    hidden = groups.filter(pl.col("suppressed"))
    if hidden.is_empty():
        return None
    unknown = "onbekend" if lang == "nl" else "unknown"
    names = ", ".join(sorted(v or unknown for v in hidden["group_value"].to_list()))
    text = "groep kleiner dan 5: niet getoond" if lang == "nl" else "group smaller than 5: not shown"
    return f"{names}: {text}"


# --- display tables ----------------------------------------------------------------------------------

def _score(v: float | None, lang: str) -> str:
    return fmt_number(v, 1, lang) if v is not None else ("niet getoond (< 5)" if lang == "nl" else "not shown (< 5)")


def _change(v: float | None, lang: str) -> str:
    if v is None:
        return "–"
    text = fmt_number(v, 1, lang)
    return text if text.startswith("-") or text in ("0", "0,0", "0.0") else "+" + text


def _mean(df: pl.DataFrame, lang: str) -> pl.Series:
    """df's 1-5 means as Dutch (or English) text, under their display header."""
    header = "Gemiddelde (1-5)" if lang == "nl" else "Mean (1-5)"
    return formatted(df["mean_score"], _score, lang, skip_nulls=False).alias(header)


def _mean_and_change(df: pl.DataFrame, lang: str) -> tuple[pl.Series, pl.Series]:
    change = formatted(df["change"], _change, lang, skip_nulls=False).alias("Verandering" if lang == "nl" else "Change")
    return _mean(df, lang), change


def question_means_table(df: pl.DataFrame, lang: str = "nl") -> pl.DataFrame:
    nl = lang == "nl"
    return df.select(
        pl.col("wave").alias("Meting" if nl else "Wave"),
        pl.format("{} {}", "question_code", "question_text").alias("Vraag" if nl else "Question"),
        pl.col("theme").alias("Thema" if nl else "Theme"),
        pl.col("respondents").alias("Respondenten" if nl else "Respondents"),
        *_mean_and_change(df, lang),
    )


def theme_means_table(df: pl.DataFrame, lang: str = "nl") -> pl.DataFrame:
    nl = lang == "nl"
    return df.select(
        pl.col("wave").alias("Meting" if nl else "Wave"),
        pl.col("theme").alias("Thema" if nl else "Theme"),
        pl.col("questions").alias("Vragen" if nl else "Questions"),
        pl.col("respondents").alias("Respondenten" if nl else "Respondents"),
        *_mean_and_change(df, lang),
    )


def group_means_table(df: pl.DataFrame, lang: str = "nl") -> pl.DataFrame:
    nl = lang == "nl"
    return df.select(
        pl.col("group_value").fill_null("onbekend" if nl else "unknown").alias("Groep" if nl else "Group"),
        pl.col("respondents").alias("Respondenten" if nl else "Respondents"),
        _mean(df, lang),
    )


def other_questions_table(df: pl.DataFrame, lang: str = "nl") -> pl.DataFrame:
    """getal: "gemiddeld 7,8"; janee: "24% ja"; suppressed: "niet getoond (< 5)"."""
    nl = lang == "nl"

    def value(row: dict) -> str:
        if row["value"] is None:
            return _score(None, lang)
        if row["scale"] == "janee":
            return f"{fmt_ratio(row['value'], lang)} {'ja' if nl else 'yes'}"
        return f"{'gemiddeld' if nl else 'mean'} {fmt_number(row['value'], 1, lang)}"

    return pl.DataFrame({
        "Meting" if nl else "Wave": df["wave"],
        "Vraag" if nl else "Question": [f"{c} {q}" for c, q in zip(df["question_code"], df["question_text"], strict=True)],
        "Schaal" if nl else "Scale": df["scale"],
        "Respondenten" if nl else "Respondents": df["respondents"],
        "Uitkomst" if nl else "Result": [value(r) for r in df.iter_rows(named=True)],
    }, schema_overrides={"Respondenten" if nl else "Respondents": pl.Int64})


def text_answers_table(df: pl.DataFrame, lang: str = "nl") -> pl.DataFrame:
    nl = lang == "nl"
    return df.select(
        pl.format("{} {}", "question_code", "question_text").alias("Vraag" if nl else "Question"),
        pl.col("answer").alias("Antwoord" if nl else "Answer"),
    )


def likert_table(df: pl.DataFrame, lang: str = "nl") -> pl.DataFrame:
    """The data behind the Likert chart: question, answer, respondents, share of the question's answers."""
    nl = lang == "nl"
    return df.select(
        pl.col("question").alias("Vraag" if nl else "Question"),
        pl.col("answer").alias("Antwoord" if nl else "Answer"),
        pl.col("respondents").alias("Respondenten" if nl else "Respondents"),
        formatted(df["respondents"] / df["n"], fmt_ratio, lang).alias("Aandeel" if nl else "Share"),
    )


# --- the page's frames, once per data version ------------------------------------------------------------

def sources(wh, deal: str, as_of: dt.date | None = None) -> tuple:
    """(Enquete, Vragen): the current deliveries of the two sheets the page rests on."""
    from dashboard.queries.budget import source

    return per_version(wh, ("survey_sources", deal, as_of),
                       lambda: (source(wh, deal, "Enquete", as_of), source(wh, deal, "Vragen", as_of)))


def wave_choice(wh, deal: str, year: int, as_of: dt.date | None = None) -> tuple[list[str], int]:
    """(the waves, newest first; the index of the one to show first: default_wave of the chosen year)."""
    def compute() -> tuple[list[str], int]:
        waves = survey_waves(wh, deal, as_of)
        options = waves["wave"].to_list()
        return options, options.index(default_wave(waves, year))

    return per_version(wh, ("survey_waves", deal, year, as_of), compute)


@dataclass(frozen=True)
class SurveyView:
    """What the Enquête page shows for one deal, year, wave, grouping, as-of date and language."""

    respondents: pl.DataFrame  # the survey_respondents indicator (a KPI tile)
    likert: pl.DataFrame  # survey_likert of the wave
    likert_table: pl.DataFrame
    hidden: list[str]  # questions of the wave suppressed (< 5 respondents)
    means: pl.DataFrame  # question means of the waves up to the chosen one
    means_table: pl.DataFrame
    wave_themes: pl.DataFrame  # theme means of the chosen wave
    themes_table: pl.DataFrame  # ... and of the waves before it
    groups: pl.DataFrame
    groups_table: pl.DataFrame
    groups_note: str | None
    other_table: pl.DataFrame | None  # None: no other closed questions
    text_table: pl.DataFrame | None  # None: not asked for (no permission) or no open answers
    unscaled: list[str]


def view(wh, deal: str, year: int, wave: str, group_type: str, as_of: dt.date | None = None, lang: str = "nl",
         with_text: bool = False) -> SurveyView:
    """The page's frames, derived once per data version: a rerun of the page (any click) only draws them.
    `with_text`: the viewer may read the open answers (auth.can_see_personal_data)."""
    return per_version(wh, ("survey_view", deal, year, wave, group_type, as_of, lang, with_text),
                       lambda: _view(wh, deal, year, wave, group_type, as_of, lang, with_text))


def _view(wh, deal: str, year: int, wave: str, group_type: str, as_of: dt.date | None, lang: str,
          with_text: bool) -> SurveyView:
    from dashboard.queries.indicators import indicators

    likert = survey_likert(wh, deal, wave, as_of, lang)
    means = survey_question_means(wh, deal, as_of).filter(pl.col("wave") <= wave)
    themes = survey_theme_means(wh, deal, as_of).filter(pl.col("wave") <= wave)
    groups = survey_group_means(wh, deal, wave, group_type, as_of)
    other = survey_other_questions(wh, deal, as_of).filter(pl.col("wave") <= wave)
    text = survey_text_answers(wh, deal, wave, as_of) if with_text else None
    return SurveyView(
        respondents=indicators(wh, deal, year, as_of).filter(pl.col("indicator") == "survey_respondents"),
        likert=likert,
        likert_table=likert_table(likert, lang),
        hidden=means.filter((pl.col("wave") == wave) & pl.col("suppressed"))["question_code"].to_list(),
        means=means,
        means_table=question_means_table(means, lang),
        wave_themes=themes.filter(pl.col("wave") == wave),
        themes_table=theme_means_table(themes, lang),
        groups=groups,
        groups_table=group_means_table(groups, lang),
        groups_note=suppressed_note(groups, lang),
        other_table=None if other.is_empty() else other_questions_table(other, lang),
        text_table=None if text is None or text.is_empty() else text_answers_table(text, lang),
        unscaled=survey_unscaled(wh, deal, as_of)["question_code"].to_list(),
    )
