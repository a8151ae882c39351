-- grain: one row per deal, year, meeting kind and part (onderdeel; NULL = none)
CREATE OR REPLACE MACRO meetings_summary(p_deal, p_as_of) AS TABLE
SELECT deal, year, meeting_kind, part,
       count(*) FILTER (WHERE status = 'gehouden') AS held,
       count(*) FILTER (WHERE status = 'gepland') AS planned,
       count(*) FILTER (WHERE status = 'geannuleerd') AS cancelled,
       count(*) AS meetings,
       sum(invited) FILTER (WHERE status = 'gehouden') AS invited_held
FROM stg_meetings(p_deal, p_as_of)
GROUP BY deal, year, meeting_kind, part;
