-- grain: one row per calendar year of deal $deal (from the Deal sheet's Start to Einde, else the years in the data)
SELECT DISTINCT year
FROM stg_deal_years($deal, NULL)
ORDER BY year;
