-- Members of the server-wide lineage_reader of V40, which V96 took this database's privileges from.
SELECT m.rolname
  FROM pg_auth_members am
  JOIN pg_roles r ON r.oid = am.roleid
  JOIN pg_roles m ON m.oid = am.member
 WHERE r.rolname = 'lineage_reader'
 ORDER BY m.rolname
