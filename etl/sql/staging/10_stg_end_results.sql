-- grain: one row per deal and end result in the current Eindresultaten delivery
CREATE OR REPLACE MACRO stg_end_results(p_deal, p_as_of) AS TABLE
SELECT c.deal, r.delivery_id, r.source_row, r.id AS end_result, r.part, r.result, r.status, r.progress, r.note
FROM raw.end_results AS r JOIN stg_deliveries(p_deal, p_as_of) AS c ON c.delivery_id = r.delivery_id AND c.table_name = 'end_results';
