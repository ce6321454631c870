-- Every attempt of every trial, each with its own start, end and node. orchestrator.trial keeps only
-- the current attempt (started_at, worker, attempt are overwritten when a restart or a takeover runs
-- a trial again), so the compute spent on attempts a crash or a failure cut short was lost.
-- Triggers write the rows in the very transaction that changes the trial or its experiment, so every
-- path is covered without being touched: a trial opened, re-opened after a restart or takeover, run
-- again by a retry round, finished, or closed by a cancel or an abandon; a run failing, being
-- requeued by the rescuer or taken over while its trials were running.

CREATE TABLE orchestrator.trial_attempt (
    id                   bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    trial_id             bigint      NOT NULL REFERENCES orchestrator.trial (id),
    experiment_id        bigint      NOT NULL REFERENCES orchestrator.experiment (id),
    trial_number         integer     NOT NULL,
    attempt              integer     NOT NULL CHECK (attempt >= 1),
    worker               text,
    orchestrator_version text,
    started_at           timestamptz NOT NULL,
    ended_at             timestamptz,
    outcome              text        NOT NULL DEFAULT 'running'
                                     CHECK (outcome IN ('running', 'complete', 'failed', 'pruned', 'interrupted')),
    error                text,
    CONSTRAINT trial_attempt_once UNIQUE (trial_id, attempt)
);
COMMENT ON TABLE orchestrator.trial_attempt IS 'One row per attempt of a trial: when and where it ran and how it ended. Written by triggers in the transaction that starts or ends the attempt; a row is inserted when the attempt starts and its end is written once. Trials recorded before this table existed have one row, for their last attempt.';
COMMENT ON COLUMN orchestrator.trial_attempt.id IS 'Surrogate key, in the order the attempts started.';
COMMENT ON COLUMN orchestrator.trial_attempt.trial_id IS 'The trial (orchestrator.trial.id).';
COMMENT ON COLUMN orchestrator.trial_attempt.experiment_id IS 'The trial''s experiment.';
COMMENT ON COLUMN orchestrator.trial_attempt.trial_number IS 'The trial''s number within the experiment.';
COMMENT ON COLUMN orchestrator.trial_attempt.attempt IS 'Which attempt, from 1 (orchestrator.trial.attempt when it started).';
COMMENT ON COLUMN orchestrator.trial_attempt.worker IS 'The node that ran it.';
COMMENT ON COLUMN orchestrator.trial_attempt.orchestrator_version IS 'The orchestrator version of that node.';
COMMENT ON COLUMN orchestrator.trial_attempt.started_at IS 'When the attempt started.';
COMMENT ON COLUMN orchestrator.trial_attempt.ended_at IS 'When it ended: when its outcome was written, when its run failed or was cancelled, or, for a run requeued or taken over from a node that was gone, that node''s last heartbeat (the attempt''s start when that was later). NULL while it runs, and for an interrupted attempt whose end is unknown.';
COMMENT ON COLUMN orchestrator.trial_attempt.outcome IS 'running; complete, failed or pruned (the trial''s outcome, written by this attempt); interrupted (its run failed, was requeued or taken over while the attempt ran: the trial ran again, or stays open until a restart).';
COMMENT ON COLUMN orchestrator.trial_attempt.error IS 'Why it failed, when its outcome is failed.';

CREATE INDEX trial_attempt_open ON orchestrator.trial_attempt (experiment_id) WHERE outcome = 'running';
CREATE INDEX trial_attempt_started ON orchestrator.trial_attempt (started_at);

-- What existed before: each trial's last attempt (its earlier ones were never recorded).
INSERT INTO orchestrator.trial_attempt (trial_id, experiment_id, trial_number, attempt, worker, orchestrator_version,
                                        started_at, ended_at, outcome, error)
SELECT t.id, t.experiment_id, t.number, t.attempt, t.worker, t.orchestrator_version, t.started_at, t.finished_at,
       CASE WHEN t.status <> 'running' THEN t.status
            WHEN e.status = 'running' THEN 'running'
            ELSE 'interrupted' END,
       CASE WHEN t.status = 'failed' THEN t.error END
  FROM orchestrator.trial t
  JOIN orchestrator.experiment e ON e.id = t.experiment_id
 ORDER BY t.id;

CREATE FUNCTION orchestrator.record_trial_attempt() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.attempt IS DISTINCT FROM OLD.attempt THEN
        -- run again (restart, takeover, retry round): the previous attempt, if still open, was cut short
        UPDATE orchestrator.trial_attempt
           SET outcome = 'interrupted'
         WHERE trial_id = OLD.id AND attempt = OLD.attempt AND outcome = 'running';
    END IF;
    IF TG_OP = 'INSERT' OR NEW.attempt IS DISTINCT FROM OLD.attempt THEN
        INSERT INTO orchestrator.trial_attempt (trial_id, experiment_id, trial_number, attempt, worker, orchestrator_version,
                                                started_at)
        VALUES (NEW.id, NEW.experiment_id, NEW.number, NEW.attempt, NEW.worker, NEW.orchestrator_version, NEW.started_at)
        ON CONFLICT ON CONSTRAINT trial_attempt_once DO NOTHING;
    END IF;
    IF NEW.status <> 'running' AND (TG_OP = 'INSERT' OR OLD.status = 'running' OR NEW.attempt IS DISTINCT FROM OLD.attempt) THEN
        UPDATE orchestrator.trial_attempt
           SET outcome = NEW.status, ended_at = coalesce(NEW.finished_at, clock_timestamp()),
               error = CASE WHEN NEW.status = 'failed' THEN NEW.error END
         WHERE trial_id = NEW.id AND attempt = NEW.attempt AND outcome = 'running';
    END IF;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION orchestrator.record_trial_attempt() IS 'Trigger function on orchestrator.trial: inserts a trial_attempt row when a trial starts or starts again (attempt raised; the previous attempt, if still open, becomes interrupted), and writes the attempt''s outcome and end when the trial leaves running.';

CREATE TRIGGER trial_attempts
    AFTER INSERT OR UPDATE OF status, attempt ON orchestrator.trial
    FOR EACH ROW
    EXECUTE FUNCTION orchestrator.record_trial_attempt();

CREATE FUNCTION orchestrator.interrupt_trial_attempts() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    -- The run stopped (failed, cancelled, requeued) or changed owner with attempts open: they ended
    -- now, or, when the owner was gone (requeued or taken over), at its last heartbeat.
    UPDATE orchestrator.trial_attempt a
       SET outcome = 'interrupted',
           ended_at = CASE WHEN NEW.status IN ('queued', 'running') AND OLD.heartbeat_at IS NOT NULL
                           THEN greatest(a.started_at, least(OLD.heartbeat_at, clock_timestamp()))
                           ELSE greatest(a.started_at, clock_timestamp()) END
     WHERE a.experiment_id = NEW.id AND a.outcome = 'running';
    RETURN NULL;
END $$;
COMMENT ON FUNCTION orchestrator.interrupt_trial_attempts() IS 'Trigger function on orchestrator.experiment: when a running experiment stops running or changes owner, its trials'' open attempts become interrupted, ended now (failed, cancelled) or at the previous owner''s last heartbeat (requeued, taken over).';

CREATE TRIGGER experiment_interrupts_trial_attempts
    AFTER UPDATE OF status, owner ON orchestrator.experiment
    FOR EACH ROW
    WHEN (OLD.status = 'running' AND (NEW.status <> 'running' OR NEW.owner IS DISTINCT FROM OLD.owner))
    EXECUTE FUNCTION orchestrator.interrupt_trial_attempts();

INSERT INTO orchestrator.reader_table (table_name, why) VALUES
    ('orchestrator.trial_attempt', 'every attempt of every trial, with its own times and node');
