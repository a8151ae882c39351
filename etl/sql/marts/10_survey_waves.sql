-- grain: one row per deal and survey wave (meting)
CREATE OR REPLACE MACRO survey_waves(p_deal, p_as_of) AS TABLE
WITH w AS (
    SELECT deal, wave, any_value(year) AS year, count(DISTINCT respondent) AS respondents
    FROM stg_survey(p_deal, p_as_of) GROUP BY deal, wave
)
SELECT deal, wave, year, respondents,
       lag(wave) OVER (PARTITION BY deal ORDER BY wave) AS previous_wave,
       lag(respondents) OVER (PARTITION BY deal ORDER BY wave) AS previous_respondents,
       respondents - lag(respondents) OVER (PARTITION BY deal ORDER BY wave) AS change,
       row_number() OVER (PARTITION BY deal, year ORDER BY wave DESC) = 1 AS newest_of_year
FROM w;
