-- grain: one row per deal, wave and theme in the current Zelfevaluatie delivery
CREATE OR REPLACE MACRO stg_self_assessment(p_deal, p_as_of) AS TABLE
SELECT c.deal, r.delivery_id, r.source_row, r.wave, CAST(left(r.wave, 4) AS INTEGER) AS year, r.theme, r.score, r.note
FROM raw.self_assessment AS r
JOIN stg_deliveries(p_deal, p_as_of) AS c ON c.delivery_id = r.delivery_id AND c.table_name = 'self_assessment';
