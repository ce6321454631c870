-- Where the retrain's post-deploy verification stands: open, or its outcome; no row before it opens.
SELECT coalesce(outcome, 'open') FROM orchestrator.retrain_verification WHERE experiment_id = :experiment
