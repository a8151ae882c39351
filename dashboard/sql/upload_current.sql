-- grain: one row per sheet of deal $deal: its current delivery (the newest not rolled back), for "what would change"
SELECT sheet, delivery_id, file, sha256, rows, peildatum, loaded_at
FROM stg_deliveries($deal, CAST(NULL AS DATE))
ORDER BY sheet;
