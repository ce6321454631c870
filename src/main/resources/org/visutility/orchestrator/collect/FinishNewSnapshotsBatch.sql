-- Closes a batch COPYed straight in (NewSnapshotsCopy) in one statement: it held :count snapshots,
-- all new; and orchestrator.snapshot_latest follows it as UpdateSnapshotLatest does, except that
-- the newest key of each model version and segment the batch touched comes as arrays (observed_at in
-- epoch microseconds), one element per (version, segment), instead of from the staging table.
WITH staged AS (
    SELECT k.model_version_id, k.segment, timestamptz 'epoch' + k.observed_us * interval '1 microsecond' AS observed_at, k.source
      FROM unnest(CAST(:versions AS bigint[]), CAST(:segments AS text[]), CAST(:observed_us AS bigint[]), CAST(:sources AS text[]))
           AS k (model_version_id, segment, observed_us, source)
), latest AS (
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
    RETURNING 1
)
UPDATE orchestrator.ingest_batch SET snapshot_count = :count, inserted_count = :count, revised_count = 0 WHERE id = :batch
