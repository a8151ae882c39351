-- grain: one row per deal, year and indicator (every code of etl/catalogue.py; a test keeps the lists equal)
-- value NULL means "no data": the source sheet was never delivered, the year has not begun, or there is
-- nothing to divide by. A delivered sheet with no matching rows gives a real 0.
-- Targets and status are applied in dashboard/queries/indicators.py (defaults live in the catalogue);
-- override_min/override_max come from the deal's Doelen sheet (a row for the year beats a row without year).
CREATE OR REPLACE MACRO indicator_values(p_deal, p_as_of) AS TABLE
WITH yrs AS (
    SELECT * FROM stg_deal_years(p_deal, p_as_of)
),
cur AS (
    SELECT * FROM stg_deliveries(p_deal, p_as_of)
),
spec(indicator, source_table, source_sheet, sort_order) AS (
    VALUES ('kernteam_meetings', 'meetings', 'Bijeenkomsten', 1),
           ('directors_meetings', 'meetings', 'Bijeenkomsten', 2),
           ('work_sessions', 'meetings', 'Bijeenkomsten', 3),
           ('atelier_days', 'meetings', 'Bijeenkomsten', 4),
           ('team_meetings', 'meetings', 'Bijeenkomsten', 5),
           ('lead_meetings', 'meetings', 'Bijeenkomsten', 6),
           ('newsletters', 'communication', 'Communicatie', 7),
           ('team_updates', 'communication', 'Communicatie', 8),
           ('workbook_updates', 'communication', 'Communicatie', 9),
           ('survey_respondents', 'survey', 'Enquete', 10),
           ('dev_budget_spent', 'budget', 'Begroting', 11),
           ('dev_budget_surplus', 'budget', 'Begroting', 12),
           ('milestones_on_time', 'milestones', 'Mijlpalen', 13),
           ('end_results_ready', 'end_results', 'Eindresultaten', 14),
           ('partners', 'partners', 'Partners', 15),
           ('municipalities', 'partners', 'Partners', 16),
           ('contacts', 'contacts', 'Contacten', 17),
           ('attendance_rate', 'attendance', 'Aanwezigheid', 18)
),
kinds(indicator, meeting_kind) AS (
    VALUES ('kernteam_meetings', 'kernteam'), ('directors_meetings', 'directeurenoverleg'),
           ('work_sessions', 'werksessie'), ('atelier_days', 'atelierdag'), ('lead_meetings', 'kartrekkersoverleg')
),
channels(indicator, channel) AS (
    VALUES ('newsletters', 'nieuwsbrief'), ('newsletters', 'teamupdate'), ('team_updates', 'teamupdate'),
           ('workbook_updates', 'werkboek')
),
meetings AS (  -- read twice below: planned once
    SELECT * FROM stg_meetings(p_deal, p_as_of)
),
held AS (
    SELECT deal, year, meeting_kind, part, count(*) AS held
    FROM meetings WHERE status = 'gehouden'
    GROUP BY deal, year, meeting_kind, part
),
v_meetings AS (
    SELECT y.deal, y.year, k.indicator, CAST(coalesce(sum(h.held), 0) AS DOUBLE) AS value
    FROM yrs AS y CROSS JOIN kinds AS k
    LEFT JOIN held AS h ON h.deal = y.deal AND h.year = y.year AND h.meeting_kind = k.meeting_kind
    GROUP BY y.deal, y.year, k.indicator
),
-- development teams: the Onderdelen of soort ontwikkelteam; without that sheet, the parts that held
-- meetings of soort ontwikkelteam
teams AS (
    SELECT deal, part FROM stg_parts(p_deal, p_as_of) WHERE part_kind = 'ontwikkelteam'
    UNION
    SELECT m.deal, m.part FROM meetings AS m
    WHERE m.meeting_kind = 'ontwikkelteam' AND m.part IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM cur WHERE cur.deal = m.deal AND cur.table_name = 'parts')
),
team_counts AS (
    SELECT y.deal, y.year, t.part, coalesce(sum(h.held), 0) AS held
    FROM yrs AS y JOIN teams AS t USING (deal)
    LEFT JOIN held AS h ON h.deal = y.deal AND h.year = y.year AND h.part = t.part
    GROUP BY y.deal, y.year, t.part
),
v_team AS (
    SELECT deal, year, 'team_meetings' AS indicator, CAST(min(held) AS DOUBLE) AS value
    FROM team_counts GROUP BY deal, year
),
comm AS (
    SELECT c.deal, c.year, c.channel, count(*) AS items
    FROM stg_communication(p_deal, p_as_of) AS c
    JOIN yrs AS y ON y.deal = c.deal AND y.year = c.year AND c.published_on <= y.cutoff
    GROUP BY c.deal, c.year, c.channel
),
v_comm AS (
    SELECT y.deal, y.year, ch.indicator, CAST(coalesce(sum(c.items), 0) AS DOUBLE) AS value
    FROM yrs AS y CROSS JOIN channels AS ch
    LEFT JOIN comm AS c ON c.deal = y.deal AND c.year = y.year AND c.channel = ch.channel
    GROUP BY y.deal, y.year, ch.indicator
),
-- the newest wave of the year; its reference is the wave before it (any year)
v_survey AS (
    SELECT deal, year, 'survey_respondents' AS indicator, CAST(respondents AS DOUBLE) AS value,
           CAST(previous_respondents AS DOUBLE) AS reference_value
    FROM survey_waves(p_deal, p_as_of) WHERE newest_of_year
),
dev AS (
    SELECT * FROM budget_chain(p_deal, p_as_of) WHERE cost_type = 'ontwikkeling'  -- the chain only (10_budget_chain.sql)
),
v_budget AS (
    SELECT deal, year, 'dev_budget_spent' AS indicator,
           CASE WHEN available > 0 THEN CAST(realised AS DOUBLE) / CAST(available AS DOUBLE) END AS value
    FROM dev
    UNION ALL
    SELECT deal, year, 'dev_budget_surplus', CAST(surplus AS DOUBLE) FROM dev
),
-- cumulative: every milestone planned on or before the year's cutoff counts for that year
v_milestones AS (
    SELECT y.deal, y.year, 'milestones_on_time' AS indicator,
           CASE WHEN count(m.milestone) > 0 THEN
                count(*) FILTER (WHERE m.status = 'gereed' AND (m.done IS NULL OR m.done <= m.planned))
                / count(m.milestone) END AS value
    FROM yrs AS y
    LEFT JOIN stg_milestones(p_deal, p_as_of) AS m
        ON m.deal = y.deal AND m.planned <= y.cutoff AND m.status <> 'vervallen'
    GROUP BY y.deal, y.year
),
v_end_results AS (
    SELECT y.deal, y.year, 'end_results_ready' AS indicator,
           CASE WHEN count(e.end_result) > 0 THEN count(*) FILTER (WHERE e.status = 'gereed') / count(e.end_result) END
               AS value,
           -- share delayed: the interim judgement before the deal's final year (docs/INDICATOREN.md)
           CASE WHEN count(e.end_result) > 0 THEN count(*) FILTER (WHERE e.status = 'vertraagd') / count(e.end_result) END
               AS reference_value
    FROM yrs AS y
    LEFT JOIN stg_end_results(p_deal, p_as_of) AS e ON e.deal = y.deal AND e.status <> 'vervallen'
    GROUP BY y.deal, y.year
),
v_partners AS (
    SELECT y.deal, y.year, 'partners' AS indicator,
           CAST(count(p.organisation) AS DOUBLE) AS value,
           CAST(count(p.organisation) FILTER (WHERE p.partner_kind = 'gemeente') AS DOUBLE) AS municipalities
    FROM yrs AS y
    LEFT JOIN stg_partners(p_deal, p_as_of) AS p
        ON p.deal = y.deal AND (p.since IS NULL OR p.since <= y.cutoff) AND (p.until IS NULL OR p.until >= y.cutoff)
    GROUP BY y.deal, y.year
),
-- contacts per year: the Contacten delivery that was current on the year's cutoff (the newest one for
-- the year in progress), so "462 at the end of 2021" stays 462 for 2021 after a newer export
contact_delivery AS (
    SELECT y.deal, y.year, d.delivery_id
    FROM yrs AS y
    JOIN meta.deliveries AS d
        ON d.deal = y.deal AND d.table_name = 'contacts' AND d.rolled_back_at IS NULL
       AND coalesce(d.peildatum, CAST(d.loaded_at AS DATE)) <= y.cutoff
       AND (p_as_of IS NULL OR coalesce(d.peildatum, CAST(d.loaded_at AS DATE)) <= CAST(p_as_of AS DATE))
    QUALIFY row_number() OVER (PARTITION BY y.deal, y.year ORDER BY d.loaded_at DESC, d.delivery_id DESC) = 1
),
v_contacts AS (
    SELECT cd.deal, cd.year, 'contacts' AS indicator, CAST(count(DISTINCT r.email) AS DOUBLE) AS value
    FROM contact_delivery AS cd JOIN raw.contacts AS r ON r.delivery_id = cd.delivery_id
    GROUP BY cd.deal, cd.year
),
v_attendance AS (
    SELECT deal, year, 'attendance_rate' AS indicator, count(*) FILTER (WHERE present = 'ja') / count(*) AS value
    FROM stg_attendance(p_deal, p_as_of)
    WHERE meeting_status = 'gehouden'
    GROUP BY deal, year
),
vals AS (
    SELECT deal, year, indicator, value, NULL::DOUBLE AS reference_value FROM v_meetings
    UNION ALL SELECT deal, year, indicator, value, NULL FROM v_team
    UNION ALL SELECT deal, year, indicator, value, NULL FROM v_comm
    UNION ALL SELECT deal, year, indicator, value, reference_value FROM v_survey
    UNION ALL SELECT deal, year, indicator, value, NULL FROM v_budget
    UNION ALL SELECT deal, year, indicator, value, NULL FROM v_milestones
    UNION ALL SELECT deal, year, indicator, value, reference_value FROM v_end_results
    UNION ALL SELECT deal, year, indicator, value, NULL FROM v_partners
    UNION ALL SELECT deal, year, 'municipalities', municipalities, NULL FROM v_partners
    UNION ALL SELECT deal, year, indicator, value, NULL FROM v_contacts
    UNION ALL SELECT deal, year, indicator, value, NULL FROM v_attendance
),
targets AS (
    SELECT deal, y.year, t.indicator, t.minimum, t.maximum
    FROM stg_targets(p_deal, p_as_of) AS t JOIN yrs AS y USING (deal)
    WHERE t.year IS NULL OR t.year = y.year
    QUALIFY row_number() OVER (PARTITION BY deal, y.year, t.indicator ORDER BY t.year NULLS LAST, t.source_row DESC) = 1
)
SELECT y.deal, y.year, s.indicator, s.sort_order,
       CASE WHEN y.year_started AND c.delivery_id IS NOT NULL THEN v.value END AS value,
       v.reference_value,
       t.indicator IS NOT NULL AS has_override, t.minimum AS override_min, t.maximum AS override_max,
       s.source_sheet, c.file AS source_file, c.source_sheet AS source_file_sheet, c.loaded_at AS delivered_at,
       c.peildatum AS source_peildatum,
       y.ref_date, y.cutoff, y.year_started, y.year_complete, y.year_fraction, y.deal_fraction,
       y.first_year, y.last_year
FROM yrs AS y CROSS JOIN spec AS s
LEFT JOIN cur AS c ON c.deal = y.deal AND c.table_name = s.source_table
LEFT JOIN vals AS v ON v.deal = y.deal AND v.year = y.year AND v.indicator = s.indicator
LEFT JOIN targets AS t ON t.deal = y.deal AND t.year = y.year AND t.indicator = s.indicator;
