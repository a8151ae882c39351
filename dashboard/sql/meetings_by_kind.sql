-- grain: one row per year and meeting kind of deal $deal as of $as_of: held, planned and cancelled meetings
SELECT year, meeting_kind, CAST(sum(held) AS INTEGER) AS held, CAST(sum(planned) AS INTEGER) AS planned,
       CAST(sum(cancelled) AS INTEGER) AS cancelled, CAST(sum(meetings) AS INTEGER) AS meetings
FROM meetings_summary($deal, CAST($as_of AS DATE))
GROUP BY year, meeting_kind
ORDER BY year, meeting_kind;
