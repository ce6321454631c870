-- The models of the experiments a spec's strategy.warm_start names (from: experiment), to refuse at
-- submit the ids that are unknown or of another model.
SELECT e.id, m.name AS model
  FROM orchestrator.experiment e
  JOIN orchestrator.model m ON m.id = e.model_id
 WHERE e.id = ANY (:ids)
