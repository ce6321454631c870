SELECT count(*) FROM orchestrator.trial WHERE experiment_id = :experiment AND status = 'complete'
