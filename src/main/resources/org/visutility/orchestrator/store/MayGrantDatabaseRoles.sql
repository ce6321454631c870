-- Whether the current user may grant on the orchestrator's objects: they are migrated (V95 is in)
-- and it owns them or has its owner's privileges (a superuser has every role's). Looked up in the
-- catalogs, which an administrator without rights on the schema may read.
SELECT coalesce((SELECT pg_has_role(current_user, n.nspowner, 'USAGE')
                   FROM pg_namespace n
                  WHERE n.nspname = 'orchestrator'
                    AND EXISTS (SELECT FROM pg_proc p
                                 WHERE p.pronamespace = n.oid AND p.proname = 'grant_database_roles')), false)
