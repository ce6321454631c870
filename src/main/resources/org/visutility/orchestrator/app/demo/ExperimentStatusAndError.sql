-- The experiment's status and error (empty when none), as the demo follows it.
SELECT status, coalesce(error, '') AS error FROM orchestrator.experiment WHERE id = :id
