-- Schema v1 of the orchestrator's own tables (Flyway creates the schema orchestrator). Quartz and Spring Batch get their own
-- schemas in V2 and V3 so one Flyway history describes the whole database.
COMMENT ON SCHEMA orchestrator IS 'VisuTility Orchestrator: models, metric snapshots, retrain policies, experiments, trials and their lineage.';

-- ---------------------------------------------------------------- models
CREATE TABLE orchestrator.model (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text        NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9_.:/-]{1,250}$'),
    description text,
    created_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE orchestrator.model IS 'A production model the orchestrator watches; registered on first sight by a collector or explicitly.';
COMMENT ON COLUMN orchestrator.model.id IS 'Surrogate key.';
COMMENT ON COLUMN orchestrator.model.name IS 'The model''s name as collectors and policies spell it (1-250 characters of [A-Za-z0-9_.:/-]).';
COMMENT ON COLUMN orchestrator.model.description IS 'Free text for humans.';
COMMENT ON COLUMN orchestrator.model.created_at IS 'When the model was first registered.';

CREATE TABLE orchestrator.model_version (
    id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model_id               bigint      NOT NULL REFERENCES orchestrator.model (id),
    version                text        NOT NULL CHECK (version ~ '^[A-Za-z0-9_.:/-]{1,250}$'),
    source                 text        NOT NULL DEFAULT 'ingest' CHECK (source IN ('ingest', 'experiment', 'manual')),
    experiment_id          bigint,
    hyperparameter_set_id  bigint,
    artifact_uri           text,
    status                 text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'candidate', 'retired')),
    created_at             timestamptz NOT NULL DEFAULT now(),
    UNIQUE (model_id, version)
);
COMMENT ON TABLE orchestrator.model_version IS 'A version of a model: seen in production (source ingest) or produced by an experiment (source experiment, status candidate).';
COMMENT ON COLUMN orchestrator.model_version.id IS 'Surrogate key.';
COMMENT ON COLUMN orchestrator.model_version.model_id IS 'The model this is a version of.';
COMMENT ON COLUMN orchestrator.model_version.version IS 'The version label as collectors spell it, e.g. v3.';
COMMENT ON COLUMN orchestrator.model_version.source IS 'How the version became known: ingest (first seen in a snapshot), experiment (registered by a finished experiment) or manual.';
COMMENT ON COLUMN orchestrator.model_version.experiment_id IS 'The experiment that produced this version, when source is experiment.';
COMMENT ON COLUMN orchestrator.model_version.hyperparameter_set_id IS 'The winning hyperparameter set this version was trained with, when produced by an experiment.';
COMMENT ON COLUMN orchestrator.model_version.artifact_uri IS 'Where the trained artifact lives, when the trainer reported one.';
COMMENT ON COLUMN orchestrator.model_version.status IS 'active (serving), candidate (produced, not yet promoted) or retired.';
COMMENT ON COLUMN orchestrator.model_version.created_at IS 'When the version was registered.';

-- ---------------------------------------------------------------- snapshots
CREATE TABLE orchestrator.ingest_batch (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel        text        NOT NULL CHECK (channel IN ('http', 'file', 'sql', 'demo')),
    origin         text,
    received_at    timestamptz NOT NULL DEFAULT now(),
    snapshot_count integer     NOT NULL CHECK (snapshot_count >= 0),
    inserted_count integer     NOT NULL DEFAULT 0 CHECK (inserted_count >= 0)
);
COMMENT ON TABLE orchestrator.ingest_batch IS 'One accepted batch of snapshots, written in the same transaction as its snapshots.';
COMMENT ON COLUMN orchestrator.ingest_batch.id IS 'Surrogate key.';
COMMENT ON COLUMN orchestrator.ingest_batch.channel IS 'The path the batch came by: http (POST /api/v1/snapshots), file (orchestrator ingest), sql (a SQL collector) or demo.';
COMMENT ON COLUMN orchestrator.ingest_batch.origin IS 'Who sent it: the client address, the file name or the SQL collector''s name.';
COMMENT ON COLUMN orchestrator.ingest_batch.received_at IS 'When the batch was accepted.';
COMMENT ON COLUMN orchestrator.ingest_batch.snapshot_count IS 'How many snapshots the batch held.';
COMMENT ON COLUMN orchestrator.ingest_batch.inserted_count IS 'How many of them were new (the rest were duplicates of stored snapshots).';

-- Snapshots are range-partitioned by month of observed_at so that old history is dropped
-- by dropping a partition (orchestrator.drop_snapshot_partitions_before), never by DELETE.
CREATE TABLE orchestrator.metric_snapshot (
    id               bigint      GENERATED ALWAYS AS IDENTITY,
    model_id         bigint      NOT NULL,
    model_version_id bigint      NOT NULL,
    observed_at      timestamptz NOT NULL,
    segment          text        NOT NULL DEFAULT '',
    source           text        NOT NULL DEFAULT '',
    sample_count     bigint      NOT NULL CHECK (sample_count >= 0),
    metrics          jsonb       NOT NULL,
    batch_id         bigint,
    ingested_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (id, observed_at),
    UNIQUE (model_version_id, observed_at, segment, source)
) PARTITION BY RANGE (observed_at);
COMMENT ON TABLE orchestrator.metric_snapshot IS 'One observation of a model version''s metrics at a time, for a segment, from a source. Natural key (model_version_id, observed_at, segment, source) makes ingest idempotent. Partitioned by month of observed_at.';
COMMENT ON COLUMN orchestrator.metric_snapshot.id IS 'Surrogate key (unique together with observed_at); evaluations cite it as evidence.';
COMMENT ON COLUMN orchestrator.metric_snapshot.model_id IS 'The model (denormalised from the version for index lookups).';
COMMENT ON COLUMN orchestrator.metric_snapshot.model_version_id IS 'The model version observed.';
COMMENT ON COLUMN orchestrator.metric_snapshot.observed_at IS 'When the metrics were observed (the end of the window they describe).';
COMMENT ON COLUMN orchestrator.metric_snapshot.segment IS 'The slice of traffic, e.g. a region; empty for all traffic.';
COMMENT ON COLUMN orchestrator.metric_snapshot.source IS 'Who measured it, e.g. serving or a collector''s name; empty when not given.';
COMMENT ON COLUMN orchestrator.metric_snapshot.sample_count IS 'How many predictions the metrics were computed over.';
COMMENT ON COLUMN orchestrator.metric_snapshot.metrics IS 'All metric values as a JSON object {name: value}; the same values, one row each, are in metric_value.';
COMMENT ON COLUMN orchestrator.metric_snapshot.batch_id IS 'The ingest batch that brought it (orchestrator.ingest_batch).';
COMMENT ON COLUMN orchestrator.metric_snapshot.ingested_at IS 'When it was stored.';

CREATE INDEX metric_snapshot_model_time ON orchestrator.metric_snapshot (model_id, observed_at DESC);

-- One row per (snapshot, metric): "the last N values of metric M for model X" is a
-- backward scan of metric_value_lookup, whatever the history length.
CREATE TABLE orchestrator.metric_value (
    snapshot_id      bigint           NOT NULL,
    observed_at      timestamptz      NOT NULL,
    model_id         bigint           NOT NULL,
    model_version_id bigint           NOT NULL,
    metric           text             NOT NULL,
    value            double precision NOT NULL,
    sample_count     bigint           NOT NULL,
    PRIMARY KEY (snapshot_id, metric, observed_at)
) PARTITION BY RANGE (observed_at);
COMMENT ON TABLE orchestrator.metric_value IS 'One metric value of one snapshot, partitioned like metric_snapshot and dropped with it; indexed for the last values of a metric per model.';
COMMENT ON COLUMN orchestrator.metric_value.snapshot_id IS 'The snapshot (metric_snapshot.id) the value belongs to.';
COMMENT ON COLUMN orchestrator.metric_value.observed_at IS 'The snapshot''s observed_at (the partition key).';
COMMENT ON COLUMN orchestrator.metric_value.model_id IS 'The snapshot''s model.';
COMMENT ON COLUMN orchestrator.metric_value.model_version_id IS 'The snapshot''s model version.';
COMMENT ON COLUMN orchestrator.metric_value.metric IS 'The metric''s name, e.g. accuracy.';
COMMENT ON COLUMN orchestrator.metric_value.value IS 'The metric''s value (finite).';
COMMENT ON COLUMN orchestrator.metric_value.sample_count IS 'The snapshot''s sample count, copied so that weighted aggregates need no join.';

CREATE INDEX metric_value_lookup ON orchestrator.metric_value (model_id, metric, observed_at DESC) INCLUDE (value, sample_count, model_version_id);

-- Monthly partitions are created on demand (ingest calls this for each month a batch
-- touches); an advisory lock serialises concurrent creators of the same month.
CREATE FUNCTION orchestrator.ensure_snapshot_partition(at timestamptz) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    month_start timestamptz := date_trunc('month', at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    month_end   timestamptz := (date_trunc('month', at AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC';
    suffix      text        := to_char(at AT TIME ZONE 'UTC', 'YYYY_MM');
BEGIN
    IF to_regclass('orchestrator.metric_snapshot_' || suffix) IS NOT NULL
       AND to_regclass('orchestrator.metric_value_' || suffix) IS NOT NULL THEN
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('orchestrator.snapshot_partition'));
    EXECUTE format('CREATE TABLE IF NOT EXISTS orchestrator.%I PARTITION OF orchestrator.metric_snapshot FOR VALUES FROM (%L) TO (%L)',
                   'metric_snapshot_' || suffix, month_start, month_end);
    EXECUTE format('CREATE TABLE IF NOT EXISTS orchestrator.%I PARTITION OF orchestrator.metric_value FOR VALUES FROM (%L) TO (%L)',
                   'metric_value_' || suffix, month_start, month_end);
    EXECUTE format('COMMENT ON TABLE orchestrator.%I IS %L', 'metric_snapshot_' || suffix,
                   'Partition of metric_snapshot for ' || suffix || ' (UTC).');
    EXECUTE format('COMMENT ON TABLE orchestrator.%I IS %L', 'metric_value_' || suffix,
                   'Partition of metric_value for ' || suffix || ' (UTC).');
END $$;
COMMENT ON FUNCTION orchestrator.ensure_snapshot_partition(timestamptz) IS 'Creates the monthly partitions of metric_snapshot and metric_value that hold the given instant, if missing.';

CREATE FUNCTION orchestrator.drop_snapshot_partitions_before(cutoff timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    part    record;
    dropped integer := 0;
BEGIN
    FOR part IN
        SELECT c.relname
          FROM pg_inherits i
          JOIN pg_class c ON c.oid = i.inhrelid
          JOIN pg_class p ON p.oid = i.inhparent
          JOIN pg_namespace n ON n.oid = p.relnamespace
         WHERE n.nspname = 'orchestrator'
           AND p.relname IN ('metric_snapshot', 'metric_value')
           AND to_date(right(c.relname, 7), 'YYYY_MM') + interval '1 month' <= cutoff AT TIME ZONE 'UTC'
    LOOP
        EXECUTE format('DROP TABLE orchestrator.%I', part.relname);
        dropped := dropped + 1;
    END LOOP;
    RETURN dropped;
END $$;
COMMENT ON FUNCTION orchestrator.drop_snapshot_partitions_before(timestamptz) IS 'Drops every monthly snapshot partition whose month ends at or before the cutoff; returns how many partitions were dropped.';

-- ---------------------------------------------------------------- policies
CREATE TABLE orchestrator.retrain_policy (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            text        NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9_.:/-]{1,250}$'),
    model_id        bigint      NOT NULL REFERENCES orchestrator.model (id),
    current_version integer     NOT NULL DEFAULT 1,
    enabled         boolean     NOT NULL DEFAULT true,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE orchestrator.retrain_policy IS 'A named retrain policy for a model; its definition lives in retrain_policy_version.';
COMMENT ON COLUMN orchestrator.retrain_policy.id IS 'Surrogate key.';
COMMENT ON COLUMN orchestrator.retrain_policy.name IS 'The policy''s name as written in the policy file.';
COMMENT ON COLUMN orchestrator.retrain_policy.model_id IS 'The model the policy watches.';
COMMENT ON COLUMN orchestrator.retrain_policy.current_version IS 'The version number evaluated now (retrain_policy_version.version).';
COMMENT ON COLUMN orchestrator.retrain_policy.enabled IS 'False when the policy was removed from its file; its history stays.';
COMMENT ON COLUMN orchestrator.retrain_policy.created_at IS 'When the policy was first applied.';
COMMENT ON COLUMN orchestrator.retrain_policy.updated_at IS 'When the policy last changed.';

CREATE TABLE orchestrator.retrain_policy_version (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    policy_id   bigint      NOT NULL REFERENCES orchestrator.retrain_policy (id),
    version     integer     NOT NULL CHECK (version >= 1),
    spec        jsonb       NOT NULL,
    spec_sha256 text        NOT NULL CHECK (spec_sha256 ~ '^[0-9a-f]{64}$'),
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (policy_id, version)
);
COMMENT ON TABLE orchestrator.retrain_policy_version IS 'An immutable version of a policy''s definition; a changed policy is a new row, and evaluations point at the version they used.';
COMMENT ON COLUMN orchestrator.retrain_policy_version.id IS 'Surrogate key.';
COMMENT ON COLUMN orchestrator.retrain_policy_version.policy_id IS 'The policy.';
COMMENT ON COLUMN orchestrator.retrain_policy_version.version IS 'Version number within the policy, from 1.';
COMMENT ON COLUMN orchestrator.retrain_policy_version.spec IS 'The policy as applied (conditions, for, cooldown, experiment spec), normalised to JSON.';
COMMENT ON COLUMN orchestrator.retrain_policy_version.spec_sha256 IS 'SHA-256 of the normalised spec; applying an identical spec creates no new version.';
COMMENT ON COLUMN orchestrator.retrain_policy_version.created_at IS 'When this version was applied.';

CREATE TABLE orchestrator.policy_state (
    policy_id         bigint           NOT NULL REFERENCES orchestrator.retrain_policy (id),
    model_id          bigint           NOT NULL REFERENCES orchestrator.model (id),
    state             text             NOT NULL CHECK (state IN ('ok', 'pending', 'firing', 'resolved')),
    since             timestamptz      NOT NULL,
    last_evaluated_at timestamptz,
    last_observed     double precision,
    PRIMARY KEY (policy_id, model_id)
);
COMMENT ON TABLE orchestrator.policy_state IS 'The current state of each (policy, model), as in Prometheus alerting: ok, pending (condition holds), firing (held for the policy''s for:), resolved.';
COMMENT ON COLUMN orchestrator.policy_state.policy_id IS 'The policy.';
COMMENT ON COLUMN orchestrator.policy_state.model_id IS 'The model.';
COMMENT ON COLUMN orchestrator.policy_state.state IS 'ok, pending, firing or resolved.';
COMMENT ON COLUMN orchestrator.policy_state.since IS 'When the current state began.';
COMMENT ON COLUMN orchestrator.policy_state.last_evaluated_at IS 'When the policy was last evaluated for this model.';
COMMENT ON COLUMN orchestrator.policy_state.last_observed IS 'The observed value at the last evaluation.';

CREATE TABLE orchestrator.policy_evaluation (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    policy_version_id     bigint           NOT NULL REFERENCES orchestrator.retrain_policy_version (id),
    model_id              bigint           NOT NULL REFERENCES orchestrator.model (id),
    evaluated_at          timestamptz      NOT NULL,
    from_state            text             NOT NULL CHECK (from_state IN ('ok', 'pending', 'firing', 'resolved')),
    to_state              text             NOT NULL CHECK (to_state IN ('ok', 'pending', 'firing', 'resolved')),
    condition             text,
    observed              double precision,
    threshold             double precision,
    evidence_snapshot_ids bigint[]         NOT NULL DEFAULT '{}',
    detail                jsonb,
    experiment_id         bigint
);
COMMENT ON TABLE orchestrator.policy_evaluation IS 'Every state change of a (policy, model) with its evidence: the observed value, the threshold and the snapshots it was computed from.';
COMMENT ON COLUMN orchestrator.policy_evaluation.id IS 'Surrogate key.';
COMMENT ON COLUMN orchestrator.policy_evaluation.policy_version_id IS 'The policy version that was evaluated.';
COMMENT ON COLUMN orchestrator.policy_evaluation.model_id IS 'The model evaluated.';
COMMENT ON COLUMN orchestrator.policy_evaluation.evaluated_at IS 'When the evaluation ran.';
COMMENT ON COLUMN orchestrator.policy_evaluation.from_state IS 'The state before.';
COMMENT ON COLUMN orchestrator.policy_evaluation.to_state IS 'The state after.';
COMMENT ON COLUMN orchestrator.policy_evaluation.condition IS 'The condition that decided, e.g. mean(accuracy, 6h) below 0.85.';
COMMENT ON COLUMN orchestrator.policy_evaluation.observed IS 'The observed value of the condition.';
COMMENT ON COLUMN orchestrator.policy_evaluation.threshold IS 'The threshold it was compared with.';
COMMENT ON COLUMN orchestrator.policy_evaluation.evidence_snapshot_ids IS 'The metric_snapshot ids the observed value was computed from.';
COMMENT ON COLUMN orchestrator.policy_evaluation.detail IS 'Every condition''s observed value and verdict, as JSON.';
COMMENT ON COLUMN orchestrator.policy_evaluation.experiment_id IS 'The experiment this evaluation enqueued, when it fired one.';
CREATE INDEX policy_evaluation_model_time ON orchestrator.policy_evaluation (model_id, evaluated_at DESC);

-- ---------------------------------------------------------------- experiments
CREATE TABLE orchestrator.experiment (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model_id             bigint      NOT NULL REFERENCES orchestrator.model (id),
    policy_id            bigint      REFERENCES orchestrator.retrain_policy (id),
    policy_evaluation_id bigint      REFERENCES orchestrator.policy_evaluation (id),
    trigger              text        NOT NULL CHECK (trigger IN ('policy', 'submit', 'demo')),
    spec                 jsonb       NOT NULL,
    spec_sha256          text        NOT NULL CHECK (spec_sha256 ~ '^[0-9a-f]{64}$'),
    status               text        NOT NULL DEFAULT 'queued'
                                     CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'abandoned')),
    queued_at            timestamptz NOT NULL DEFAULT now(),
    started_at           timestamptz,
    finished_at          timestamptz,
    owner                text,
    heartbeat_at         timestamptz,
    version              integer     NOT NULL DEFAULT 0,
    attempt              integer     NOT NULL DEFAULT 0,
    job_execution_id     bigint,
    error                text,
    orchestrator_version text
);
COMMENT ON TABLE orchestrator.experiment IS 'A tuning run for a model: queued by a firing policy or submitted directly, run as a Spring Batch job.';
COMMENT ON COLUMN orchestrator.experiment.id IS 'Surrogate key; the ID that experiments and ops commands take.';
COMMENT ON COLUMN orchestrator.experiment.model_id IS 'The model being retrained.';
COMMENT ON COLUMN orchestrator.experiment.policy_id IS 'The policy that triggered it, if any.';
COMMENT ON COLUMN orchestrator.experiment.policy_evaluation_id IS 'The firing evaluation (with its evidence) that triggered it, if any.';
COMMENT ON COLUMN orchestrator.experiment.trigger IS 'policy (a firing policy), submit (orchestrator experiments submit) or demo.';
COMMENT ON COLUMN orchestrator.experiment.spec IS 'The experiment spec as validated (objective, strategy, budget, space, trainer, pruning).';
COMMENT ON COLUMN orchestrator.experiment.spec_sha256 IS 'SHA-256 of the normalised spec, for reproducibility.';
COMMENT ON COLUMN orchestrator.experiment.status IS 'queued, running, succeeded, failed, cancelled or abandoned.';
COMMENT ON COLUMN orchestrator.experiment.queued_at IS 'When it was queued.';
COMMENT ON COLUMN orchestrator.experiment.started_at IS 'When a node first started it.';
COMMENT ON COLUMN orchestrator.experiment.finished_at IS 'When it reached a final status.';
COMMENT ON COLUMN orchestrator.experiment.owner IS 'The Quartz instance id of the node running it.';
COMMENT ON COLUMN orchestrator.experiment.heartbeat_at IS 'The owner''s last heartbeat; a stale heartbeat together with a stale Quartz check-in marks the run orphaned.';
COMMENT ON COLUMN orchestrator.experiment.version IS 'Fencing counter: every state write checks and increments it, so a node that lost ownership cannot overwrite.';
COMMENT ON COLUMN orchestrator.experiment.attempt IS 'How many times a run of it has been started (restarts and rescues included).';
COMMENT ON COLUMN orchestrator.experiment.job_execution_id IS 'The latest Spring Batch job execution (batch.batch_job_execution) running it.';
COMMENT ON COLUMN orchestrator.experiment.error IS 'Why it failed, when it did.';
COMMENT ON COLUMN orchestrator.experiment.orchestrator_version IS 'The orchestrator version that ran it.';

-- At most one open experiment per (model, policy), enforced by the database.
CREATE UNIQUE INDEX experiment_one_open_per_policy ON orchestrator.experiment (model_id, policy_id)
    WHERE status IN ('queued', 'running') AND policy_id IS NOT NULL;
CREATE INDEX experiment_status ON orchestrator.experiment (status, queued_at);

ALTER TABLE orchestrator.policy_evaluation
    ADD CONSTRAINT policy_evaluation_experiment_fk FOREIGN KEY (experiment_id) REFERENCES orchestrator.experiment (id);
ALTER TABLE orchestrator.model_version
    ADD CONSTRAINT model_version_experiment_fk FOREIGN KEY (experiment_id) REFERENCES orchestrator.experiment (id);

CREATE TABLE orchestrator.trial (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    experiment_id bigint           NOT NULL REFERENCES orchestrator.experiment (id),
    number      integer            NOT NULL CHECK (number >= 0),
    params      jsonb              NOT NULL,
    status      text               NOT NULL CHECK (status IN ('running', 'complete', 'failed', 'pruned')),
    score       double precision,
    metrics     jsonb,
    reports     jsonb              NOT NULL DEFAULT '[]',
    started_at  timestamptz        NOT NULL DEFAULT now(),
    finished_at timestamptz,
    attempt     integer            NOT NULL DEFAULT 1 CHECK (attempt >= 1),
    worker      text,
    error       text,
    UNIQUE (experiment_id, number)
);
COMMENT ON TABLE orchestrator.trial IS 'One trial of an experiment: the hyperparameters proposed, what the trainer reported, and its outcome. Each trial number is recorded once.';
COMMENT ON COLUMN orchestrator.trial.id IS 'Surrogate key.';
COMMENT ON COLUMN orchestrator.trial.experiment_id IS 'The experiment.';
COMMENT ON COLUMN orchestrator.trial.number IS 'The trial''s number within the experiment, from 0.';
COMMENT ON COLUMN orchestrator.trial.params IS 'The hyperparameters, as a JSON object.';
COMMENT ON COLUMN orchestrator.trial.status IS 'running, complete, failed or pruned.';
COMMENT ON COLUMN orchestrator.trial.score IS 'The objective metric''s final value, when complete.';
COMMENT ON COLUMN orchestrator.trial.metrics IS 'Every final metric the trainer reported.';
COMMENT ON COLUMN orchestrator.trial.reports IS 'The intermediate reports (with step) in order, as a JSON array.';
COMMENT ON COLUMN orchestrator.trial.started_at IS 'When the current attempt started.';
COMMENT ON COLUMN orchestrator.trial.finished_at IS 'When it finished.';
COMMENT ON COLUMN orchestrator.trial.attempt IS 'How many times this trial number was started; above 1 when a crash interrupted it.';
COMMENT ON COLUMN orchestrator.trial.worker IS 'The node (Quartz instance id) that ran the attempt.';
COMMENT ON COLUMN orchestrator.trial.error IS 'Why it failed: the reason and the tail of the trainer''s stderr.';

CREATE TABLE orchestrator.hyperparameter_set (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    experiment_id bigint           NOT NULL UNIQUE REFERENCES orchestrator.experiment (id),
    trial_id      bigint           NOT NULL REFERENCES orchestrator.trial (id),
    params        jsonb            NOT NULL,
    score         double precision NOT NULL,
    created_at    timestamptz      NOT NULL DEFAULT now()
);
COMMENT ON TABLE orchestrator.hyperparameter_set IS 'The best hyperparameters an experiment found (one per experiment), from its best trial.';
COMMENT ON COLUMN orchestrator.hyperparameter_set.id IS 'Surrogate key.';
COMMENT ON COLUMN orchestrator.hyperparameter_set.experiment_id IS 'The experiment.';
COMMENT ON COLUMN orchestrator.hyperparameter_set.trial_id IS 'The best trial.';
COMMENT ON COLUMN orchestrator.hyperparameter_set.params IS 'Its hyperparameters.';
COMMENT ON COLUMN orchestrator.hyperparameter_set.score IS 'Its objective score.';
COMMENT ON COLUMN orchestrator.hyperparameter_set.created_at IS 'When it was recorded.';

ALTER TABLE orchestrator.model_version
    ADD CONSTRAINT model_version_hyperparameter_set_fk FOREIGN KEY (hyperparameter_set_id) REFERENCES orchestrator.hyperparameter_set (id);
