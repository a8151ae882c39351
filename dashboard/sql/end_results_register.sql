-- grain: one row per end result of deal $deal as of $as_of, with the milestones linked to it (Mijlpalen.Eindresultaat)
-- Vervallen milestones are left out of the linked count and names: they no longer contribute to the result.
WITH linked AS (
    SELECT end_result,
           count(*) AS milestones,
           count(*) FILTER (WHERE status = 'gereed') AS milestones_done,
           string_agg(milestone, '; ' ORDER BY planned, milestone) AS milestone_names
    FROM stg_milestones($deal, CAST($as_of AS DATE))
    WHERE end_result IS NOT NULL AND status <> 'vervallen'
    GROUP BY end_result
)
SELECT e.end_result, e.part, p.part_name, e.result, e.status,
       CASE WHEN e.status = 'gereed' THEN coalesce(e.progress, 1.0) ELSE e.progress END AS progress,
       coalesce(l.milestones, 0) AS milestones, coalesce(l.milestones_done, 0) AS milestones_done,
       l.milestone_names, e.note
FROM stg_end_results($deal, CAST($as_of AS DATE)) AS e
LEFT JOIN stg_parts($deal, CAST($as_of AS DATE)) AS p USING (part)
LEFT JOIN linked AS l USING (end_result)
ORDER BY e.part, e.end_result;
