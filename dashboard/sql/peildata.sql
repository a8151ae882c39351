-- grain: one row per distinct date the deliveries of deal $deal describe (peildatum, else load date), newest first
SELECT DISTINCT coalesce(peildatum, CAST(loaded_at AS DATE)) AS peildatum
FROM meta.deliveries
WHERE deal = $deal AND rolled_back_at IS NULL
ORDER BY peildatum DESC
LIMIT 500;
