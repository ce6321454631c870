-- Who submitted an experiment over the control API (POST /api/v1/experiments): the name of the
-- operator token, so that every write made over HTTP names its actor.
ALTER TABLE orchestrator.experiment ADD COLUMN submitted_by text
    CHECK (submitted_by IS NULL OR submitted_by ~ '^operator:[A-Za-z0-9._@+-]{1,100}$');
COMMENT ON COLUMN orchestrator.experiment.submitted_by IS 'Who submitted it over the control API: operator:<token name> (operator:loopback without operator tokens); NULL for experiments submit on the database, a policy, the demo or bench.';
COMMENT ON COLUMN orchestrator.experiment_intervention.actor IS 'Who did it: the Quartz instance id of the node, ops@HOST for a command, or operator:<token name> for the control API (POST /api/v1/experiments/{id}/restart, /abandon).';
