-- Stores each changed staged snapshot (:positions) as the next revision of the key whose previous
-- revision (:ids, superseded just before by SupersedeRevisions) it replaces, recorded at :at, with
-- its metric values; in key order, as the first revisions are. Returns how many were stored.
WITH changed AS (
    SELECT * FROM unnest(CAST(:positions AS integer[]), CAST(:ids AS bigint[])) AS c (position, old_id)
), inserted AS (
    INSERT INTO orchestrator.metric_snapshot AS ms
           (model_id, model_version_id, observed_at, segment, source, sample_count, metrics, batch_id, ingested_at,
            settled_at, revision, replaces_id)
    SELECT x.model_id, x.model_version_id, x.observed_at, x.segment, x.source, s.sample_count, s.metrics, :batch, :at,
           CASE WHEN s.is_final THEN CAST(:at AS timestamptz)
                WHEN NOT s.is_final THEN NULL
                WHEN CAST(:settle AS interval) IS NOT NULL THEN s.observed_at + CAST(:settle AS interval)
                WHEN :finalWhenUnsaid THEN CAST(:at AS timestamptz) END,
           x.revision + 1, x.id
      FROM changed c
      JOIN pg_temp.snapshot_staging s ON s.position = c.position
      JOIN orchestrator.metric_snapshot x ON x.id = c.old_id AND x.observed_at = s.observed_at
     ORDER BY x.model_version_id, x.observed_at, x.segment, x.source
    RETURNING ms.id, ms.observed_at, ms.model_id, ms.model_version_id, ms.sample_count, ms.metrics, ms.ingested_at, ms.settled_at
), metric_values AS (
    INSERT INTO orchestrator.metric_value (snapshot_id, observed_at, model_id, model_version_id, metric, value, sample_count, recorded_at, settled_at)
    SELECT i.id, i.observed_at, i.model_id, i.model_version_id, e.key, e.value::double precision, i.sample_count, i.ingested_at, i.settled_at
      FROM inserted i
     CROSS JOIN LATERAL jsonb_each_text(i.metrics) AS e
)
SELECT count(*) FROM inserted
