-- grain: one row per deal, wave and theme (NULL = questions without a theme)
-- mean_score averages Likert answers only (scale likert5, or unknown for questions not in Vragen, such as
-- Forms exports): hours or ja/nee scores would distort a 1-5 mean.
CREATE OR REPLACE MACRO survey_themes(p_deal, p_as_of) AS TABLE
WITH t AS (
    SELECT deal, wave, any_value(year) AS year, theme, count(DISTINCT respondent) AS respondents,
           avg(score) FILTER (WHERE scale = 'likert5' OR scale IS NULL) AS mean_score
    FROM stg_survey(p_deal, p_as_of)
    GROUP BY deal, wave, theme
)
SELECT *, respondents < 5 AS suppressed,
       lag(wave) OVER w AS previous_wave,
       lag(mean_score) OVER w AS previous_mean,
       mean_score - lag(mean_score) OVER w AS change
FROM t
WINDOW w AS (PARTITION BY deal, theme ORDER BY wave);
