-- grain: one row per delivered sheet of deal $deal (all history, newest first), with whether it is current as of $as_of
WITH cur AS (
    SELECT delivery_id FROM stg_deliveries($deal, CAST($as_of AS DATE))
)
SELECT d.delivery_id, d.batch_id, d.sheet, d.file, d.source_sheet, d.rows, d.peildatum, d.loaded_at,
       d.rolled_back_at, d.delivery_id IN (SELECT delivery_id FROM cur) AS is_current,
       (SELECT count(*) FROM meta.warnings AS w WHERE w.delivery_id = d.delivery_id) AS warnings
FROM meta.deliveries AS d
WHERE d.deal = $deal
ORDER BY d.loaded_at DESC, d.delivery_id DESC
LIMIT 5000;
