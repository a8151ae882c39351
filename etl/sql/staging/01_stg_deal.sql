-- grain: one row per deal with at least one current delivery
-- ref_date is the date the deal's data describes: the newest peildatum among its current deliveries
-- (else the Deal sheet's Peildatum, else the newest load date); years in progress are measured against it.
CREATE OR REPLACE MACRO stg_deal(p_deal, p_as_of) AS TABLE
WITH cur AS (
    SELECT * FROM stg_deliveries(p_deal, p_as_of)
),
per_deal AS (
    SELECT deal, max(peildatum) AS max_peildatum, max(effective_date) AS max_effective
    FROM cur GROUP BY deal
),
sheet AS (
    SELECT c.deal, r.name, r.start, r."end", r.as_of, c.file, c.loaded_at
    FROM raw.deal AS r JOIN cur AS c ON c.delivery_id = r.delivery_id AND c.table_name = 'deal'
    QUALIFY row_number() OVER (PARTITION BY c.deal ORDER BY r.source_row) = 1
)
SELECT p.deal,
       coalesce(s.name, p.deal) AS name,
       s.start AS start_date,
       s."end" AS end_date,
       coalesce(p.max_peildatum, s.as_of) AS peildatum,
       coalesce(p.max_peildatum, s.as_of, p.max_effective) AS ref_date,
       s.name IS NOT NULL AS has_deal_sheet
FROM per_deal AS p LEFT JOIN sheet AS s USING (deal);
