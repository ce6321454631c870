-- Moves the staged snapshots into metric_snapshot, skipping those whose natural key has a current
-- revision already (SnapshotWriter tells duplicates, conflicts and revisions apart), and writes one metric_value row per metric of each new snapshot; returns how many
-- snapshots were new. Rows go in key order: the unique index is filled in order, concurrent
-- batches lock keys in one order (no deadlocks), and of a key repeated in the input the first wins.
WITH inserted AS (
    INSERT INTO orchestrator.metric_snapshot AS ms
           (model_id, model_version_id, observed_at, segment, source, sample_count, metrics, batch_id, settled_at)
    SELECT v.model_id, v.id, s.observed_at, s.segment, s.source, s.sample_count, s.metrics, :batch,
           -- from when the window is final: said final, said provisional, else the source's default
           CASE WHEN s.is_final THEN now()
                WHEN NOT s.is_final THEN NULL
                WHEN CAST(:settle AS interval) IS NOT NULL THEN s.observed_at + CAST(:settle AS interval)
                WHEN :finalWhenUnsaid THEN now() END
      FROM pg_temp.snapshot_staging s
      JOIN orchestrator.model m ON m.name = s.model
      JOIN orchestrator.model_version v ON v.model_id = m.id AND v.version = s.version
     ORDER BY v.id, s.observed_at, s.segment, s.source, s.position
    ON CONFLICT (model_version_id, observed_at, segment, source) WHERE superseded_at IS NULL DO NOTHING
    RETURNING ms.id, ms.observed_at, ms.model_id, ms.model_version_id, ms.sample_count, ms.metrics, ms.ingested_at, ms.settled_at
), metric_values AS (
    INSERT INTO orchestrator.metric_value (snapshot_id, observed_at, model_id, model_version_id, metric, value, sample_count, recorded_at, settled_at)
    SELECT i.id, i.observed_at, i.model_id, i.model_version_id, e.key, e.value::double precision, i.sample_count, i.ingested_at, i.settled_at
      FROM inserted i
     CROSS JOIN LATERAL jsonb_each_text(i.metrics) AS e
)
SELECT count(*) FROM inserted
