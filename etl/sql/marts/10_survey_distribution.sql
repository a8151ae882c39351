-- grain: one row per deal, wave, question and answer
-- share is of the question's answers in that wave; suppressed when fewer than 5 respondents answered it.
CREATE OR REPLACE MACRO survey_distribution(p_deal, p_as_of) AS TABLE
WITH a AS (
    SELECT deal, wave, question_code, any_value(theme) AS theme, answer, any_value(score) AS score,
           count(*) AS answers
    FROM stg_survey(p_deal, p_as_of)
    GROUP BY deal, wave, question_code, answer
)
SELECT *, answers / sum(answers) OVER q AS share, sum(answers) OVER q < 5 AS suppressed
FROM a
WINDOW q AS (PARTITION BY deal, wave, question_code);
