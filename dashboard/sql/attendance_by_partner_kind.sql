-- grain: one row per partner type of deal $deal in year $year as of $as_of, over held meetings
-- partner_kind NULL = organisations not on the Partners sheet; types with fewer than $min_rows rows are left out.
SELECT partner_kind, count(DISTINCT org_key) AS organisations,
       CAST(sum(attendance_rows) AS INTEGER) AS invitations, CAST(sum(present) AS INTEGER) AS present,
       CAST(sum(excused) AS INTEGER) AS excused, CAST(sum(absent) AS INTEGER) AS absent,
       sum(present) / sum(attendance_rows) AS rate
FROM attendance_summary($deal, CAST($as_of AS DATE))
WHERE year = CAST($year AS INTEGER)
GROUP BY partner_kind
HAVING sum(attendance_rows) >= CAST($min_rows AS INTEGER)
ORDER BY rate, partner_kind;
