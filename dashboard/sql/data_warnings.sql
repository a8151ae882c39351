-- grain: one row per data-quality warning of a current delivery of deal $deal as of $as_of
SELECT d.file, coalesce(w.sheet, d.sheet) AS sheet, w.row, w."column", w.message, d.loaded_at
FROM meta.warnings AS w
JOIN stg_deliveries($deal, CAST($as_of AS DATE)) AS d USING (delivery_id)
ORDER BY d.sheet, w.row NULLS FIRST
LIMIT 5000;
