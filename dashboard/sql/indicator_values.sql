-- grain: one row per year and indicator of deal $deal as of $as_of (NULL = newest); $year NULL = every year
SELECT *
FROM indicator_values($deal, CAST($as_of AS DATE))
WHERE CAST($year AS INTEGER) IS NULL OR year = CAST($year AS INTEGER)
ORDER BY year, sort_order;
