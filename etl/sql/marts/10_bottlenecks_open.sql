-- grain: one row per open bottleneck (status open or in behandeling), most severe and oldest first
CREATE OR REPLACE MACRO bottlenecks_open(p_deal, p_as_of) AS TABLE
SELECT deal, reported_on, part, issue, severity, severity_rank, status, action, source_row
FROM stg_bottlenecks(p_deal, p_as_of)
WHERE is_open
ORDER BY deal, severity_rank, reported_on, source_row;
