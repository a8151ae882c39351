-- grain: one row per deal, year, funder and cost type in the current Bijdragen delivery
CREATE OR REPLACE MACRO stg_contributions(p_deal, p_as_of) AS TABLE
SELECT c.deal, r.delivery_id, r.source_row, r.year, r.organisation, lower(trim(r.organisation)) AS org_key,
       r.cost_type, CAST(r.promised AS DECIMAL(18, 2)) AS promised, CAST(r.received AS DECIMAL(18, 2)) AS received
FROM raw.contributions AS r
JOIN stg_deliveries(p_deal, p_as_of) AS c ON c.delivery_id = r.delivery_id AND c.table_name = 'contributions';
