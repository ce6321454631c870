-- Benchmark only, on its scratch database: how many of the experiments it ran succeeded.
SELECT count(*) FROM orchestrator.experiment WHERE status = 'succeeded'
