-- grain: one row per deal and partner organisation in the current Partners delivery
-- org_key matches attendance and contribution rows whose spelling differs only in case or spaces.
CREATE OR REPLACE MACRO stg_partners(p_deal, p_as_of) AS TABLE
SELECT c.deal, r.delivery_id, r.source_row, r.organisation, lower(trim(r.organisation)) AS org_key,
       r.kind AS partner_kind, r.since, r.until, year(r.since) AS since_year, year(r.until) AS until_year,
       coalesce(r.funding, false) AS funding
FROM raw.partners AS r JOIN stg_deliveries(p_deal, p_as_of) AS c ON c.delivery_id = r.delivery_id AND c.table_name = 'partners';
