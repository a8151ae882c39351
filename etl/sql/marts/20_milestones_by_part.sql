-- grain: one row per deal and part (team): milestones due by the reference date, done, late, on-time share
CREATE OR REPLACE MACRO milestones_by_part(p_deal, p_as_of) AS TABLE
SELECT deal, part, any_value(part_name) AS part_name, any_value(part_kind) AS part_kind,
       count(*) AS milestones,
       count(*) FILTER (WHERE is_due) AS due,
       count(*) FILTER (WHERE is_done) AS done,
       count(*) FILTER (WHERE is_late) AS late,
       count(*) FILTER (WHERE done_on_time) AS done_on_time,
       CASE WHEN count(*) FILTER (WHERE is_due) > 0
            THEN count(*) FILTER (WHERE done_on_time) / count(*) FILTER (WHERE is_due) END AS on_time_share
FROM milestone_flags(p_deal, p_as_of)
GROUP BY deal, part;
