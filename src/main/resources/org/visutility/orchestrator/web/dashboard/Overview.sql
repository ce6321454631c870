-- The dashboard's headline counts.
SELECT (SELECT count(*) FROM orchestrator.model)                                          AS models,
       (SELECT count(*) FROM orchestrator.policy_state WHERE state = 'firing')            AS policies_firing,
       (SELECT count(*) FROM orchestrator.experiment WHERE status IN ('queued', 'running')) AS experiments_open,
       (SELECT count(*) FROM orchestrator.experiment WHERE status = 'failed')             AS experiments_failed
