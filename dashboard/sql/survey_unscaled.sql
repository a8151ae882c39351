-- grain: one row per question of deal $deal as of $as_of that has no known scale (not on the Vragen sheet)
SELECT question_code, count(*) AS answers
FROM stg_survey($deal, CAST($as_of AS DATE))
WHERE scale IS NULL
GROUP BY question_code
ORDER BY question_code;
