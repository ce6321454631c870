-- Keeps orchestrator.snapshot_latest up to date with a batch, in the batch's transaction, after its
-- snapshots (and revisions) are written: for each model version and segment the batch touched, the
-- newest staged key (observed_at, then source in byte order) is looked up as stored now (its current
-- revision) and replaces the kept row when it is at least as new (GREATEST semantics: an older batch
-- committed later never moves it back; a new revision of the kept key replaces it). The LATERAL makes
-- one index probe per (version, segment) of the batch; rows are upserted in key order so that
-- concurrent batches lock them in one order, and the ON CONFLICT re-check sees a concurrent winner.
WITH staged AS (
    SELECT DISTINCT ON (v.id, s.segment) v.id AS model_version_id, s.segment, s.observed_at, s.source
      FROM pg_temp.snapshot_staging s
      JOIN orchestrator.model m ON m.name = s.model
      JOIN orchestrator.model_version v ON v.model_id = m.id AND v.version = s.version
     ORDER BY v.id, s.segment, s.observed_at DESC, s.source COLLATE "C" DESC
)
INSERT INTO orchestrator.snapshot_latest AS l
       (model_version_id, segment, model_id, snapshot_id, revision, observed_at, source, sample_count, metrics, recorded_at)
SELECT x.model_version_id, x.segment, x.model_id, x.id, x.revision, x.observed_at, x.source, x.sample_count, x.metrics, x.ingested_at
  FROM staged st
 CROSS JOIN LATERAL (
        SELECT c.model_version_id, c.segment, c.model_id, c.id, c.revision, c.observed_at, c.source, c.sample_count, c.metrics, c.ingested_at
          FROM orchestrator.metric_snapshot c
         WHERE c.model_version_id = st.model_version_id AND c.observed_at = st.observed_at
           AND c.segment = st.segment AND c.source = st.source AND c.superseded_at IS NULL
         LIMIT 1) x
 ORDER BY x.model_version_id, x.segment
    ON CONFLICT (model_version_id, segment) DO UPDATE
   SET model_id = excluded.model_id, snapshot_id = excluded.snapshot_id, revision = excluded.revision,
       observed_at = excluded.observed_at, source = excluded.source, sample_count = excluded.sample_count,
       metrics = excluded.metrics, recorded_at = excluded.recorded_at
 WHERE (excluded.observed_at, excluded.source) >= (l.observed_at, l.source)
   AND excluded.snapshot_id <> l.snapshot_id
