-- grain: one row per deal, year, meeting kind, part, organisation and partner type, over held meetings only
-- afgemeld (excused) counts as absent in attendance_rate but is shown separately; partner_kind NULL =
-- the organisation is not on the Partners sheet.
CREATE OR REPLACE MACRO attendance_summary(p_deal, p_as_of) AS TABLE
SELECT deal, year, meeting_kind, part, any_value(organisation) AS organisation, org_key, partner_kind,
       count(*) AS attendance_rows,
       count(*) FILTER (WHERE present = 'ja') AS present,
       count(*) FILTER (WHERE present = 'nee') AS absent,
       count(*) FILTER (WHERE present = 'afgemeld') AS excused,
       count(*) FILTER (WHERE present = 'ja') / count(*) AS attendance_rate
FROM stg_attendance(p_deal, p_as_of)
WHERE meeting_status = 'gehouden'
GROUP BY deal, year, meeting_kind, part, org_key, partner_kind;
