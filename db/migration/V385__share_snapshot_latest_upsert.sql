-- orchestrator.snapshot_latest was kept by two copies of one upsert: after the staging path's merge
-- (UpdateSnapshotLatest.sql, the newest keys read from the staging table) and when a batch COPYed
-- straight in closes (FinishNewSnapshotsBatch.sql, the newest keys bound as arrays). Both now call
-- this one function with the newest key of each (model version, segment) the batch touched.
-- PL/pgSQL so that its plan is cached per session (it runs in every ingest batch's transaction).
CREATE FUNCTION orchestrator.keep_snapshot_latest(versions bigint[], segments text[], observed timestamptz[], sources text[])
    RETURNS integer
    LANGUAGE plpgsql AS $$
DECLARE
    kept integer;
BEGIN
    -- for each key, its current revision as stored now replaces the kept row when it is at least as
    -- new (an older batch committed later never moves it back; a new revision of the kept key
    -- replaces it). The LATERAL makes one index probe per key; rows are upserted in key order so
    -- that concurrent batches lock them in one order, and the ON CONFLICT re-check sees a concurrent winner.
    INSERT INTO orchestrator.snapshot_latest AS l
           (model_version_id, segment, model_id, snapshot_id, revision, observed_at, source, sample_count, metrics, recorded_at)
    SELECT x.model_version_id, x.segment, x.model_id, x.id, x.revision, x.observed_at, x.source, x.sample_count, x.metrics, x.ingested_at
      FROM unnest(versions, segments, observed, sources) AS st (model_version_id, segment, observed_at, source)
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
       AND excluded.snapshot_id <> l.snapshot_id;
    GET DIAGNOSTICS kept = ROW_COUNT;
    RETURN kept;
END $$;
COMMENT ON FUNCTION orchestrator.keep_snapshot_latest(bigint[], text[], timestamptz[], text[]) IS 'Keeps orchestrator.snapshot_latest up to date with an ingest batch, in its transaction, after its snapshots are written: the arrays hold, element by element, the newest key (model version, segment, observed_at, source) of each model version and segment the batch touched; each key''s current revision replaces the kept row when it is at least as new (observed_at, then source in byte order). Returns how many rows it inserted or replaced. Called by both ingest paths (staging and merge; COPY straight in).';
