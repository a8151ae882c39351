-- grain: one row per bottleneck (knelpunt) in the current Knelpunten delivery
-- severity_rank orders hoog before middel before laag; an unknown severity comes last.
CREATE OR REPLACE MACRO stg_bottlenecks(p_deal, p_as_of) AS TABLE
SELECT c.deal, r.delivery_id, r.source_row, r.date AS reported_on, r.part, r.issue, r.severity,
       CASE r.severity WHEN 'hoog' THEN 1 WHEN 'middel' THEN 2 WHEN 'laag' THEN 3 ELSE 4 END AS severity_rank,
       r.status, r.status <> 'opgelost' AS is_open, r.action
FROM raw.bottlenecks AS r JOIN stg_deliveries(p_deal, p_as_of) AS c ON c.delivery_id = r.delivery_id AND c.table_name = 'bottlenecks';
