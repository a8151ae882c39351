-- grain: one row per open bottleneck (open or in behandeling) of deal $deal as of $as_of, most severe and oldest first
SELECT reported_on, part, issue, severity, severity_rank, status, action
FROM bottlenecks_open($deal, CAST($as_of AS DATE))
ORDER BY severity_rank, reported_on, source_row;
