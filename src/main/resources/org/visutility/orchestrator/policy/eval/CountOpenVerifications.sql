-- How many verifications are open (the gauge in /metrics).
SELECT count(*) FROM orchestrator.retrain_verification WHERE outcome IS NULL
