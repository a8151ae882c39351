-- grain: one row per deal and part: end results by status, the share gereed (vervallen left out) and mean progress
CREATE OR REPLACE MACRO end_results_by_part(p_deal, p_as_of) AS TABLE
SELECT e.deal, e.part, any_value(p.part_name) AS part_name,
       count(*) AS end_results,
       count(*) FILTER (WHERE e.status = 'niet gestart') AS not_started,
       count(*) FILTER (WHERE e.status = 'loopt') AS running,
       count(*) FILTER (WHERE e.status = 'gereed') AS ready,
       count(*) FILTER (WHERE e.status = 'vertraagd') AS delayed,
       count(*) FILTER (WHERE e.status = 'vervallen') AS dropped,
       CASE WHEN count(*) FILTER (WHERE e.status <> 'vervallen') > 0
            THEN count(*) FILTER (WHERE e.status = 'gereed') / count(*) FILTER (WHERE e.status <> 'vervallen')
       END AS ready_share,
       avg(CASE WHEN e.status = 'gereed' THEN 1.0 ELSE e.progress END) AS mean_progress
FROM stg_end_results(p_deal, p_as_of) AS e
LEFT JOIN stg_parts(p_deal, p_as_of) AS p ON p.deal = e.deal AND p.part = e.part
GROUP BY e.deal, e.part;
