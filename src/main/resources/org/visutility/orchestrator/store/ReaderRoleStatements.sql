-- The statement that creates the database's reader role (run by an administrator). It is a group:
-- no login of its own, and analysts are its members. Read-only through its privileges (SELECT only),
-- not through a setting, because a group's settings never apply to its members.
SELECT format('CREATE ROLE %I NOLOGIN', :reader)
