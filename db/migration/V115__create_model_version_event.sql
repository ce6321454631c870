-- The version lifecycle: candidate -> approved | rejected -> active -> retired (and retired -> active
-- by a rollback). Every change of model_version.status is one append-only row of
-- model_version_event, written in the same transaction as the status (model.VersionTransitions),
-- and at most one version per model is active (a partial unique index).

CREATE TABLE orchestrator.model_version_event (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model_version_id bigint      NOT NULL REFERENCES orchestrator.model_version (id),
    from_status      text        CHECK (from_status IN ('candidate', 'approved', 'rejected', 'active', 'retired')),
    to_status        text        NOT NULL CHECK (to_status IN ('candidate', 'approved', 'rejected', 'active', 'retired')),
    at               timestamptz NOT NULL DEFAULT now(),
    actor            text        NOT NULL
                     CHECK (actor ~ '^(gate|serving|verification|experiment|migration|operator:[A-Za-z0-9._@+-]{1,100})$'),
    reason           text        NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 500 AND reason !~ '[[:cntrl:]]'),
    evidence         jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(evidence) = 'object'),
    -- The lifecycle's graph. A registration has no from_status; the migration that introduced the
    -- lifecycle recorded every version's status as it found it, even unchanged.
    CONSTRAINT model_version_event_transition CHECK (
        actor = 'migration'
        OR (from_status IS NULL AND to_status IN ('candidate', 'active', 'retired'))
        OR (from_status, to_status) IN (('candidate', 'approved'), ('candidate', 'rejected'), ('approved', 'active'),
                                        ('approved', 'rejected'), ('rejected', 'approved'), ('active', 'retired'),
                                        ('retired', 'active')))
);
COMMENT ON TABLE orchestrator.model_version_event IS 'Every change of a model version''s status (and its registration), append-only, written in the same transaction as model_version.status; in id order per version, each row''s from_status is the previous row''s to_status.';
COMMENT ON COLUMN orchestrator.model_version_event.id IS 'Surrogate key, in the order the changes committed within a model (changes of one model are serialised by a lock on its row).';
COMMENT ON COLUMN orchestrator.model_version_event.model_version_id IS 'The version whose status changed (orchestrator.model_version.id).';
COMMENT ON COLUMN orchestrator.model_version_event.from_status IS 'Its status before the change; NULL when the version was registered by this event.';
COMMENT ON COLUMN orchestrator.model_version_event.to_status IS 'Its status after the change: candidate, approved, rejected, active or retired.';
COMMENT ON COLUMN orchestrator.model_version_event.at IS 'When the change was made (the start of its transaction; several changes of one transaction share it, id orders them).';
COMMENT ON COLUMN orchestrator.model_version_event.actor IS 'Who changed it: gate (the challenger gate), serving (snapshots reported by the serving stack), operator:<name> (the models commands), verification (post-deploy verification), experiment (registration of a candidate by its experiment), migration (the status found when the lifecycle was introduced).';
COMMENT ON COLUMN orchestrator.model_version_event.reason IS 'Why, in words (1-500 characters, no control characters).';
COMMENT ON COLUMN orchestrator.model_version_event.evidence IS 'What the decision rested on, as a JSON object: e.g. the ingest batch and the first observation that activated a version, the version retired or restored, an operator''s --force, the gate''s scores.';

CREATE INDEX model_version_event_by_version ON orchestrator.model_version_event (model_version_id, id);
-- Rollback looks for a model's most recent active -> retired change.
CREATE INDEX model_version_event_retirements ON orchestrator.model_version_event (model_version_id, id)
    WHERE from_status = 'active' AND to_status = 'retired';

-- ---------------------------------------------------------------- the statuses
ALTER TABLE orchestrator.model_version DROP CONSTRAINT model_version_status_check;
ALTER TABLE orchestrator.model_version ADD CONSTRAINT model_version_status_check
    CHECK (status IN ('candidate', 'approved', 'rejected', 'active', 'retired'));
-- A version inserted without a status does not serve until something records that it does.
ALTER TABLE orchestrator.model_version ALTER COLUMN status SET DEFAULT 'candidate';
COMMENT ON COLUMN orchestrator.model_version.status IS 'Where the version is in its lifecycle: candidate (produced, not yet judged), approved (judged better, waiting to serve), rejected, active (serving now; at most one per model) or retired (served before). Changed only together with a row of orchestrator.model_version_event.';
COMMENT ON COLUMN orchestrator.model_version.source IS 'How the version became known: ingest (first seen in a snapshot), experiment (registered by a finished experiment, as a candidate) or manual.';

-- ---------------------------------------------------------------- existing data
-- Per model: of the versions not produced by an experiment (the old schema made every ingest and
-- manual version 'active'), the one whose snapshots are the newest is active and the others are
-- retired; a version without any snapshot counts as the oldest. Experiment-produced versions
-- (status candidate) stay candidates. Every version gets one event with actor migration, the
-- retired ones first and in the order they last reported, so that the newest of them is the one
-- `models rollback` restores.
WITH found AS (
    SELECT v.id, v.model_id, v.status AS old_status, v.experiment_id,
           (SELECT max(s.observed_at) FROM orchestrator.metric_snapshot s WHERE s.model_version_id = v.id) AS last_observed_at
      FROM orchestrator.model_version v
), ranked AS (
    SELECT f.*,
           row_number() OVER (PARTITION BY f.model_id, f.old_status = 'candidate'
                              ORDER BY f.last_observed_at DESC NULLS LAST, f.id DESC) AS recency
      FROM found f
), decided AS (
    SELECT r.*,
           CASE WHEN r.old_status = 'candidate' THEN 'candidate'
                WHEN r.recency = 1 THEN 'active'
                ELSE 'retired' END AS new_status
      FROM ranked r
)
INSERT INTO orchestrator.model_version_event (model_version_id, from_status, to_status, actor, reason, evidence)
SELECT d.id, d.old_status, d.new_status, 'migration',
       CASE d.new_status
            WHEN 'candidate' THEN 'lifecycle introduced: produced by an experiment, not yet judged'
            WHEN 'active' THEN CASE WHEN d.last_observed_at IS NULL
                                    THEN 'lifecycle introduced: the model''s newest version, no snapshot yet'
                                    ELSE 'lifecycle introduced: the model''s version that reported most recently' END
            ELSE CASE WHEN d.last_observed_at IS NULL
                      THEN 'lifecycle introduced: an older version that never reported'
                      ELSE 'lifecycle introduced: an older version that reported before the active one' END
       END,
       -- timestamps in UTC, whatever the migrating session's time zone
       jsonb_strip_nulls(jsonb_build_object('previous_status', d.old_status,
                                            'last_observed_at', to_char(d.last_observed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                                            'experiment_id', d.experiment_id))
  FROM decided d
 ORDER BY d.model_id, d.new_status = 'active', d.last_observed_at NULLS FIRST, d.id;

UPDATE orchestrator.model_version v
   SET status = e.to_status
  FROM orchestrator.model_version_event e
 WHERE e.model_version_id = v.id AND e.actor = 'migration' AND v.status <> e.to_status;

CREATE UNIQUE INDEX model_version_one_active ON orchestrator.model_version (model_id) WHERE status = 'active';
COMMENT ON INDEX orchestrator.model_version_one_active IS 'At most one active (serving) version per model.';

-- The events are lineage: the database's reader role reads them like the other documented tables
-- (V117 names the table in orchestrator.grant_database_roles, run after every migrate).
