-- grain: one row per deal, part and milestone, flagged against the deal's reference date (peildatum)
-- due: planned on or before the reference date and not vervallen; late: due and not gereed, or gereed
-- after the planned date; done_on_time: gereed on or before planned (gereed without a date counts as on time).
CREATE OR REPLACE MACRO milestone_flags(p_deal, p_as_of) AS TABLE
SELECT m.deal, m.part, p.part_name, p.part_kind, m.milestone, m.planned, m.planned_year, m.done, m.status,
       m.progress, m.end_result, m.note, d.ref_date,
       (m.planned <= d.ref_date AND m.status <> 'vervallen') AS is_due,
       m.status = 'gereed' AS is_done,
       (m.planned <= d.ref_date AND m.status <> 'vervallen'
        AND (m.status <> 'gereed' OR m.done > m.planned)) AS is_late,
       (m.planned <= d.ref_date AND m.status = 'gereed' AND (m.done IS NULL OR m.done <= m.planned)) AS done_on_time
FROM stg_milestones(p_deal, p_as_of) AS m
JOIN stg_deal(p_deal, p_as_of) AS d USING (deal)
LEFT JOIN stg_parts(p_deal, p_as_of) AS p ON p.deal = m.deal AND p.part = m.part;
