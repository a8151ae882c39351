-- grain: one row per group (organisatiesoort or onderdeel, $group_type) of deal $deal in wave $wave as of $as_of
-- Mean over the Likert answers (schaal likert5) of the group's respondents. A group under 5 respondents is
-- suppressed (mean NULL). When the suppressed groups together hold 1 to 4 respondents, the next smallest
-- groups are suppressed too, so the total and the shown groups never give away a small group's mean.
WITH r AS (
    SELECT respondent,
           -- without the column filled in a respondent counts in the group "onbekend" (never a NULL group:
           -- it cannot be drawn, and leaving it out would let the total give away the small groups)
           coalesce(any_value(CASE WHEN $group_type = 'onderdeel' THEN part ELSE org_kind END), 'onbekend')
               AS group_value,
           sum(score) AS score_sum, count(score) AS answers
    FROM stg_survey($deal, CAST($as_of AS DATE))
    WHERE wave = $wave AND scale = 'likert5' AND score BETWEEN 1 AND 5
    GROUP BY respondent
),
g AS (
    SELECT group_value, count(*) AS respondents, sum(score_sum) / sum(answers) AS mean_all
    FROM r GROUP BY group_value
),
ranked AS (
    SELECT *, coalesce(sum(respondents) OVER (ORDER BY respondents, group_value NULLS FIRST
                                               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS smaller
    FROM g
)
SELECT group_value, respondents,
       respondents < 5 OR (smaller > 0 AND smaller < 5) AS suppressed,
       CASE WHEN NOT (respondents < 5 OR (smaller > 0 AND smaller < 5)) THEN mean_all END AS mean_score
FROM ranked
ORDER BY suppressed, mean_score DESC, group_value;
