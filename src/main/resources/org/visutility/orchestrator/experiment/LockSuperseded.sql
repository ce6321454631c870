-- The run a new experiment is to supersede, locked until the insert commits so that nobody restarts
-- it, or supersedes it too, in between; with the experiment that supersedes it already, if any.
SELECT e.id, m.name AS model, e.status,
       (SELECT s.id FROM orchestrator.experiment s WHERE s.supersedes_experiment_id = e.id) AS superseded_by
  FROM orchestrator.experiment e
  JOIN orchestrator.model m ON m.id = e.model_id
 WHERE e.id = :id
   FOR UPDATE OF e
