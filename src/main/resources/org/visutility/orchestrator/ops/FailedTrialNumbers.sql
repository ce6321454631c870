-- The trials a retry round runs again (ops restart --retry-failed), named in the intervention log.
SELECT number FROM orchestrator.trial WHERE experiment_id = :id AND status = 'failed' ORDER BY number
