-- grain: one row per Likert question (schaal likert5) and score 1-5 of deal $deal in wave $wave as of $as_of
-- Questions answered by fewer than 5 respondents are left out (privacy); n is the question's number of answers.
WITH a AS (
    SELECT question_code, any_value(question_text) AS question_text, any_value(theme) AS theme,
           CAST(score AS INTEGER) AS score, count(*) AS respondents
    FROM stg_survey($deal, CAST($as_of AS DATE))
    WHERE wave = $wave AND scale = 'likert5' AND score BETWEEN 1 AND 5
    GROUP BY question_code, CAST(score AS INTEGER)
)
SELECT question_code, question_text, theme, score, respondents, sum(respondents) OVER (PARTITION BY question_code) AS n
FROM a
QUALIFY sum(respondents) OVER (PARTITION BY question_code) >= 5
ORDER BY question_code, score;
