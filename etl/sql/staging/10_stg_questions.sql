-- grain: one row per deal and question in the current Vragen delivery
CREATE OR REPLACE MACRO stg_questions(p_deal, p_as_of) AS TABLE
SELECT c.deal, r.delivery_id, r.source_row, r.code AS question_code, r.question AS question_text, r.scale, r.theme
FROM raw.questions AS r JOIN stg_deliveries(p_deal, p_as_of) AS c ON c.delivery_id = r.delivery_id AND c.table_name = 'questions';
