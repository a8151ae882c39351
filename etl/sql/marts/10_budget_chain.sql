-- grain: one row per deal, year and cost type (basis, ontwikkeling): the carry-over chain of budget_carry_over (15_)
-- Development money carries over: available(Y) = budgeted(Y) + surplus(Y-1);
-- surplus(Y) = available(Y) - realised(Y), negative when overspent. Basis money does not carry over.
-- realised(Y) is known only when every post of that year has Gerealiseerd filled in (realised_so_far sums
-- the posts that are). While a year's realised is unknown its surplus is NULL, and so are carried_in,
-- available and surplus of every later development year: the chain is unknown from there on.
-- The indicator macro reads this rather than budget_carry_over, which adds the deal's last year (stg_deal) and
-- provisional (stg_deal_years): every macro a query names is bound and optimised again for each use, and those two
-- cost ~15 ms of DuckDB planning per call that the indicators do not need.
CREATE OR REPLACE MACRO budget_chain(p_deal, p_as_of) AS TABLE
WITH per_year AS (
    SELECT deal, year, cost_type, sum(budgeted) AS budgeted,
           CASE WHEN count(realised) = count(*) THEN sum(realised) END AS realised,
           sum(realised) AS realised_so_far,
           count(*) - count(realised) AS posts_unknown
    FROM stg_budget(p_deal, p_as_of)
    GROUP BY deal, year, cost_type
),
chain AS (
    SELECT *,
           coalesce(sum(budgeted) OVER earlier, 0) AS budgeted_before,
           coalesce(sum(realised) OVER earlier, 0) AS realised_before,
           coalesce(sum(CASE WHEN realised IS NULL THEN 1 ELSE 0 END) OVER earlier, 0) AS unknown_before
    FROM per_year
    WINDOW earlier AS (PARTITION BY deal, cost_type ORDER BY year ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
),
carried AS (
    SELECT *,
           CASE WHEN cost_type <> 'ontwikkeling' THEN CAST(0 AS DECIMAL(18, 2))
                WHEN unknown_before = 0 THEN budgeted_before - realised_before END AS carried_in
    FROM chain
)
SELECT deal, year, cost_type, budgeted, realised, realised_so_far, posts_unknown, carried_in,
       budgeted + carried_in AS available,
       budgeted + carried_in - realised AS surplus,
       budgeted + carried_in - realised < 0 AS overspent
FROM carried;
