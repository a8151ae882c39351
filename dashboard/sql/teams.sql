-- grain: one row per development team of deal $deal as of $as_of
-- The same teams as the team_meetings indicator (etl/sql/marts/90_indicator_values.sql): the Onderdelen of soort
-- ontwikkelteam; without that sheet, the parts that held meetings of soort ontwikkelteam.
WITH cur AS (
    SELECT table_name FROM stg_deliveries($deal, CAST($as_of AS DATE))
)
SELECT part, any_value(part_name) AS part_name, any_value(lead) AS lead
FROM (
    SELECT part, part_name, lead FROM stg_parts($deal, CAST($as_of AS DATE)) WHERE part_kind = 'ontwikkelteam'
    UNION ALL
    SELECT part, NULL, NULL FROM stg_meetings($deal, CAST($as_of AS DATE))
    WHERE meeting_kind = 'ontwikkelteam' AND part IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM cur WHERE cur.table_name = 'parts')
)
GROUP BY part
ORDER BY part;
