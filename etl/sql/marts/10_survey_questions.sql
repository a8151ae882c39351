-- grain: one row per deal, wave and question
-- suppressed: fewer than 5 respondents answered; pages must not show the figures of such a group.
CREATE OR REPLACE MACRO survey_questions(p_deal, p_as_of) AS TABLE
WITH q AS (
    SELECT deal, wave, any_value(year) AS year, question_code, any_value(question_text) AS question_text,
           any_value(theme) AS theme, any_value(scale) AS scale,
           count(DISTINCT respondent) AS respondents, avg(score) AS mean_score
    FROM stg_survey(p_deal, p_as_of)
    GROUP BY deal, wave, question_code
)
SELECT *, respondents < 5 AS suppressed,
       lag(wave) OVER w AS previous_wave,
       lag(mean_score) OVER w AS previous_mean,
       mean_score - lag(mean_score) OVER w AS change,
       lag(respondents) OVER w < 5 AS previous_suppressed
FROM q
WINDOW w AS (PARTITION BY deal, question_code ORDER BY wave);
