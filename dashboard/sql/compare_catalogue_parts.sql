-- grain: one row per deal and part that has end results as of $as_of (the choices of the catalogue's part filter)
SELECT DISTINCT e.deal, e.part, p.part_name, e.deal || '/' || e.part AS part_key
FROM stg_end_results(NULL, CAST($as_of AS DATE)) AS e
LEFT JOIN stg_parts(NULL, CAST($as_of AS DATE)) AS p ON p.deal = e.deal AND p.part = e.part
ORDER BY e.deal, e.part;
