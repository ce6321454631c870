-- The reader role reads the version lifecycle's events (V115) like the other documented tables: the
-- grant function names the table now. Same function otherwise (V95).
CREATE OR REPLACE FUNCTION orchestrator.grant_database_roles(reader name, conditions name) RETURNS integer
    LANGUAGE plpgsql AS
$$
DECLARE
    granted integer := 0;
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = reader) THEN
        EXECUTE format('GRANT USAGE ON SCHEMA lineage, orchestrator TO %I', reader);
        EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA lineage TO %I', reader);
        -- The documented tables, named one by one: a table added later stays closed until this
        -- function is replaced to name it (settings with secrets, such as webhook URLs, stay closed).
        EXECUTE format('GRANT SELECT ON orchestrator.model, orchestrator.model_version, orchestrator.ingest_batch,'
                       ' orchestrator.metric_snapshot, orchestrator.metric_value, orchestrator.retrain_policy,'
                       ' orchestrator.retrain_policy_version, orchestrator.policy_state, orchestrator.policy_evaluation,'
                       ' orchestrator.experiment, orchestrator.trial, orchestrator.hyperparameter_set,'
                       ' orchestrator.model_version_event TO %I', reader);
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
COMMENT ON FUNCTION orchestrator.grant_database_roles(name, name) IS 'Grants the database''s reader role (first argument: USAGE on lineage and orchestrator, SELECT on the lineage views and the documented tables, model_version_event included) and its policy-condition role (second: SELECT on model, model_version, metric_snapshot, metric_value and experiment''s timing columns) their privileges; a role that does not exist is skipped. Returns how many roles it granted. Run by the owner after every migrate.';
