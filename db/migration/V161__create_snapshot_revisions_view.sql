-- Revisions on the write side: a batch records how many changed values it stored as revisions,
-- analysts read each key's revisions in one view, and the views that show a model's latest values
-- read only current revisions.

ALTER TABLE orchestrator.ingest_batch
    ADD COLUMN revised_count integer NOT NULL DEFAULT 0 CHECK (revised_count >= 0);
COMMENT ON COLUMN orchestrator.ingest_batch.revised_count IS 'How many of its snapshots changed the value of a stored key and were stored as that key''s next revision (a source with on_changed_value revise); the earlier revisions were marked superseded.';
COMMENT ON COLUMN orchestrator.ingest_batch.inserted_count IS 'How many of its snapshots had a new key (stored as revision 1); the rest were revisions (revised_count) or duplicates of stored values.';

CREATE VIEW lineage.snapshot_revisions AS
SELECT s.id                     AS snapshot_id,
       m.name                   AS model,
       mv.version,
       s.observed_at,
       s.segment,
       s.source,
       s.revision,
       s.superseded_at IS NULL  AS is_current,
       s.sample_count,
       s.metrics,
       s.ingested_at            AS recorded_at,
       s.superseded_at,
       s.settled_at,
       s.replaces_id,
       s.batch_id,
       b.channel,
       b.origin,
       s.model_id,
       s.model_version_id
  FROM orchestrator.metric_snapshot s
  JOIN orchestrator.model m ON m.id = s.model_id
  JOIN orchestrator.model_version mv ON mv.id = s.model_version_id
  LEFT JOIN orchestrator.ingest_batch b ON b.id = s.batch_id;
COMMENT ON VIEW lineage.snapshot_revisions IS 'Every revision of every snapshot key (model, version, observed_at, segment, source): its value, when it was recorded, superseded and settled, what it replaced and the batch that brought it. A key never revised has one row (revision 1). Filter on model and observed_at: the snapshot tables are partitioned by month of observed_at.';
COMMENT ON COLUMN lineage.snapshot_revisions.snapshot_id IS 'The revision''s row (orchestrator.metric_snapshot.id); evaluations cite it as evidence.';
COMMENT ON COLUMN lineage.snapshot_revisions.model IS 'The model.';
COMMENT ON COLUMN lineage.snapshot_revisions.version IS 'The model version observed.';
COMMENT ON COLUMN lineage.snapshot_revisions.observed_at IS 'The end of the window the value describes (part of the key).';
COMMENT ON COLUMN lineage.snapshot_revisions.segment IS 'The slice of traffic (part of the key); empty for all traffic.';
COMMENT ON COLUMN lineage.snapshot_revisions.source IS 'Who measured it, e.g. serving or a SQL collector''s name (part of the key).';
COMMENT ON COLUMN lineage.snapshot_revisions.revision IS 'Which revision of its key this is, from 1.';
COMMENT ON COLUMN lineage.snapshot_revisions.is_current IS 'True for the key''s current value (superseded_at NULL): exactly one revision per key.';
COMMENT ON COLUMN lineage.snapshot_revisions.sample_count IS 'How many predictions this revision''s metrics were computed over.';
COMMENT ON COLUMN lineage.snapshot_revisions.metrics IS 'This revision''s metric values as a JSON object {name: value}.';
COMMENT ON COLUMN lineage.snapshot_revisions.recorded_at IS 'When this revision was recorded (metric_snapshot.ingested_at): from then on it was the known value of its key.';
COMMENT ON COLUMN lineage.snapshot_revisions.superseded_at IS 'When the next revision was recorded; NULL while current. The revision was the known value from recorded_at until superseded_at.';
COMMENT ON COLUMN lineage.snapshot_revisions.settled_at IS 'From when the window is final: when recorded for a snapshot sent as final, observed_at plus the collector''s settle time, or when a final re-send of the same value came; NULL while provisional. A settled window is not revised.';
COMMENT ON COLUMN lineage.snapshot_revisions.replaces_id IS 'The snapshot_id of the revision this one replaced; NULL for revision 1.';
COMMENT ON COLUMN lineage.snapshot_revisions.batch_id IS 'The ingest batch that brought this revision (orchestrator.ingest_batch.id).';
COMMENT ON COLUMN lineage.snapshot_revisions.channel IS 'The path that batch came by: http, file, sql (a SQL collector) or demo.';
COMMENT ON COLUMN lineage.snapshot_revisions.origin IS 'Who sent that batch: the client address, the file name or the SQL collector''s name.';
COMMENT ON COLUMN lineage.snapshot_revisions.model_id IS 'The model''s id (orchestrator.model.id).';
COMMENT ON COLUMN lineage.snapshot_revisions.model_version_id IS 'The version''s id (orchestrator.model_version.id).';

-- model_health's latest values are the current revisions' (a superseded value is history, not health).
CREATE OR REPLACE VIEW lineage.model_health AS
SELECT m.name                  AS model,
       mv.version,
       mv.status               AS version_status,
       mv.source               AS version_source,
       latest.observed_at      AS last_observed_at,
       latest.metrics          AS latest_metrics,
       states.policy_states,
       retrain.last_retrain_at,
       open.open_experiments
  FROM orchestrator.model_version mv
  JOIN orchestrator.model m ON m.id = mv.model_id
  LEFT JOIN LATERAL (
        SELECT max(v.observed_at) AS observed_at, jsonb_object_agg(v.metric, v.value) AS metrics
          FROM (SELECT DISTINCT ON (mvl.metric) mvl.metric, mvl.value, mvl.observed_at
                  FROM orchestrator.metric_value mvl
                 WHERE mvl.model_id = mv.model_id AND mvl.model_version_id = mv.id AND mvl.superseded_at IS NULL
                 ORDER BY mvl.metric, mvl.observed_at DESC) v) latest ON true
  LEFT JOIN LATERAL (
        SELECT jsonb_object_agg(p.name, ps.state) AS policy_states
          FROM orchestrator.policy_state ps JOIN orchestrator.retrain_policy p ON p.id = ps.policy_id
         WHERE ps.model_id = mv.model_id) states ON true
  LEFT JOIN LATERAL (
        SELECT max(e.finished_at) AS last_retrain_at FROM orchestrator.experiment e
         WHERE e.model_id = mv.model_id AND e.status = 'succeeded') retrain ON true
  LEFT JOIN LATERAL (
        SELECT count(*) AS open_experiments FROM orchestrator.experiment e
         WHERE e.model_id = mv.model_id AND e.status IN ('queued', 'running')) open ON true;
COMMENT ON COLUMN lineage.model_health.latest_metrics IS 'The latest current value of each metric of this version (a revised value''s latest revision), as a JSON object.';
