-- Who applied a policy version over the control API (POST /api/v1/policies): the name of the
-- operator token, so that every write made over HTTP names its actor.
ALTER TABLE orchestrator.retrain_policy_version ADD COLUMN applied_by text
    CHECK (applied_by IS NULL OR applied_by ~ '^operator:[A-Za-z0-9._@+-]{1,100}$');
COMMENT ON COLUMN orchestrator.retrain_policy_version.applied_by IS 'Who applied this version over the control API: operator:<token name> (operator:loopback without operator tokens); NULL for policies apply on the database.';
