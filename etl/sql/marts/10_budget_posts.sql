-- grain: one row per deal, year, cost type, post and part as delivered on the Begroting sheet
CREATE OR REPLACE MACRO budget_posts(p_deal, p_as_of) AS TABLE
SELECT deal, year, cost_type, post, part, sum(budgeted) AS budgeted,
       CASE WHEN count(realised) = count(*) THEN sum(realised) END AS realised,
       any_value(note) AS note
FROM stg_budget(p_deal, p_as_of)
GROUP BY deal, year, cost_type, post, part;
