-- grain: one row per wave and theme of deal $deal as of $as_of, over Likert questions (schaal likert5) only
-- mean_score NULL when fewer than 5 respondents (suppressed); change against the theme's previous wave.
WITH t AS (
    SELECT wave, coalesce(theme, '(zonder thema)') AS theme, count(DISTINCT respondent) AS respondents,
           count(DISTINCT question_code) AS questions, avg(score) AS mean_all
    FROM stg_survey($deal, CAST($as_of AS DATE))
    WHERE scale = 'likert5' AND score BETWEEN 1 AND 5
    GROUP BY wave, coalesce(theme, '(zonder thema)')
),
m AS (
    SELECT *, respondents < 5 AS suppressed, CASE WHEN respondents >= 5 THEN mean_all END AS mean_score FROM t
)
SELECT wave, theme, questions, respondents, suppressed, mean_score,
       lag(wave) OVER w AS previous_wave, lag(mean_score) OVER w AS previous_mean,
       mean_score - lag(mean_score) OVER w AS change
FROM m
WINDOW w AS (PARTITION BY theme ORDER BY wave)
ORDER BY wave, theme;
