-- One dispatcher at a time counts the free slots (released at commit).
SELECT pg_advisory_xact_lock(hashtext('orchestrator.experiment_dispatch'))
