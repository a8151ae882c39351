-- grain: one row per deal, wave, respondent and question in the current Enquete delivery
-- The Vraag column may hold the question's code or its text: both are matched against Vragen.
CREATE OR REPLACE MACRO stg_survey(p_deal, p_as_of) AS TABLE
SELECT c.deal, r.delivery_id, r.source_row, r.respondent, r.wave, CAST(left(r.wave, 4) AS INTEGER) AS year,
       coalesce(q.question_code, r.question) AS question_code, coalesce(q.question_text, r.question) AS question_text,
       q.theme, q.scale, r.answer, r.score, r.org_kind, r.part
FROM raw.survey AS r
JOIN stg_deliveries(p_deal, p_as_of) AS c ON c.delivery_id = r.delivery_id AND c.table_name = 'survey'
LEFT JOIN stg_questions(p_deal, p_as_of) AS q
    ON q.deal = c.deal AND (q.question_code = r.question OR q.question_text = r.question);
