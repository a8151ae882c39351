-- grain: one row per deal and meeting in the current Bijeenkomsten delivery
-- status: as delivered, else gehouden when the date is on or before the delivery's peildatum, else gepland.
CREATE OR REPLACE MACRO stg_meetings(p_deal, p_as_of) AS TABLE
SELECT c.deal, r.delivery_id, r.source_row, r.id AS meeting_id, r.date AS meeting_date, year(r.date) AS year,
       r.kind AS meeting_kind, r.title, r.part, r.form, r.invited,
       coalesce(r.status, CASE WHEN r.date <= c.effective_date THEN 'gehouden' ELSE 'gepland' END) AS status,
       r.status IS NULL AS status_derived
FROM raw.meetings AS r JOIN stg_deliveries(p_deal, p_as_of) AS c ON c.delivery_id = r.delivery_id AND c.table_name = 'meetings';
