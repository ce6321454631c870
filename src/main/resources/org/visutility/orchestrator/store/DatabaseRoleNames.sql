-- The database's own roles: server-wide names that carry the database's name.
SELECT current_database() || '_lineage_reader' AS reader,
       current_database() || '_policy_sql'     AS conditions
