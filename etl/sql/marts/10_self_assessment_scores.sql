-- grain: one row per deal, wave and theme, with the change since the deal's previous wave
CREATE OR REPLACE MACRO self_assessment_scores(p_deal, p_as_of) AS TABLE
SELECT deal, wave, year, theme, score, note,
       lag(wave) OVER w AS previous_wave,
       lag(score) OVER w AS previous_score,
       score - lag(score) OVER w AS change
FROM stg_self_assessment(p_deal, p_as_of)
WINDOW w AS (PARTITION BY deal, theme ORDER BY wave);
