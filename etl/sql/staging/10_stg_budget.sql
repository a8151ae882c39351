-- grain: one row per deal, year, cost type, post and part in the current Begroting delivery
-- realised NULL means "not yet known", never zero.
CREATE OR REPLACE MACRO stg_budget(p_deal, p_as_of) AS TABLE
SELECT c.deal, r.delivery_id, r.source_row, r.year, r.cost_type, r.post, r.part,
       CAST(r.budgeted AS DECIMAL(18, 2)) AS budgeted, CAST(r.realised AS DECIMAL(18, 2)) AS realised, r.note
FROM raw.budget AS r JOIN stg_deliveries(p_deal, p_as_of) AS c ON c.delivery_id = r.delivery_id AND c.table_name = 'budget';
