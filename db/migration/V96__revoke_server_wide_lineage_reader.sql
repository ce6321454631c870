-- lineage_reader (V40) is one role for the whole PostgreSQL server: a member added for another
-- database read this one's lineage too, and its default_transaction_read_only never applied to its
-- members. Each database now has its own reader, <database>_lineage_reader (V95, created by
-- `orchestrator roles create`); the old role keeps nothing here. An administrator gives its members
-- the new role (README, "On your own PostgreSQL"). The role itself is left alone: it is the
-- server's, and other databases may still hold its grants until they migrate.
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'lineage_reader') THEN
        REVOKE ALL ON ALL TABLES IN SCHEMA lineage FROM lineage_reader;
        REVOKE ALL ON ALL TABLES IN SCHEMA orchestrator FROM lineage_reader;
        REVOKE ALL ON SCHEMA lineage, orchestrator FROM lineage_reader;
    END IF;
END
$$;
