-- grain: one row per end result of the deals in $deals (NULL = every deal) as of $as_of: Agenda Stad's catalogue
-- $q searches result and explanation (Toelichting), case- and accent-insensitively, as literal text (no wildcards);
-- $parts holds "DEAL/PART" keys, $statuses Eindresultaten.Status values; NULL or empty = no filter.
WITH needle AS (
    SELECT nullif(strip_accents(lower(trim(coalesce(CAST($q AS VARCHAR), '')))), '') AS q
)
SELECT e.deal, d.name AS deal_name, e.end_result, e.part, p.part_name, p.part_kind,
       e.deal || '/' || e.part AS part_key, e.result, e.status,
       CASE WHEN e.status = 'gereed' THEN coalesce(e.progress, 1.0) ELSE e.progress END AS progress,
       e.note
FROM stg_end_results(NULL, CAST($as_of AS DATE)) AS e
JOIN stg_deal(NULL, CAST($as_of AS DATE)) AS d USING (deal)
LEFT JOIN stg_parts(NULL, CAST($as_of AS DATE)) AS p ON p.deal = e.deal AND p.part = e.part
CROSS JOIN needle AS n
WHERE (CAST($deals AS VARCHAR[]) IS NULL OR len(CAST($deals AS VARCHAR[])) = 0
       OR list_contains(CAST($deals AS VARCHAR[]), e.deal))
  AND (CAST($parts AS VARCHAR[]) IS NULL OR len(CAST($parts AS VARCHAR[])) = 0
       OR list_contains(CAST($parts AS VARCHAR[]), e.deal || '/' || e.part))
  AND (CAST($statuses AS VARCHAR[]) IS NULL OR len(CAST($statuses AS VARCHAR[])) = 0
       OR list_contains(CAST($statuses AS VARCHAR[]), e.status))
  AND (n.q IS NULL
       OR contains(strip_accents(lower(e.result)), n.q)
       OR contains(strip_accents(lower(coalesce(e.note, ''))), n.q))
ORDER BY e.deal, e.part, e.end_result;
