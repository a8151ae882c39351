-- grain: one row per cost type, post and part of deal $deal in year $year as of $as_of (detail: kernteam, beheer)
SELECT cost_type, post, part, CAST(budgeted AS DOUBLE) AS budgeted, CAST(realised AS DOUBLE) AS realised,
       CAST(realised - budgeted AS DOUBLE) AS difference, note
FROM budget_posts($deal, CAST($as_of AS DATE))
WHERE year = CAST($year AS INTEGER)
ORDER BY cost_type, budgeted DESC, post;
