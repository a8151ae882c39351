-- grain: one row per deal and contract sheet with a current delivery as of $as_of (the source captions of the
-- cross-deal pages): file, sheet in the file, when it was loaded and the date it describes
SELECT deal, sheet, file, source_sheet, loaded_at, peildatum
FROM stg_deliveries(NULL, CAST($as_of AS DATE))
WHERE $sheet IS NULL OR sheet = $sheet
ORDER BY sheet, deal;
