-- grain: one row per municipality (partner of soort gemeente) of deal $deal active on the cutoff of year $year
SELECT p.organisation, p.since, p.until
FROM stg_partners($deal, CAST($as_of AS DATE)) AS p
JOIN stg_deal_years($deal, CAST($as_of AS DATE)) AS y USING (deal)
WHERE y.year = CAST($year AS INTEGER) AND p.partner_kind = 'gemeente'
  AND (p.since IS NULL OR p.since <= y.cutoff) AND (p.until IS NULL OR p.until >= y.cutoff)
ORDER BY p.organisation;
