-- grain: one row per open milestone or planned meeting of deal $deal (as of $as_of) dated after $after up to $until
-- Milestones count when not gereed or vervallen; meetings when their status is gepland (given or derived).
SELECT planned AS on_date, 'mijlpaal' AS item_kind, part, milestone AS item, status
FROM milestone_flags($deal, CAST($as_of AS DATE))
WHERE status NOT IN ('gereed', 'vervallen')
  AND planned > CAST($after AS DATE) AND planned <= CAST($until AS DATE)
UNION ALL
SELECT meeting_date, 'bijeenkomst', part, coalesce(title, meeting_kind), meeting_kind
FROM stg_meetings($deal, CAST($as_of AS DATE))
WHERE status = 'gepland'
  AND meeting_date > CAST($after AS DATE) AND meeting_date <= CAST($until AS DATE)
ORDER BY on_date, item_kind DESC, item;
