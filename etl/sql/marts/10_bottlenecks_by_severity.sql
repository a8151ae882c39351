-- grain: one row per deal and severity among open bottlenecks (severity NULL = not given)
CREATE OR REPLACE MACRO bottlenecks_by_severity(p_deal, p_as_of) AS TABLE
SELECT deal, severity, severity_rank,
       count(*) AS open_bottlenecks,
       count(*) FILTER (WHERE status = 'open') AS open_untouched,
       count(*) FILTER (WHERE status = 'in behandeling') AS in_progress
FROM stg_bottlenecks(p_deal, p_as_of)
WHERE is_open
GROUP BY deal, severity, severity_rank;
