-- grain: one row per delivered sheet of deal $deal (all history, newest first) with its status:
-- huidig (current), vervangen (replaced by a newer one) or teruggedraaid (rolled back)
WITH cur AS (
    SELECT delivery_id FROM stg_deliveries($deal, CAST(NULL AS DATE))
)
SELECT d.delivery_id, d.batch_id, d.sheet, d.file, d.source_sheet, d.rows, d.peildatum, d.loaded_at, d.rolled_back_at,
       CASE WHEN d.rolled_back_at IS NOT NULL THEN 'teruggedraaid'
            WHEN d.delivery_id IN (SELECT delivery_id FROM cur) THEN 'huidig'
            ELSE 'vervangen' END AS status
FROM meta.deliveries AS d
WHERE d.deal = $deal
ORDER BY d.loaded_at DESC, d.delivery_id DESC
LIMIT 5000;
