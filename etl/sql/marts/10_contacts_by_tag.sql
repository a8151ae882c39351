-- grain: one row per deal and tag in the current Contacten delivery (tags are comma-separated; NULL = no tag)
CREATE OR REPLACE MACRO contacts_by_tag(p_deal, p_as_of) AS TABLE
WITH t AS (
    SELECT deal, contact, nullif(trim(tag), '') AS tag
    FROM stg_contacts(p_deal, p_as_of), unnest(string_split(coalesce(tags, ''), ',')) AS s(tag)
)
SELECT deal, tag, count(DISTINCT contact) AS contacts
FROM t
GROUP BY deal, tag;
