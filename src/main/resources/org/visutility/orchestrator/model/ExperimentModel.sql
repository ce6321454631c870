-- The model an experiment tunes.
SELECT model_id FROM orchestrator.experiment WHERE id = :experiment
