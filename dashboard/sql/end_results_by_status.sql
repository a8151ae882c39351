-- grain: one row per part and status of the end results of deal $deal as of $as_of
SELECT e.part, any_value(p.part_name) AS part_name, e.status, count(*) AS end_results
FROM stg_end_results($deal, CAST($as_of AS DATE)) AS e
LEFT JOIN stg_parts($deal, CAST($as_of AS DATE)) AS p USING (part)
GROUP BY e.part, e.status
ORDER BY e.part, e.status;
