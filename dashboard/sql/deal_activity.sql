-- grain: one row per deal: how many sheet deliveries it has (the busiest deal is the default choice)
SELECT deal, count(*) AS deliveries, max(loaded_at) AS last_loaded
FROM meta.deliveries
WHERE rolled_back_at IS NULL
GROUP BY deal
ORDER BY deliveries DESC, last_loaded DESC, deal;
