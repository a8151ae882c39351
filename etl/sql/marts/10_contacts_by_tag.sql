-- grain: one row per deal and tag in the current Contacten delivery (tags are comma-separated, a tag with a comma
-- in it is quoted as Mailchimp writes it: "Gemeente, provincie", Nieuwsbrief; NULL = no tag)
CREATE OR REPLACE MACRO contacts_by_tag(p_deal, p_as_of) AS TABLE
WITH t AS (
    SELECT deal, contact, nullif(trim(tag, ' "' || chr(9)), '') AS tag
    FROM (SELECT deal, contact, regexp_extract_all(coalesce(tags, ''), '"[^"]*"|[^,"]+') AS found
          FROM stg_contacts(p_deal, p_as_of)),
         unnest(CASE WHEN len(found) = 0 THEN [NULL::VARCHAR] ELSE found END) AS s(tag)  -- no tag: one NULL row
)
SELECT deal, tag, count(DISTINCT contact) AS contacts
FROM t
GROUP BY deal, tag;
