SELECT max(number) FROM orchestrator.trial WHERE experiment_id = :experiment
