-- grain: one row per contract sheet of deal $deal: its current delivery as of $as_of, or 'ontbreekt'
SELECT sheet, file, source_sheet, loaded_at, peildatum, rows, state
FROM freshness($deal, CAST($as_of AS DATE))
ORDER BY sheet_order;
