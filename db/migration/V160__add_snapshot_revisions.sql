-- Revised snapshots: a source whose numbers are revised by design (a warehouse aggregate over late
-- labels) sends a changed value for a stored key; the change is stored as a new revision of the key
-- and the earlier revision is marked superseded, never overwritten. The current value of a key is
-- its one revision with superseded_at NULL; the value known at an instant T is the revision with
-- ingested_at <= T and (superseded_at IS NULL OR superseded_at > T).
ALTER TABLE orchestrator.metric_snapshot
    ADD COLUMN revision      integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
    ADD COLUMN replaces_id   bigint,
    ADD COLUMN superseded_at timestamptz,
    ADD COLUMN settled_at    timestamptz;
-- Snapshots stored before revisions existed could not be revised: final since they were recorded.
UPDATE orchestrator.metric_snapshot SET settled_at = ingested_at;
COMMENT ON COLUMN orchestrator.metric_snapshot.settled_at IS 'From when the window this snapshot describes is final (its value will not be revised): when it was recorded for a snapshot sent as final, observed_at plus the source''s settle time for a collector that declares one; NULL while provisional. A policy with settled_only counts the snapshot at an instant T only when settled_at <= T.';
COMMENT ON COLUMN orchestrator.metric_snapshot.revision IS 'Which revision of its key (model_version_id, observed_at, segment, source) this row is, from 1; a source that revises a value adds a row with the next number.';
COMMENT ON COLUMN orchestrator.metric_snapshot.replaces_id IS 'The id of the revision this one replaced (same key, revision - 1); NULL for a first revision.';
COMMENT ON COLUMN orchestrator.metric_snapshot.superseded_at IS 'When a later revision of the same key was recorded; NULL while this is the key''s current value. ingested_at is when this revision was recorded.';

-- One row per revision of a key, and at most one current revision per key.
ALTER TABLE orchestrator.metric_snapshot DROP CONSTRAINT metric_snapshot_model_version_id_observed_at_segment_source_key;
ALTER TABLE orchestrator.metric_snapshot
    ADD CONSTRAINT metric_snapshot_key_revision UNIQUE (model_version_id, observed_at, segment, source, revision);
CREATE UNIQUE INDEX metric_snapshot_current_key ON orchestrator.metric_snapshot (model_version_id, observed_at, segment, source)
    WHERE superseded_at IS NULL;

-- metric_value carries the same two instants so that "the value known at T" is read from the lookup
-- index alone (live evaluation reads at now, a backtest at each historical instant).
ALTER TABLE orchestrator.metric_value
    ADD COLUMN recorded_at   timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN superseded_at timestamptz,
    ADD COLUMN settled_at    timestamptz;
UPDATE orchestrator.metric_value v
   SET recorded_at = s.ingested_at, settled_at = s.ingested_at
  FROM orchestrator.metric_snapshot s
 WHERE s.id = v.snapshot_id AND s.observed_at = v.observed_at;
COMMENT ON COLUMN orchestrator.metric_value.recorded_at IS 'When the snapshot revision this value belongs to was recorded (its metric_snapshot.ingested_at).';
COMMENT ON COLUMN orchestrator.metric_value.settled_at IS 'From when the snapshot''s window is final (its metric_snapshot.settled_at); NULL while provisional.';
COMMENT ON COLUMN orchestrator.metric_value.superseded_at IS 'When a later revision of the snapshot''s key was recorded (its metric_snapshot.superseded_at); NULL while current.';

DROP INDEX orchestrator.metric_value_lookup;
CREATE INDEX metric_value_lookup ON orchestrator.metric_value (model_id, metric, observed_at DESC)
    INCLUDE (value, sample_count, model_version_id, snapshot_id, recorded_at, superseded_at, settled_at);
DROP INDEX orchestrator.metric_value_version_first;
CREATE INDEX metric_value_version_first ON orchestrator.metric_value (model_version_id, metric, observed_at)
    INCLUDE (value, sample_count, snapshot_id, recorded_at, superseded_at, settled_at);
