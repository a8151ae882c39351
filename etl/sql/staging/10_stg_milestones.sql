-- grain: one row per deal, part and milestone in the current Mijlpalen delivery
CREATE OR REPLACE MACRO stg_milestones(p_deal, p_as_of) AS TABLE
SELECT c.deal, r.delivery_id, r.source_row, r.part, r.milestone, r.planned, year(r.planned) AS planned_year,
       r.done, r.status, r.progress, r.end_result, r.note
FROM raw.milestones AS r JOIN stg_deliveries(p_deal, p_as_of) AS c ON c.delivery_id = r.delivery_id AND c.table_name = 'milestones';
