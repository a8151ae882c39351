-- grain: one row per year (begun by the reference date) and partner type of deal $deal as of $as_of
SELECT CAST(p.year AS INTEGER) AS year, p.partner_kind, p.active, p.joined, p."left"
FROM partners_by_year($deal, CAST($as_of AS DATE)) AS p
JOIN stg_deal_years($deal, CAST($as_of AS DATE)) AS y USING (deal, year)
WHERE y.year_started
ORDER BY p.year, p.active DESC, p.partner_kind;
