-- grain: one row per severity among the open bottlenecks of deal $deal as of $as_of (hoog first)
SELECT severity, severity_rank, open_bottlenecks, open_untouched, in_progress
FROM bottlenecks_by_severity($deal, CAST($as_of AS DATE))
ORDER BY severity_rank;
