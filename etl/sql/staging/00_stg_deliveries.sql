-- grain: one row per deal and sheet: the delivery current as of p_as_of (NULL = the newest)
-- A delivery is visible as of D when its peildatum <= D (no peildatum: the date it was loaded);
-- the current one is the newest visible delivery not rolled back (docs/ARCHITECTURE.md, "As-of semantics").
-- File names carry a number so models are created after the models they read (DuckDB binds macros at creation).
CREATE OR REPLACE MACRO stg_deliveries(p_deal, p_as_of) AS TABLE
SELECT delivery_id, batch_id, deal, sheet, table_name, file, source_sheet, sha256, loaded_at, peildatum, rows,
       effective_date
FROM (
    SELECT d.*,
           coalesce(d.peildatum, CAST(d.loaded_at AS DATE)) AS effective_date,
           row_number() OVER (PARTITION BY d.deal, d.sheet ORDER BY d.loaded_at DESC, d.delivery_id DESC) AS newest
    FROM meta.deliveries AS d
    WHERE d.rolled_back_at IS NULL
      AND (p_deal IS NULL OR d.deal = p_deal)
      AND (p_as_of IS NULL OR coalesce(d.peildatum, CAST(d.loaded_at AS DATE)) <= CAST(p_as_of AS DATE))
)
WHERE newest = 1;
