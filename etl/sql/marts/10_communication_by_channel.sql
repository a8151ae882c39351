-- grain: one row per deal, year and channel (kanaal)
CREATE OR REPLACE MACRO communication_by_channel(p_deal, p_as_of) AS TABLE
SELECT deal, year, channel, count(*) AS items, sum(reach) AS reach
FROM stg_communication(p_deal, p_as_of)
GROUP BY deal, year, channel;
