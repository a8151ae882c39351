-- grain: one row per deal, year, funder and cost type
CREATE OR REPLACE MACRO contributions_by_funder(p_deal, p_as_of) AS TABLE
SELECT c.deal, c.year, any_value(c.organisation) AS organisation, c.org_key, c.cost_type, any_value(p.partner_kind) AS partner_kind,
       sum(c.promised) AS promised, sum(c.received) AS received,
       sum(c.promised) - coalesce(sum(c.received), 0) AS outstanding
FROM stg_contributions(p_deal, p_as_of) AS c
LEFT JOIN stg_partners(p_deal, p_as_of) AS p ON p.deal = c.deal AND p.org_key = c.org_key
GROUP BY c.deal, c.year, c.org_key, c.cost_type;
