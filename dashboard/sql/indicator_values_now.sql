-- grain: one row per year and indicator of deal $deal (NULL = every deal) in the newest deliveries; $year NULL = every year
-- The table etl/warehouse.py refreshes at every load from the indicator_values macro (as of NULL): the same rows
-- without planning the macro again. queries/indicators.py falls back to the macro for a file without the table.
SELECT *
FROM indicator_values_now
WHERE (CAST($deal AS VARCHAR) IS NULL OR deal = CAST($deal AS VARCHAR))
  AND (CAST($year AS INTEGER) IS NULL OR year = CAST($year AS INTEGER))
ORDER BY year, sort_order;
