-- grain: one row per contact (pseudonymised e-mail) in the current Contacten delivery
CREATE OR REPLACE MACRO stg_contacts(p_deal, p_as_of) AS TABLE
SELECT c.deal, r.delivery_id, r.source_row, r.email AS contact, r.tags, r.since
FROM raw.contacts AS r JOIN stg_deliveries(p_deal, p_as_of) AS c ON c.delivery_id = r.delivery_id AND c.table_name = 'contacts';
