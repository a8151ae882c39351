-- grain: one row per month of year $year and channel (kanaal) of deal $deal as of $as_of
-- Items dated after the year's cutoff (the reference date in a year in progress) are planned, not yet published:
-- left out, as the newsletters/team_updates/workbook_updates indicators leave them out.
SELECT CAST(date_trunc('month', c.published_on) AS DATE) AS month, c.channel, count(*) AS items,
       CAST(sum(c.reach) AS BIGINT) AS reach
FROM stg_communication($deal, CAST($as_of AS DATE)) AS c
JOIN stg_deal_years($deal, CAST($as_of AS DATE)) AS y ON y.deal = c.deal AND y.year = c.year
WHERE c.year = CAST($year AS INTEGER) AND c.published_on <= y.cutoff
GROUP BY ALL
ORDER BY month, channel;
