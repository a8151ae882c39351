-- grain: one row per deal and calendar year of the deal
-- Years run from the Deal sheet's Start to Einde; without them, over the years found in the data.
-- cutoff is the last day that counts for the year: its 31 December, or ref_date in a year in progress.
CREATE OR REPLACE MACRO stg_deal_years(p_deal, p_as_of) AS TABLE
WITH cur AS (
    SELECT delivery_id, deal FROM stg_deliveries(p_deal, p_as_of)
),
-- named once and read twice: DuckDB plans a CTE read twice once, an inlined macro once per use
deals AS (
    SELECT * FROM stg_deal(p_deal, p_as_of)
),
-- read straight from the raw tables, joined once to the current deliveries (a join per table cost more to plan)
data_years AS (
    SELECT c.deal, r.year
    FROM (SELECT delivery_id, year FROM raw.budget
          UNION ALL SELECT delivery_id, year(date) FROM raw.meetings
          UNION ALL SELECT delivery_id, year(date) FROM raw.communication
          UNION ALL SELECT delivery_id, year(planned) FROM raw.milestones
          UNION ALL SELECT delivery_id, CAST(left(wave, 4) AS INTEGER) FROM raw.survey) AS r
    JOIN cur AS c USING (delivery_id)
),
bounds AS (
    SELECT d.deal, d.ref_date, d.start_date, d.end_date,
           CAST(coalesce(year(d.start_date), y.min_year) AS INTEGER) AS first_year,
           CAST(coalesce(year(d.end_date), y.max_year) AS INTEGER) AS last_year
    FROM deals AS d
    LEFT JOIN (SELECT deal, min(year) AS min_year, max(year) AS max_year
               FROM (SELECT deal, year FROM data_years UNION ALL SELECT deal, year(ref_date) FROM deals)
               GROUP BY deal) AS y
        USING (deal)
),
years AS (
    SELECT b.*, CAST(g.year AS INTEGER) AS year,
           make_date(CAST(g.year AS INTEGER), 1, 1) AS year_start,
           make_date(CAST(g.year AS INTEGER), 12, 31) AS year_end,
           coalesce(b.start_date, make_date(b.first_year, 1, 1)) AS deal_start,
           coalesce(b.end_date, make_date(b.last_year, 12, 31)) AS deal_end
    FROM bounds AS b, generate_series(b.first_year, b.last_year) AS g(year)
    WHERE b.first_year IS NOT NULL
)
SELECT deal, year, first_year, last_year, ref_date, deal_start, deal_end, year_start, year_end,
       least(ref_date, year_end) AS cutoff,
       year_start <= ref_date AS year_started,
       year_end <= ref_date AS year_complete,
       -- share of the year elapsed on the cutoff: 181/365 on 30 June, 1 for a finished year
       CASE WHEN year_start > ref_date THEN 0.0
            ELSE dayofyear(least(ref_date, year_end)) / dayofyear(year_end) END AS year_fraction,
       -- share of the deal's whole period elapsed on the cutoff (end results are due at its end)
       CASE WHEN deal_end <= deal_start THEN 1.0
            ELSE greatest(0.0, least(1.0, (least(ref_date, year_end) - deal_start) / (deal_end - deal_start))) END
           AS deal_fraction
FROM years;
