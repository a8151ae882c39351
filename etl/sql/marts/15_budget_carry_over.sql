-- grain: one row per deal, year and cost type (basis, ontwikkeling)
-- budget_chain (10_budget_chain.sql: carried-over development money, surplus, unspent) plus provisional: the
-- year is still in progress on the reference date, so its realised amount is spending so far and its surplus
-- (and what it carries into later years) is not final.
CREATE OR REPLACE MACRO budget_carry_over(p_deal, p_as_of) AS TABLE
SELECT b.*, NOT coalesce(y.year_complete, TRUE) AS provisional
FROM budget_chain(p_deal, p_as_of) AS b
LEFT JOIN stg_deal_years(p_deal, p_as_of) AS y ON y.deal = b.deal AND y.year = b.year;
