-- grain: one row per deal, wave, question, group type (organisatiesoort, onderdeel) and group
-- suppressed: the group has fewer than 5 respondents, or it is the next smallest group while the suppressed
-- ones together hold 1 to 4 respondents (else the question's total and the shown groups would give their mean
-- away; the same rule as dashboard/sql/survey_group_means.sql). mean_score is NULL whenever suppressed.
CREATE OR REPLACE MACRO survey_groups(p_deal, p_as_of) AS TABLE
WITH g AS (
    SELECT deal, wave, question_code, theme, 'organisatiesoort' AS group_type, org_kind AS group_value,
           respondent, score
    FROM stg_survey(p_deal, p_as_of)
    UNION ALL
    SELECT deal, wave, question_code, theme, 'onderdeel', part, respondent, score
    FROM stg_survey(p_deal, p_as_of)
),
agg AS (
    SELECT deal, wave, question_code, any_value(theme) AS theme, group_type, group_value,
           count(DISTINCT respondent) AS respondents, avg(score) AS mean_all
    FROM g
    GROUP BY deal, wave, question_code, group_type, group_value
),
ranked AS (
    SELECT *, coalesce(sum(respondents) OVER (PARTITION BY deal, wave, question_code, group_type
                                               ORDER BY respondents, group_value NULLS FIRST
                                               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS smaller
    FROM agg
)
SELECT deal, wave, question_code, theme, group_type, group_value, respondents,
       CASE WHEN NOT (respondents < 5 OR (smaller > 0 AND smaller < 5)) THEN mean_all END AS mean_score,
       respondents < 5 OR (smaller > 0 AND smaller < 5) AS suppressed
FROM ranked;
