-- grain: one row per funder of deal $deal in year $year as of $as_of (basis and ontwikkeling together)
-- received NULL = nothing registered as received yet (counted as 0 in outstanding).
SELECT any_value(organisation) AS organisation, any_value(partner_kind) AS partner_kind,
       CAST(sum(promised) AS DOUBLE) AS promised, CAST(coalesce(sum(received), 0) AS DOUBLE) AS received,
       CAST(sum(outstanding) AS DOUBLE) AS outstanding
FROM contributions_by_funder($deal, CAST($as_of AS DATE))
WHERE year = CAST($year AS INTEGER)
GROUP BY org_key
ORDER BY outstanding DESC, promised DESC, organisation;
