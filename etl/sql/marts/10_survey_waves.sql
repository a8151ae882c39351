-- grain: one row per deal and survey wave (meting)
CREATE OR REPLACE MACRO survey_waves(p_deal, p_as_of) AS TABLE
-- straight from raw.survey and the current deliveries, not through stg_survey: respondents per wave need no
-- question matching, and stg_survey's join with the Vragen sheet is most of what DuckDB plans for it (this macro
-- is part of the indicator macro, planned on every load and every cold page)
WITH w AS (
    SELECT c.deal, r.wave, any_value(CAST(left(r.wave, 4) AS INTEGER)) AS year,
           count(DISTINCT r.respondent) AS respondents
    FROM raw.survey AS r
    JOIN stg_deliveries(p_deal, p_as_of) AS c ON c.delivery_id = r.delivery_id AND c.table_name = 'survey'
    GROUP BY c.deal, r.wave
)
SELECT deal, wave, year, respondents,
       lag(wave) OVER (PARTITION BY deal ORDER BY wave) AS previous_wave,
       lag(respondents) OVER (PARTITION BY deal ORDER BY wave) AS previous_respondents,
       respondents - lag(respondents) OVER (PARTITION BY deal ORDER BY wave) AS change,
       row_number() OVER (PARTITION BY deal, year ORDER BY wave DESC) = 1 AS newest_of_year
FROM w;
