-- grain: one row per development team in $parts of deal $deal as of $as_of: milestones, meetings in year $year,
-- end results. held counts every held meeting of the team's part in $year, whatever its soort (the team_meetings
-- indicator's rule in etl/sql/marts/90_indicator_values.sql).
WITH teams AS (
    SELECT t.part, p.part_name
    FROM unnest(CAST($parts AS VARCHAR[])) AS t(part)
    LEFT JOIN stg_parts($deal, CAST($as_of AS DATE)) AS p USING (part)
),
meet AS (
    SELECT part,
           count(*) FILTER (WHERE status = 'gehouden') AS held,
           count(*) FILTER (WHERE status = 'gepland') AS planned
    FROM stg_meetings($deal, CAST($as_of AS DATE))
    WHERE year = CAST($year AS INTEGER)
    GROUP BY part
)
SELECT t.part, t.part_name,
       coalesce(ms.milestones, 0) AS milestones, coalesce(ms.due, 0) AS due,
       coalesce(ms.done, 0) AS done, coalesce(ms.late, 0) AS late,
       coalesce(meet.held, 0) AS held, coalesce(meet.planned, 0) AS planned,
       coalesce(er.end_results, 0) AS end_results, coalesce(er.ready, 0) AS end_results_ready,
       er.mean_progress AS progress
FROM teams AS t
LEFT JOIN milestones_by_part($deal, CAST($as_of AS DATE)) AS ms USING (part)
LEFT JOIN meet USING (part)
LEFT JOIN end_results_by_part($deal, CAST($as_of AS DATE)) AS er USING (part)
ORDER BY t.part;
