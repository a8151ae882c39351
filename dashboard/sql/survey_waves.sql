-- grain: one row per survey wave (meting) of deal $deal as of $as_of, newest first
SELECT wave, year, respondents, previous_wave, previous_respondents, change
FROM survey_waves($deal, CAST($as_of AS DATE))
ORDER BY wave DESC;
