-- Operations: how often a run was rescued from a dead node, and the log of every rescue and every
-- ops command that changed an experiment (restart, abandon, recover), so that "what happened to
-- experiment 42 last night" is one query.

ALTER TABLE orchestrator.experiment ADD COLUMN rescues integer NOT NULL DEFAULT 0 CHECK (rescues >= 0);
COMMENT ON COLUMN orchestrator.experiment.rescues IS 'How many times the run was taken from a node that was gone (by the rescuer, ops recover or a Quartz recovery) since it was last restarted by hand; at rescue_max_attempts the next rescue marks it failed instead.';

CREATE TABLE orchestrator.experiment_intervention (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    experiment_id     bigint      NOT NULL REFERENCES orchestrator.experiment (id),
    at                timestamptz NOT NULL DEFAULT now(),
    action            text        NOT NULL CHECK (action IN ('rescue', 'takeover', 'recover', 'restart', 'abandon')),
    outcome           text        NOT NULL CHECK (outcome IN ('requeued', 'marked_failed', 'taken_over', 'abandoned')),
    actor             text        NOT NULL,
    previous_status   text        NOT NULL,
    previous_owner    text,
    last_heartbeat_at timestamptz,
    job_execution_id  bigint,
    note              text
);
COMMENT ON TABLE orchestrator.experiment_intervention IS 'Every change made to an experiment from outside its own run: rescues of runs whose node is gone, and the ops restart, abandon and recover commands. Append-only.';
COMMENT ON COLUMN orchestrator.experiment_intervention.id IS 'Surrogate key, in the order the interventions happened.';
COMMENT ON COLUMN orchestrator.experiment_intervention.experiment_id IS 'The experiment changed.';
COMMENT ON COLUMN orchestrator.experiment_intervention.at IS 'When the change committed.';
COMMENT ON COLUMN orchestrator.experiment_intervention.action IS 'rescue (the clustered rescuer job), takeover (a node re-fired by Quartz took a dead node''s run), recover (ops recover), restart (ops restart), abandon (ops abandon).';
COMMENT ON COLUMN orchestrator.experiment_intervention.outcome IS 'requeued (back to the queue, resumes from its checkpoint), marked_failed, taken_over (the run continues on the new owner), abandoned (never restarted).';
COMMENT ON COLUMN orchestrator.experiment_intervention.actor IS 'Who did it: the Quartz instance id of the node, or ops@HOST for a command.';
COMMENT ON COLUMN orchestrator.experiment_intervention.previous_status IS 'The experiment''s status just before the change.';
COMMENT ON COLUMN orchestrator.experiment_intervention.previous_owner IS 'The node (Quartz instance id) that owned the run before, if any.';
COMMENT ON COLUMN orchestrator.experiment_intervention.last_heartbeat_at IS 'The previous owner''s last heartbeat, the evidence that it was gone.';
COMMENT ON COLUMN orchestrator.experiment_intervention.job_execution_id IS 'The Spring Batch job execution (batch.batch_job_execution) the run had; recover marks it FAILED, abandon ABANDONED.';
COMMENT ON COLUMN orchestrator.experiment_intervention.note IS 'Why, in words (e.g. rescue_action MARK_FAILED, or rescue_max_attempts reached).';

CREATE INDEX experiment_intervention_by_experiment ON orchestrator.experiment_intervention (experiment_id, id);

-- The rescuer, the health check and the stuck-runs gauge look at running experiments by heartbeat.
CREATE INDEX experiment_running_heartbeat ON orchestrator.experiment (heartbeat_at) WHERE status = 'running';

-- The one definition of "the owner of a run is provably gone", used by the rescuer, ops recover,
-- ops abandon, ops failed and GET /health, and by analysts and the runbook:
--   SELECT id FROM orchestrator.experiment
--    WHERE status = 'running' AND orchestrator.owner_is_gone(owner, heartbeat_at, interval '1 minute');
-- Both must hold: the heartbeat is older than stale_after, AND the owning node's Quartz check-in is
-- older than two of its check-in intervals or absent. Age alone never suffices. A rescue hold
-- ('rescuer:NODE') belongs to NODE. Quartz writes check-in times with the node's clock: a cluster's
-- clocks must agree (Quartz clustering requires it anyway).
CREATE FUNCTION orchestrator.owner_is_gone(owner text, heartbeat_at timestamptz, stale_after interval)
RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT (heartbeat_at IS NULL OR heartbeat_at < now() - stale_after)
       AND NOT EXISTS (
            SELECT 1 FROM quartz.qrtz_scheduler_state s
             WHERE s.sched_name = 'orchestrator'
               AND s.instance_name = coalesce(substring(owner FROM '^rescuer:(.*)$'), owner)
               AND s.last_checkin_time + 2 * s.checkin_interval > (extract(epoch FROM clock_timestamp()) * 1000)::bigint)
$$;
COMMENT ON FUNCTION orchestrator.owner_is_gone(text, timestamptz, interval) IS 'True when a running experiment''s owner is provably gone: heartbeat older than stale_after AND the owner''s Quartz check-in stale (older than 2 check-in intervals) or absent.';
