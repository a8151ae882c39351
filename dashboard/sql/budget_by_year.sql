-- grain: one row per year and cost type of deal $deal as of $as_of: budgeted and realised (so far)
-- realised is NULL while a post of that year has no Gerealiseerd; realised_so_far sums the posts that have one.
SELECT year, cost_type, CAST(budgeted AS DOUBLE) AS budgeted, CAST(realised AS DOUBLE) AS realised,
       CAST(coalesce(realised_so_far, 0) AS DOUBLE) AS realised_so_far, posts_unknown
FROM budget_carry_over($deal, CAST($as_of AS DATE))
ORDER BY year, cost_type;
