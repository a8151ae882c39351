-- grain: one row per year of the development money (kostensoort ontwikkeling) of deal $deal as of $as_of
-- available = budgeted + carried_in; surplus = available - realised (negative: overspent), NULL while unknown.
SELECT year, CAST(budgeted AS DOUBLE) AS budgeted, CAST(carried_in AS DOUBLE) AS carried_in,
       CAST(available AS DOUBLE) AS available, CAST(realised AS DOUBLE) AS realised,
       CAST(coalesce(realised_so_far, 0) AS DOUBLE) AS realised_so_far, posts_unknown,
       CAST(surplus AS DOUBLE) AS surplus, overspent, is_last_year, CAST(unspent AS DOUBLE) AS unspent
FROM budget_carry_over($deal, CAST($as_of AS DATE))
WHERE cost_type = 'ontwikkeling'
ORDER BY year;
