-- grain: one row per deal, year and partner type
-- active: partner on the year's cutoff (31 December, or the reference date in a year in progress):
-- Sinds empty or on/before it, Tot empty or on/after it. joined/left: Sinds/Tot falls in that year.
CREATE OR REPLACE MACRO partners_by_year(p_deal, p_as_of) AS TABLE
SELECT y.deal, y.year, p.partner_kind,
       count(*) FILTER (WHERE y.year_started AND (p.since IS NULL OR p.since <= y.cutoff)
                              AND (p.until IS NULL OR p.until >= y.cutoff)) AS active,
       count(*) FILTER (WHERE p.since_year = y.year) AS joined,
       count(*) FILTER (WHERE p.until_year = y.year) AS "left",
       count(*) FILTER (WHERE y.year_started AND p.funding AND (p.since IS NULL OR p.since <= y.cutoff)
                              AND (p.until IS NULL OR p.until >= y.cutoff)) AS active_funding
FROM stg_deal_years(p_deal, p_as_of) AS y
JOIN stg_partners(p_deal, p_as_of) AS p USING (deal)
GROUP BY y.deal, y.year, p.partner_kind;
