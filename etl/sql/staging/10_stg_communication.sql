-- grain: one row per communication item in the current Communicatie delivery
CREATE OR REPLACE MACRO stg_communication(p_deal, p_as_of) AS TABLE
SELECT c.deal, r.delivery_id, r.source_row, r.date AS published_on, year(r.date) AS year, r.channel, r.title,
       r.reach, r.part
FROM raw.communication AS r
JOIN stg_deliveries(p_deal, p_as_of) AS c ON c.delivery_id = r.delivery_id AND c.table_name = 'communication';
