-- A role as the admin step checks it: attributes that give more than reading, and the roles it belongs to.
SELECT r.rolsuper OR r.rolcreaterole OR r.rolcreatedb OR r.rolreplication OR r.rolbypassrls AS privileged,
       r.rolcanlogin                                                                     AS can_login,
       (SELECT string_agg(g.rolname, ', ' ORDER BY g.rolname)
          FROM pg_auth_members am JOIN pg_roles g ON g.oid = am.roleid
         WHERE am.member = r.oid)                                                        AS member_of
  FROM pg_roles r
 WHERE r.rolname = :name
