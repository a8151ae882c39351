-- grain: one row per year and channel (kanaal) of deal $deal as of $as_of
SELECT CAST(year AS INTEGER) AS year, channel, items, CAST(reach AS BIGINT) AS reach
FROM communication_by_channel($deal, CAST($as_of AS DATE))
ORDER BY year, channel;
