-- grain: one row per deal in the database as of $as_of (NULL = newest)
SELECT deal AS code, name, start_date AS "start", end_date AS "end", peildatum, ref_date, has_deal_sheet
FROM stg_deal(NULL, CAST($as_of AS DATE))
ORDER BY deal;
