-- Hourly snapshots of accuracy for the models with id % :workers = :worker, hours :from_hour to
-- :to_hour - 1 before :newest, with their metric_value rows. Values are a fixed function of
-- (model, hour): most models sit at 0.84-0.96; one in a hundred is degraded at 0.78-0.84.
WITH s AS (
    INSERT INTO orchestrator.metric_snapshot (model_id, model_version_id, observed_at, sample_count, metrics, source)
    SELECT v.model_id, v.id, :newest - g * interval '1 hour', :samples,
           jsonb_build_object('accuracy',
               CASE WHEN v.model_id % 100 = 0 THEN 0.78 + (hashint8(v.model_id * 1000003 + g) & 1023) / 17050.0
                    ELSE 0.84 + (hashint8(v.model_id * 1000003 + g) & 1023) / 8525.0 END),
           'bench'
      FROM orchestrator.model_version v
     CROSS JOIN generate_series(:from_hour, :to_hour - 1) g
     WHERE v.model_id % :workers = :worker
     ORDER BY v.model_id, g
    RETURNING id, observed_at, model_id, model_version_id, metrics, sample_count
)
INSERT INTO orchestrator.metric_value (snapshot_id, observed_at, model_id, model_version_id, metric, value, sample_count)
SELECT id, observed_at, model_id, model_version_id, 'accuracy', (metrics ->> 'accuracy')::float8, sample_count FROM s
