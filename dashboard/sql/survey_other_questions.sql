-- grain: one row per wave and non-Likert closed question (schaal getal or janee) of deal $deal as of $as_of
-- getal: the mean number; janee: the share of ja. NULL when fewer than 5 respondents answered (suppressed).
SELECT wave, question_code, any_value(question_text) AS question_text, any_value(scale) AS scale,
       count(DISTINCT respondent) AS respondents, count(DISTINCT respondent) < 5 AS suppressed,
       CASE WHEN count(DISTINCT respondent) >= 5 THEN avg(score) END AS value
FROM stg_survey($deal, CAST($as_of AS DATE))
WHERE scale IN ('getal', 'janee') AND score IS NOT NULL
GROUP BY wave, question_code
ORDER BY question_code, wave;
