-- grain: one row per deal, indicator and year (NULL = every year) in the current Doelen delivery
CREATE OR REPLACE MACRO stg_targets(p_deal, p_as_of) AS TABLE
SELECT c.deal, r.delivery_id, r.source_row, r.indicator, r.year, r.minimum, r.maximum
FROM raw.targets AS r JOIN stg_deliveries(p_deal, p_as_of) AS c ON c.delivery_id = r.delivery_id AND c.table_name = 'targets';
