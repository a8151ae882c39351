-- grain: one row per contract sheet of deal $deal with a current delivery as of $as_of (the "Bron" of a figure)
SELECT sheet, file, source_sheet, loaded_at, peildatum
FROM stg_deliveries($deal, CAST($as_of AS DATE))
ORDER BY sheet;
