-- grain: one row per deal and contract sheet: its current delivery, or state 'ontbreekt' when never delivered
-- state: 'verouderd' when the delivery's peildatum (else its load date) is more than three months before
-- p_as_of (NULL = today). The sheet list mirrors etl/contract.py SHEETS (a test keeps them equal).
CREATE OR REPLACE MACRO freshness(p_deal, p_as_of) AS TABLE
WITH sheets(sheet, table_name, sheet_order) AS (
    VALUES ('Deal', 'deal', 1), ('Onderdelen', 'parts', 2), ('Partners', 'partners', 3),
           ('Begroting', 'budget', 4), ('Bijdragen', 'contributions', 5), ('Bijeenkomsten', 'meetings', 6),
           ('Aanwezigheid', 'attendance', 7), ('Enquete', 'survey', 8), ('Vragen', 'questions', 9),
           ('Mijlpalen', 'milestones', 10), ('Eindresultaten', 'end_results', 11), ('Knelpunten', 'bottlenecks', 12),
           ('Communicatie', 'communication', 13), ('Contacten', 'contacts', 14), ('Doelen', 'targets', 15),
           ('Zelfevaluatie', 'self_assessment', 16)
),
cur AS (  -- read twice below: planned once (an inlined macro is planned per use)
    SELECT * FROM stg_deliveries(p_deal, p_as_of)
),
deals AS (
    SELECT DISTINCT deal FROM cur
)
SELECT d.deal, s.sheet, s.table_name, s.sheet_order, c.delivery_id, c.file, c.source_sheet, c.loaded_at,
       c.peildatum, c.rows, c.effective_date,
       CASE WHEN c.delivery_id IS NULL THEN 'ontbreekt'
            WHEN c.effective_date < coalesce(CAST(p_as_of AS DATE), current_date) - INTERVAL 3 MONTH THEN 'verouderd'
            ELSE 'actueel' END AS state
FROM deals AS d CROSS JOIN sheets AS s
LEFT JOIN cur AS c ON c.deal = d.deal AND c.table_name = s.table_name;
