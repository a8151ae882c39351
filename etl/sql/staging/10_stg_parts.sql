-- grain: one row per deal and part (onderdeel) in the current Onderdelen delivery
CREATE OR REPLACE MACRO stg_parts(p_deal, p_as_of) AS TABLE
SELECT c.deal, r.delivery_id, r.source_row, r.code AS part, r.name AS part_name, r.kind AS part_kind, r.lead
FROM raw.parts AS r JOIN stg_deliveries(p_deal, p_as_of) AS c ON c.delivery_id = r.delivery_id AND c.table_name = 'parts';
