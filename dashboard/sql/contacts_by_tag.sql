-- grain: one row per tag in the current Contacten delivery of deal $deal as of $as_of (NULL = contacts without tag)
-- Mailchimp exports quote each tag ('"Kernteam","Gemeenten"'): the quotes are stripped before counting.
WITH t AS (
    SELECT contact, nullif(trim(tag, ' "'''), '') AS tag
    FROM stg_contacts($deal, CAST($as_of AS DATE)), unnest(string_split(coalesce(tags, ''), ',')) AS s(tag)
)
SELECT tag, count(DISTINCT contact) AS contacts
FROM t
GROUP BY tag
ORDER BY contacts DESC, tag NULLS LAST;
