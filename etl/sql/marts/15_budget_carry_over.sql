-- grain: one row per deal, year and cost type (basis, ontwikkeling)
-- budget_chain (10_budget_chain.sql: carried-over development money and surplus) plus
-- is_last_year and unspent: the surplus after the deal's last year (the year of its Einde, else the last budget
-- year) is money left unspent; and provisional: the year is still in progress on the reference date, so its
-- realised amount is spending so far and its surplus (and what it carries into later years) is not final.
CREATE OR REPLACE MACRO budget_carry_over(p_deal, p_as_of) AS TABLE
WITH b AS (
    SELECT * FROM budget_chain(p_deal, p_as_of)
),
last_years AS (
    SELECT b.deal, coalesce(year(d.end_date), max(b.year)) AS last_year
    FROM b LEFT JOIN stg_deal(p_deal, p_as_of) AS d USING (deal)
    GROUP BY b.deal, d.end_date
)
SELECT b.*,
       b.year >= coalesce(l.last_year, b.year) AS is_last_year,
       CASE WHEN b.cost_type = 'ontwikkeling' AND b.year >= coalesce(l.last_year, b.year) THEN b.surplus END AS unspent,
       NOT coalesce(y.year_complete, TRUE) AS provisional
FROM b
LEFT JOIN last_years AS l USING (deal)
LEFT JOIN stg_deal_years(p_deal, p_as_of) AS y ON y.deal = b.deal AND y.year = b.year;
