-- grain: one delivery ($delivery_id) with its deal, sheet and status (huidig, vervangen, teruggedraaid)
SELECT d.delivery_id, d.deal, d.sheet, d.file, d.rows, d.peildatum, d.loaded_at, d.rolled_back_at,
       CASE WHEN d.rolled_back_at IS NOT NULL THEN 'teruggedraaid'
            WHEN d.delivery_id IN (SELECT delivery_id FROM stg_deliveries(NULL, CAST(NULL AS DATE))) THEN 'huidig'
            ELSE 'vervangen' END AS status
FROM meta.deliveries AS d
WHERE d.delivery_id = $delivery_id;
