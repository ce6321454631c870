-- How many statements have written retrain_policy or policy_state (V391's counter): the targets a
-- pass keeps are current while this has not moved since they were read.
SELECT version FROM orchestrator.policy_targets_version
