-- grain: one row per deal in $deals (NULL = every deal) and Zelfevaluatie theme: its first and latest score, and
-- the latest scores of the OTHER deals in $deals on the same theme (median, mean, how many)
WITH s AS (
    SELECT deal, wave, trim(theme) AS theme, score
    FROM stg_self_assessment(NULL, CAST($as_of AS DATE))
    WHERE CAST($deals AS VARCHAR[]) IS NULL OR list_contains(CAST($deals AS VARCHAR[]), deal)
),
per AS (
    SELECT deal, theme, count(DISTINCT wave) AS waves,
           min(wave) AS first_wave, arg_min(score, wave) AS first_score,
           max(wave) AS latest_wave, arg_max(score, wave) AS latest_score
    FROM s GROUP BY deal, theme
),
others AS (
    SELECT p.deal, p.theme, count(o.deal) AS others,
           median(o.latest_score) AS others_median, avg(o.latest_score) AS others_mean
    FROM per AS p LEFT JOIN per AS o ON o.theme = p.theme AND o.deal <> p.deal
    GROUP BY p.deal, p.theme
)
SELECT p.deal, p.theme, p.waves, p.first_wave, p.first_score, p.latest_wave, p.latest_score,
       CASE WHEN p.waves > 1 THEN p.latest_score - p.first_score END AS change,
       o.others, CAST(o.others_median AS DOUBLE) AS others_median, o.others_mean,
       p.latest_score - o.others_median AS diff_median
FROM per AS p JOIN others AS o USING (deal, theme)
ORDER BY p.deal, p.theme;
