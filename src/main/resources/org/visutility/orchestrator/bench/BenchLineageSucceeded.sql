-- Benchmark only, on its scratch database: how many of the experiments with ids :first_id to :last_id succeeded.
SELECT count(*) FROM orchestrator.experiment WHERE id BETWEEN :first_id AND :last_id AND status = 'succeeded'
