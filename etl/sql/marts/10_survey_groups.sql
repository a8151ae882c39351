-- grain: one row per deal, wave, question, group type (organisatiesoort, onderdeel) and group
-- suppressed: the group has fewer than 5 respondents; pages must not show its figures.
CREATE OR REPLACE MACRO survey_groups(p_deal, p_as_of) AS TABLE
WITH g AS (
    SELECT deal, wave, question_code, theme, 'organisatiesoort' AS group_type, org_kind AS group_value,
           respondent, score
    FROM stg_survey(p_deal, p_as_of)
    UNION ALL
    SELECT deal, wave, question_code, theme, 'onderdeel', part, respondent, score
    FROM stg_survey(p_deal, p_as_of)
)
SELECT deal, wave, question_code, any_value(theme) AS theme, group_type, group_value,
       count(DISTINCT respondent) AS respondents, avg(score) AS mean_score,
       count(DISTINCT respondent) < 5 AS suppressed
FROM g
GROUP BY deal, wave, question_code, group_type, group_value;
