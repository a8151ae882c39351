-- grain: one row per organisation of deal $deal in year $year as of $as_of, over held meetings
-- Only organisations with at least $min_rows attendance rows: with fewer, a rate says something about a person.
SELECT any_value(organisation) AS organisation, any_value(partner_kind) AS partner_kind,
       CAST(sum(attendance_rows) AS INTEGER) AS invitations, CAST(sum(present) AS INTEGER) AS present,
       CAST(sum(excused) AS INTEGER) AS excused, CAST(sum(absent) AS INTEGER) AS absent,
       sum(present) / sum(attendance_rows) AS rate
FROM attendance_summary($deal, CAST($as_of AS DATE))
WHERE year = CAST($year AS INTEGER)
GROUP BY org_key
HAVING sum(attendance_rows) >= CAST($min_rows AS INTEGER)
ORDER BY rate, invitations DESC, organisation;
