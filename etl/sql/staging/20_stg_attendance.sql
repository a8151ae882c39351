-- grain: one row per attendance row in the current Aanwezigheid delivery, with its meeting and partner type
-- present: as delivered, else ja. Rows whose meeting is unknown keep NULL meeting columns.
CREATE OR REPLACE MACRO stg_attendance(p_deal, p_as_of) AS TABLE
SELECT c.deal, r.delivery_id, r.source_row, r.meeting AS meeting_id, r.participant, r.organisation,
       lower(trim(r.organisation)) AS org_key, r.role, coalesce(r.present, 'ja') AS present,
       m.meeting_date, m.year, m.meeting_kind, m.part, m.status AS meeting_status, p.partner_kind
FROM raw.attendance AS r
JOIN stg_deliveries(p_deal, p_as_of) AS c ON c.delivery_id = r.delivery_id AND c.table_name = 'attendance'
LEFT JOIN stg_meetings(p_deal, p_as_of) AS m ON m.deal = c.deal AND m.meeting_id = r.meeting
LEFT JOIN stg_partners(p_deal, p_as_of) AS p ON p.deal = c.deal AND p.org_key = lower(trim(r.organisation));
