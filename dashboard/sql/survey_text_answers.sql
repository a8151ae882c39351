-- grain: one row per free-text answer (schaal tekst) of deal $deal in wave $wave as of $as_of
-- Only the question and the answer: no respondent, organisation type or onderdeel, and only for questions
-- with at least 5 answers; sorted by answer text so the order does not follow the respondents.
SELECT question_code, any_value(question_text) OVER (PARTITION BY question_code) AS question_text, answer
FROM stg_survey($deal, CAST($as_of AS DATE))
WHERE wave = $wave AND scale = 'tekst' AND trim(answer) <> ''
QUALIFY count(*) OVER (PARTITION BY question_code) >= 5
ORDER BY question_code, answer;
