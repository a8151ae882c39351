-- grain: one row per month of year $year and channel (kanaal) of deal $deal as of $as_of
SELECT CAST(date_trunc('month', published_on) AS DATE) AS month, channel, count(*) AS items, CAST(sum(reach) AS BIGINT) AS reach
FROM stg_communication($deal, CAST($as_of AS DATE))
WHERE year = CAST($year AS INTEGER)
GROUP BY ALL
ORDER BY month, channel;
