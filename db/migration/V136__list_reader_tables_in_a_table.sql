-- The tables the database's reader role may read, listed in a table instead of inside the grant
-- function (V95, V117), so that a migration that documents a new table adds one row rather than
-- replacing the whole function. The function grants SELECT on every listed table. Tables never
-- listed (settings, outboxes, Quartz and Spring Batch internals) stay closed to the reader.

CREATE TABLE orchestrator.reader_table (
    table_name regclass PRIMARY KEY,
    why        text     NOT NULL CHECK (char_length(why) BETWEEN 1 AND 500)
);
COMMENT ON TABLE orchestrator.reader_table IS 'The orchestrator tables the database''s reader role may SELECT (besides every lineage view): orchestrator.grant_database_roles grants each listed table after every migrate. Add a row in a migration to open a new documented table to analysts.';
COMMENT ON COLUMN orchestrator.reader_table.table_name IS 'The table, e.g. orchestrator.gate_result.';
COMMENT ON COLUMN orchestrator.reader_table.why IS 'What analysts read it for.';

INSERT INTO orchestrator.reader_table (table_name, why) VALUES
    ('orchestrator.model', 'the watched models'),
    ('orchestrator.model_version', 'each model''s versions and their status'),
    ('orchestrator.ingest_batch', 'where each batch of snapshots came from'),
    ('orchestrator.metric_snapshot', 'the metric history'),
    ('orchestrator.metric_value', 'the metric history''s values'),
    ('orchestrator.retrain_policy', 'the retrain policies'),
    ('orchestrator.retrain_policy_version', 'every version of each policy'),
    ('orchestrator.policy_state', 'each policy''s state per model'),
    ('orchestrator.policy_evaluation', 'every policy decision and its evidence'),
    ('orchestrator.experiment', 'the experiments'),
    ('orchestrator.trial', 'every trial'),
    ('orchestrator.hyperparameter_set', 'each experiment''s winning hyperparameters'),
    ('orchestrator.model_version_event', 'every change of a version''s status'),
    ('orchestrator.gate_result', 'the challenger gate''s verdicts with both scores'),
    ('orchestrator.retrain_verification', 'post-deploy verification of each retrain');

CREATE OR REPLACE FUNCTION orchestrator.grant_database_roles(reader name, conditions name) RETURNS integer
    LANGUAGE plpgsql AS
$$
DECLARE
    granted integer := 0;
    listed  regclass;
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = reader) THEN
        EXECUTE format('GRANT USAGE ON SCHEMA lineage, orchestrator TO %I', reader);
        EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA lineage TO %I', reader);
        FOR listed IN SELECT table_name FROM orchestrator.reader_table ORDER BY table_name::text LOOP
            EXECUTE format('GRANT SELECT ON %s TO %I', listed, reader);
        END LOOP;
        granted := granted + 1;
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = conditions) THEN
        -- What custom SQL conditions need: the models and their metric history, and when each
        -- model's experiments ran (not their specs, which may name a trainer's environment).
        EXECUTE format('GRANT USAGE ON SCHEMA orchestrator TO %I', conditions);
        EXECUTE format('GRANT SELECT ON orchestrator.model, orchestrator.model_version, orchestrator.metric_snapshot,'
                       ' orchestrator.metric_value TO %I', conditions);
        EXECUTE format('GRANT SELECT (id, model_id, policy_id, trigger, status, queued_at, started_at, finished_at)'
                       ' ON orchestrator.experiment TO %I', conditions);
        granted := granted + 1;
    END IF;
    RETURN granted;
END
$$;
COMMENT ON FUNCTION orchestrator.grant_database_roles(name, name) IS 'Grants the database''s reader role (first argument: USAGE on lineage and orchestrator, SELECT on every lineage view and on each table listed in orchestrator.reader_table) and its policy-condition role (second: SELECT on model, model_version, metric_snapshot, metric_value and experiment''s timing columns) their privileges; a role that does not exist is skipped. Returns how many roles it granted. Run by the owner after every migrate.';
