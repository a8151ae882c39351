-- grain: one row per year and channel (kanaal) of deal $deal as of $as_of
-- Only items published by the year's cutoff count (see communication_by_month.sql).
SELECT CAST(c.year AS INTEGER) AS year, c.channel, count(*) AS items, CAST(sum(c.reach) AS BIGINT) AS reach
FROM stg_communication($deal, CAST($as_of AS DATE)) AS c
JOIN stg_deal_years($deal, CAST($as_of AS DATE)) AS y ON y.deal = c.deal AND y.year = c.year
WHERE c.published_on <= y.cutoff
GROUP BY ALL
ORDER BY year, channel;
