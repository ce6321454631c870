-- Benchmark only, on its scratch database: the highest experiment id so far (0 before the first).
SELECT coalesce(max(id), 0) FROM orchestrator.experiment
