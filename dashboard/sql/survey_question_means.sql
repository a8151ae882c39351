-- grain: one row per wave and Likert question (schaal likert5) of deal $deal as of $as_of
-- mean_score is NULL when fewer than 5 respondents answered (suppressed); change compares with the
-- question's previous wave and is NULL when either wave is suppressed. Getal and janee questions are left out.
WITH q AS (
    SELECT wave, question_code, any_value(question_text) AS question_text, any_value(theme) AS theme,
           count(DISTINCT respondent) AS respondents, avg(score) AS mean_all
    FROM stg_survey($deal, CAST($as_of AS DATE))
    WHERE scale = 'likert5' AND score BETWEEN 1 AND 5
    GROUP BY wave, question_code
),
m AS (
    SELECT *, respondents < 5 AS suppressed, CASE WHEN respondents >= 5 THEN mean_all END AS mean_score
    FROM q
)
SELECT wave, question_code, question_text, theme, respondents, suppressed, mean_score,
       lag(wave) OVER w AS previous_wave, lag(mean_score) OVER w AS previous_mean,
       mean_score - lag(mean_score) OVER w AS change
FROM m
WINDOW w AS (PARTITION BY question_code ORDER BY wave)
ORDER BY wave, question_code;
