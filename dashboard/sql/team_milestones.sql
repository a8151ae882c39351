-- grain: one row per milestone of the development teams in $parts of deal $deal as of $as_of
-- is_late as in milestone_flags: due by the reference date and not gereed, or gereed after the planned date.
SELECT part, part_name, milestone, planned, done, status, progress, end_result, note,
       coalesce(is_due, false) AS is_due, coalesce(is_late, false) AS is_late, ref_date
FROM milestone_flags($deal, CAST($as_of AS DATE))
WHERE list_contains(CAST($parts AS VARCHAR[]), part)
ORDER BY part, planned, milestone;
