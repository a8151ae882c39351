-- grain: one row per meeting of deal $deal in year $year as of $as_of (a year has at most a few hundred)
SELECT meeting_date, meeting_kind, title, part, form, status
FROM stg_meetings($deal, CAST($as_of AS DATE))
WHERE year = CAST($year AS INTEGER)
ORDER BY meeting_date, meeting_kind;
