-- Benchmark only, on its scratch database: the experiments waiting in the queue, oldest first.
SELECT id FROM orchestrator.experiment WHERE status = 'queued' ORDER BY queued_at, id
