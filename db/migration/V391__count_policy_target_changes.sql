-- A policy pass keeps the targets it loaded (every enabled policy with its (policy, model) state)
-- and reads them again only when they may have changed: every statement that writes retrain_policy
-- or policy_state adds one to this counter, in the writer's own transaction, so a pass that reads
-- the number it loaded with knows that nothing it loaded has changed since. The counter moves when
-- the change commits (or not at all), so a pass never keeps targets a later commit changed.
-- The trigger runs BEFORE each writing statement: the counter's row is the first lock such a
-- statement takes, and writers that lock rows of these tables in earlier statements (policies
-- apply) take the counter first, so no two writers wait for each other in opposite orders.
CREATE TABLE orchestrator.policy_targets_version (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    version  bigint  NOT NULL
);
COMMENT ON TABLE orchestrator.policy_targets_version IS 'How many statements have written retrain_policy or policy_state (one row): a policy pass reloads its targets only when this moved since it loaded them.';
COMMENT ON COLUMN orchestrator.policy_targets_version.only_row IS 'Always true: the table holds one row.';
COMMENT ON COLUMN orchestrator.policy_targets_version.version IS 'Statements that wrote retrain_policy or policy_state so far (committed ones; a rolled-back writer''s count goes with it).';
INSERT INTO orchestrator.policy_targets_version (version) VALUES (0);

CREATE FUNCTION orchestrator.count_policy_target_change() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    UPDATE orchestrator.policy_targets_version SET version = version + 1;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION orchestrator.count_policy_target_change() IS 'Statement trigger of retrain_policy and policy_state: adds one to policy_targets_version.';

CREATE TRIGGER retrain_policy_counts_target_changes
    BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON orchestrator.retrain_policy
    FOR EACH STATEMENT EXECUTE FUNCTION orchestrator.count_policy_target_change();
COMMENT ON TRIGGER retrain_policy_counts_target_changes ON orchestrator.retrain_policy IS 'Counts each writing statement in policy_targets_version (policy passes reload their targets when it moved).';
CREATE TRIGGER policy_state_counts_target_changes
    BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON orchestrator.policy_state
    FOR EACH STATEMENT EXECUTE FUNCTION orchestrator.count_policy_target_change();
COMMENT ON TRIGGER policy_state_counts_target_changes ON orchestrator.policy_state IS 'Counts each writing statement in policy_targets_version (policy passes reload their targets when it moved).';
