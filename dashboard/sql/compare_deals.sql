-- grain: one row per deal as of $as_of (NULL = newest): its span in calendar years, so that deal year 1 = first_year
-- first_year is the year of the Deal sheet's Start (else the first year in its data): a deal starting in 2020 has
-- deal year 2 = 2021.
SELECT d.deal AS code, d.name, d.start_date AS "start", d.end_date AS "end", d.ref_date AS peildatum,
       min(y.first_year) AS first_year, max(y.last_year) AS last_year,
       count(*) FILTER (WHERE y.year_started) AS years_started
FROM stg_deal(NULL, CAST($as_of AS DATE)) AS d
JOIN stg_deal_years(NULL, CAST($as_of AS DATE)) AS y USING (deal)
GROUP BY d.deal, d.name, d.start_date, d.end_date, d.ref_date
ORDER BY d.deal;
