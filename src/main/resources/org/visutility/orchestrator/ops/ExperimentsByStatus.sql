-- The experiments gauge: how many experiments are in each status (a scan of a small table, cached by the caller).
SELECT status, count(*) AS experiments FROM orchestrator.experiment GROUP BY status
