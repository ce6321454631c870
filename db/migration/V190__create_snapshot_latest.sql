-- The newest current snapshot of each model version and segment, kept by the ingest path in the
-- same transaction as each batch (collect/UpdateSnapshotLatest.sql), so that "when did model X last
-- report, and what" is a lookup in a table of (versions x segments) rows instead of a scan of the
-- metric history. A LATERAL over an index of the partitioned history was measured as the other way:
-- without a time bound it must probe every monthly partition, so its cost grows with the history's
-- length; this table's does not.
--
-- Order of "newest" (the tie-break, the same everywhere): observed_at, then the higher
-- model_version_id (the version registered later), then source in byte order ("C" collation),
-- the greatest winning. Within one row's key only observed_at and source can differ.
CREATE TABLE orchestrator.snapshot_latest (
    model_version_id bigint      NOT NULL REFERENCES orchestrator.model_version (id),
    segment          text        NOT NULL,
    model_id         bigint      NOT NULL REFERENCES orchestrator.model (id),
    snapshot_id      bigint      NOT NULL,
    revision         integer     NOT NULL,
    observed_at      timestamptz NOT NULL,
    source           text        COLLATE "C" NOT NULL,
    sample_count     bigint      NOT NULL,
    metrics          jsonb       NOT NULL,
    recorded_at      timestamptz NOT NULL,
    PRIMARY KEY (model_version_id, segment)
);
COMMENT ON TABLE orchestrator.snapshot_latest IS 'The newest current snapshot (the current revision of its key) of each model version and segment, kept by ingest in the same transaction as each batch. Newest: the latest observed_at, then the greatest source in byte order. Rows stay when old snapshot partitions are dropped (the last snapshot is still the last one seen). Rebuilt from the history by orchestrator.rebuild_snapshot_latest().';
COMMENT ON COLUMN orchestrator.snapshot_latest.model_version_id IS 'The model version.';
COMMENT ON COLUMN orchestrator.snapshot_latest.segment IS 'The slice of traffic; empty for all traffic.';
COMMENT ON COLUMN orchestrator.snapshot_latest.model_id IS 'The version''s model.';
COMMENT ON COLUMN orchestrator.snapshot_latest.snapshot_id IS 'The snapshot (metric_snapshot.id of its current revision).';
COMMENT ON COLUMN orchestrator.snapshot_latest.revision IS 'Which revision of its key the snapshot is (metric_snapshot.revision).';
COMMENT ON COLUMN orchestrator.snapshot_latest.observed_at IS 'When the snapshot was observed.';
COMMENT ON COLUMN orchestrator.snapshot_latest.source IS 'Who measured it; compared in byte order to break ties at one observed_at.';
COMMENT ON COLUMN orchestrator.snapshot_latest.sample_count IS 'The snapshot''s sample count.';
COMMENT ON COLUMN orchestrator.snapshot_latest.metrics IS 'The snapshot''s metric values as a JSON object {name: value}.';
COMMENT ON COLUMN orchestrator.snapshot_latest.recorded_at IS 'When this revision of the snapshot was recorded (metric_snapshot.ingested_at).';

CREATE INDEX snapshot_latest_model ON orchestrator.snapshot_latest (model_id, segment);

-- Recomputes the table from the history (a scan of every current snapshot): the backfill below, and
-- the repair after snapshots were written around the ingest path (by hand, or a restore).
CREATE FUNCTION orchestrator.rebuild_snapshot_latest() RETURNS bigint
LANGUAGE sql AS $$
    DELETE FROM orchestrator.snapshot_latest;
    INSERT INTO orchestrator.snapshot_latest (model_version_id, segment, model_id, snapshot_id, revision, observed_at, source,
                                              sample_count, metrics, recorded_at)
    SELECT DISTINCT ON (s.model_version_id, s.segment)
           s.model_version_id, s.segment, s.model_id, s.id, s.revision, s.observed_at, s.source, s.sample_count, s.metrics, s.ingested_at
      FROM orchestrator.metric_snapshot s
     WHERE s.superseded_at IS NULL
     ORDER BY s.model_version_id, s.segment, s.observed_at DESC, s.source COLLATE "C" DESC;
    SELECT count(*) FROM orchestrator.snapshot_latest;
$$;
COMMENT ON FUNCTION orchestrator.rebuild_snapshot_latest() IS 'Recomputes orchestrator.snapshot_latest from the current revisions in metric_snapshot (a full scan; ingest keeps the table up to date batch by batch). Run it after writing snapshots around the ingest path; returns the number of rows.';

SELECT orchestrator.rebuild_snapshot_latest();

-- ------------------------------------------------------------------ model_freshness
CREATE VIEW lineage.model_freshness AS
SELECT DISTINCT ON (l.model_id, l.segment)
       m.name                                                           AS model,
       l.segment,
       mv.version,
       l.snapshot_id,
       l.revision,
       l.observed_at                                                    AS last_observed_at,
       l.source,
       l.sample_count,
       l.metrics                                                        AS last_metrics,
       (l.metrics ->> 'accuracy')::double precision                     AS last_accuracy,
       round(extract(epoch FROM now() - l.observed_at) / 3600, 2)       AS hours_since_last,
       l.recorded_at,
       l.model_id,
       l.model_version_id
  FROM orchestrator.snapshot_latest l
  JOIN orchestrator.model m ON m.id = l.model_id
  JOIN orchestrator.model_version mv ON mv.id = l.model_version_id
 ORDER BY l.model_id, l.segment, l.observed_at DESC, l.model_version_id DESC, l.source DESC;
COMMENT ON VIEW lineage.model_freshness IS 'Per model and segment: its newest snapshot (current revision), that snapshot''s metric values and the hours since it was observed. Newest: the latest observed_at; at one observed_at the higher model_version_id (the version registered later), then the source greatest in byte order. Read from orchestrator.snapshot_latest: its cost does not grow with the history.';
COMMENT ON COLUMN lineage.model_freshness.model IS 'The model.';
COMMENT ON COLUMN lineage.model_freshness.segment IS 'The slice of traffic; empty for all traffic. A model has a row per segment it ever reported.';
COMMENT ON COLUMN lineage.model_freshness.version IS 'The version the newest snapshot observed.';
COMMENT ON COLUMN lineage.model_freshness.snapshot_id IS 'The newest snapshot (metric_snapshot.id, current revision).';
COMMENT ON COLUMN lineage.model_freshness.revision IS 'Which revision of its key that snapshot is (1 unless its source revised it).';
COMMENT ON COLUMN lineage.model_freshness.last_observed_at IS 'When the newest snapshot was observed.';
COMMENT ON COLUMN lineage.model_freshness.source IS 'Who measured the newest snapshot.';
COMMENT ON COLUMN lineage.model_freshness.sample_count IS 'The newest snapshot''s sample count.';
COMMENT ON COLUMN lineage.model_freshness.last_metrics IS 'The newest snapshot''s metric values, as a JSON object {name: value}.';
COMMENT ON COLUMN lineage.model_freshness.last_accuracy IS 'The newest snapshot''s accuracy; NULL when it reported none.';
COMMENT ON COLUMN lineage.model_freshness.hours_since_last IS 'Hours from last_observed_at to now (the reading transaction''s start).';
COMMENT ON COLUMN lineage.model_freshness.recorded_at IS 'When the newest snapshot''s current revision was recorded.';
COMMENT ON COLUMN lineage.model_freshness.model_id IS 'The model''s id (orchestrator.model.id), for joins.';
COMMENT ON COLUMN lineage.model_freshness.model_version_id IS 'The version''s id (orchestrator.model_version.id), for joins.';
