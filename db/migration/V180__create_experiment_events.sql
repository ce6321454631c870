-- What happened to each run, step by step, for analysts: lineage.experiment_events. Most of it was
-- already recorded (the experiment row, the intervention log of rescues, restarts and abandons), but
-- a run's claims, failures and end were overwritten by the next attempt (a restart clears the error),
-- and the failed step and trial lived only in Spring Batch's tables or nowhere. A trigger now records
-- them, in the transaction that changes the experiment, so every path is covered without being
-- touched. Also: which failed run a new experiment replaces (experiments submit --supersedes, and a
-- policy's re-enqueue after its last experiment failed), and restart and rescue counts kept apart.

-- ------------------------------------------------------------------ supersedes
ALTER TABLE orchestrator.experiment ADD COLUMN supersedes_experiment_id bigint REFERENCES orchestrator.experiment (id)
    CONSTRAINT experiment_supersedes_another CHECK (supersedes_experiment_id <> id);
COMMENT ON COLUMN orchestrator.experiment.supersedes_experiment_id IS 'The failed, cancelled or abandoned experiment of the same model that this one replaces: experiments submit --supersedes ID, or, for a policy''s experiment, the policy''s previous experiment for the model when that one failed or was abandoned. NULL when it replaces none. A run is superseded at most once.';
CREATE UNIQUE INDEX experiment_superseded_once ON orchestrator.experiment (supersedes_experiment_id)
    WHERE supersedes_experiment_id IS NOT NULL;

-- ------------------------------------------------------------------ run events
CREATE TABLE orchestrator.experiment_run_event (
    id               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    experiment_id    bigint      NOT NULL REFERENCES orchestrator.experiment (id),
    at               timestamptz NOT NULL DEFAULT now(),
    event            text        NOT NULL CHECK (event IN ('claimed', 'released', 'failed', 'succeeded', 'cancelled')),
    node             text,
    attempt          integer,
    job_execution_id bigint,
    step             text,
    trial_number     integer,
    trial_error      text,
    error            text
);
COMMENT ON TABLE orchestrator.experiment_run_event IS 'Append-only log of what happened to a run from inside the cluster: each claim by a node, each hand-back, and its end (failed, succeeded, cancelled), with the failed step, the trial and the error as they were then (a restart clears the experiment''s error). Written by a trigger on orchestrator.experiment in the transaction that changes it. Rescues, restarts and abandons are in orchestrator.experiment_intervention; both are read through lineage.experiment_events. Runs finished before this table existed have their end only.';
COMMENT ON COLUMN orchestrator.experiment_run_event.id IS 'Surrogate key, in the order the events happened.';
COMMENT ON COLUMN orchestrator.experiment_run_event.experiment_id IS 'The experiment.';
COMMENT ON COLUMN orchestrator.experiment_run_event.at IS 'When the change committed (the transaction''s time: the same instant as the experiment''s started_at or finished_at it wrote).';
COMMENT ON COLUMN orchestrator.experiment_run_event.event IS 'claimed (a node took the queued run), released (a stopping node handed it back to the queue), failed, succeeded, cancelled.';
COMMENT ON COLUMN orchestrator.experiment_run_event.node IS 'The node (Quartz instance id): the one that claimed it, or the owner when it ended (rescuer:NODE when a rescuer marked a gone node''s run failed). NULL for a queued run cancelled.';
COMMENT ON COLUMN orchestrator.experiment_run_event.attempt IS 'The experiment''s attempt (how many times a node claimed or took over the run) after the change.';
COMMENT ON COLUMN orchestrator.experiment_run_event.job_execution_id IS 'The Spring Batch job execution of the run (batch.batch_job_execution) when it ended; NULL when none had started.';
COMMENT ON COLUMN orchestrator.experiment_run_event.step IS 'On failed: the step of the job that failed or was running (prepare, trials, finalize, gate); NULL when no step had started.';
COMMENT ON COLUMN orchestrator.experiment_run_event.trial_number IS 'On failed: the trial in flight when the run failed (the lowest number when several ran), or, when none was, the trial that failed last in this attempt (a run that failed by its own rules, e.g. budget.max_failed); NULL when neither.';
COMMENT ON COLUMN orchestrator.experiment_run_event.trial_error IS 'On failed, when trial_number is a failed trial: that trial''s error (the trainer''s exit status and stderr tail).';
COMMENT ON COLUMN orchestrator.experiment_run_event.error IS 'On failed and cancelled: the experiment''s error as it was written (cleared from the experiment by a restart).';

CREATE INDEX experiment_run_event_by_experiment ON orchestrator.experiment_run_event (experiment_id, id);

CREATE FUNCTION orchestrator.record_experiment_run_event() RETURNS trigger
    LANGUAGE plpgsql AS $$
DECLARE
    kind      text;
    at_step   text;
    trial_no  integer;
    trial_err text;
BEGIN
    IF OLD.status = 'queued' AND NEW.status = 'running' THEN
        kind := 'claimed';
    ELSIF OLD.status = 'running' AND NEW.status = 'queued' THEN
        -- a rescuer's requeue (owner rescuer:NODE) is logged as an intervention, with both nodes
        IF coalesce(OLD.owner, '') LIKE 'rescuer:%' THEN RETURN NULL; END IF;
        kind := 'released';
    ELSIF NEW.status IN ('failed', 'succeeded', 'cancelled') AND NEW.status IS DISTINCT FROM OLD.status THEN
        kind := NEW.status;
    ELSE
        RETURN NULL;
    END IF;
    IF kind = 'failed' THEN
        SELECT s.step_name INTO at_step
          FROM batch.batch_step_execution s
         WHERE s.job_execution_id = coalesce(NEW.job_execution_id, OLD.job_execution_id)
           AND s.status IS DISTINCT FROM 'COMPLETED'
         ORDER BY s.step_execution_id DESC LIMIT 1;
        SELECT t.number INTO trial_no
          FROM orchestrator.trial t
         WHERE t.experiment_id = NEW.id AND t.status = 'running'
         ORDER BY t.number LIMIT 1;
        IF trial_no IS NULL THEN
            SELECT t.number, t.error INTO trial_no, trial_err
              FROM orchestrator.trial t
             WHERE t.experiment_id = NEW.id AND t.status = 'failed'
               AND t.finished_at >= (SELECT max(r.at) FROM orchestrator.experiment_run_event r
                                      WHERE r.experiment_id = NEW.id AND r.event = 'claimed')
             ORDER BY t.finished_at DESC, t.number DESC LIMIT 1;
        END IF;
    END IF;
    INSERT INTO orchestrator.experiment_run_event (experiment_id, event, node, attempt, job_execution_id, step,
                                                   trial_number, trial_error, error)
    VALUES (NEW.id, kind, CASE WHEN kind = 'claimed' THEN NEW.owner ELSE OLD.owner END, NEW.attempt,
            CASE WHEN kind = 'claimed' THEN NULL ELSE coalesce(NEW.job_execution_id, OLD.job_execution_id) END,
            at_step, trial_no, trial_err, CASE WHEN kind IN ('failed', 'cancelled') THEN NEW.error END);
    RETURN NULL;
END $$;
COMMENT ON FUNCTION orchestrator.record_experiment_run_event() IS 'Trigger function on orchestrator.experiment: records a claim, a hand-back or an end of the run in orchestrator.experiment_run_event, with the failed step (from Spring Batch''s step executions), the trial and the error.';

CREATE TRIGGER experiment_records_run_events
    AFTER UPDATE OF status ON orchestrator.experiment
    FOR EACH ROW
    WHEN (NEW.status IS DISTINCT FROM OLD.status)
    EXECUTE FUNCTION orchestrator.record_experiment_run_event();

-- What existed before: each finished run's end (its claims and earlier failures were overwritten).
INSERT INTO orchestrator.experiment_run_event (experiment_id, at, event, node, attempt, job_execution_id, error)
SELECT e.id, e.finished_at, e.status, e.owner, e.attempt, e.job_execution_id,
       CASE WHEN e.status IN ('failed', 'cancelled') THEN e.error END
  FROM orchestrator.experiment e
 WHERE e.status IN ('failed', 'succeeded', 'cancelled') AND e.finished_at IS NOT NULL
 ORDER BY e.finished_at, e.id;

-- ------------------------------------------------------------------ experiment_events
CREATE VIEW lineage.experiment_events AS
SELECT x.experiment_id,
       m.id                 AS model_id,
       m.name               AS model,
       row_number() OVER (PARTITION BY x.experiment_id ORDER BY x.at, x.rank, x.source_id) AS seq,
       x.at,
       x.event,
       x.node,
       x.previous_node,
       x.actor,
       x.attempt,
       x.step,
       x.trial_number,
       x.error,
       x.job_execution_id,
       x.related_experiment_id,
       x.note
  FROM (
        -- queued: by a policy, by hand, or over the control API
        SELECT e.id AS experiment_id, e.queued_at AS at, 'queued' AS event, NULL::text AS node, NULL::text AS previous_node,
               CASE WHEN e.trigger = 'policy' THEN 'policy:' || coalesce(p.name, e.policy_id::text)
                    ELSE coalesce(e.submitted_by, e.trigger) END AS actor,
               NULL::integer AS attempt, NULL::text AS step, NULL::integer AS trial_number, NULL::text AS error,
               NULL::bigint AS job_execution_id, e.supersedes_experiment_id AS related_experiment_id,
               CASE WHEN e.trigger = 'policy' THEN 'enqueued by policy evaluation ' || e.policy_evaluation_id
                    ELSE 'trigger ' || e.trigger END
               || CASE WHEN e.supersedes_experiment_id IS NOT NULL
                       THEN '; supersedes experiment ' || e.supersedes_experiment_id ELSE '' END AS note,
               0 AS rank, e.id AS source_id
          FROM orchestrator.experiment e
          LEFT JOIN orchestrator.retrain_policy p ON p.id = e.policy_id
        UNION ALL
        -- claimed, released, failed, succeeded, cancelled (recorded by the run's trigger)
        SELECT r.experiment_id, r.at, r.event, r.node, NULL, NULL, r.attempt, r.step, r.trial_number,
               coalesce(r.error, r.trial_error), r.job_execution_id, NULL,
               CASE WHEN r.trial_error IS NOT NULL AND r.error IS NOT NULL
                    THEN 'trial ' || r.trial_number || ' failed: ' || r.trial_error END,
               1, r.id
          FROM orchestrator.experiment_run_event r
        UNION ALL
        -- rescued (taken from a gone node), restarted, retried, abandoned (the intervention log); a
        -- rescue that marked the run failed shows as the run's failed event
        SELECT i.experiment_id, i.at,
               CASE WHEN i.action = 'abandon' THEN 'abandoned'
                    WHEN i.action = 'restart' AND i.note LIKE 'restarted by ops restart --retry-failed%' THEN 'retried'
                    WHEN i.action = 'restart' THEN 'restarted'
                    ELSE 'rescued' END,
               CASE WHEN i.action IN ('rescue', 'takeover', 'recover') THEN i.actor END, i.previous_owner, i.actor, NULL, NULL, NULL, NULL, i.job_execution_id, NULL, i.note,
               2, i.id
          FROM orchestrator.experiment_intervention i
         WHERE i.outcome <> 'marked_failed'
        UNION ALL
        -- superseded: a new experiment was submitted or enqueued to replace this one
        SELECT s.supersedes_experiment_id, s.queued_at, 'superseded', NULL, NULL,
               CASE WHEN s.trigger = 'policy' THEN 'policy:' || coalesce(p.name, s.policy_id::text)
                    ELSE coalesce(s.submitted_by, s.trigger) END,
               NULL, NULL, NULL, NULL, NULL, s.id, 'superseded by experiment ' || s.id,
               3, s.id
          FROM orchestrator.experiment s
          LEFT JOIN orchestrator.retrain_policy p ON p.id = s.policy_id
         WHERE s.supersedes_experiment_id IS NOT NULL
       ) x
  JOIN orchestrator.experiment e ON e.id = x.experiment_id
  JOIN orchestrator.model m ON m.id = e.model_id;
COMMENT ON VIEW lineage.experiment_events IS 'One row per thing that happened to a run, in order (seq): queued, claimed, released, failed, rescued, restarted, retried, cancelled, abandoned, superseded, succeeded; with the node, who did it, the failed step, trial and error. Read from the experiment rows, orchestrator.experiment_run_event and orchestrator.experiment_intervention (which the reader role cannot read itself). Runs finished before this release show queued, their interventions and their end only.';
COMMENT ON COLUMN lineage.experiment_events.experiment_id IS 'The experiment.';
COMMENT ON COLUMN lineage.experiment_events.model_id IS 'The model''s id.';
COMMENT ON COLUMN lineage.experiment_events.model IS 'The model''s name.';
COMMENT ON COLUMN lineage.experiment_events.seq IS 'The event''s place in the experiment''s story, from 1 (by time; at one instant queued first, then the run''s own events, then interventions).';
COMMENT ON COLUMN lineage.experiment_events.at IS 'When it happened.';
COMMENT ON COLUMN lineage.experiment_events.event IS 'queued (submitted or enqueued by a policy: actor); claimed (node took it from the queue); released (node stopped and handed it back to the queue); failed (step, trial_number, error); rescued (node took it from previous_node, which was gone: the run continued there or went back to the queue, see note); restarted (by an operator, ops restart: resumes where it failed); retried (ops restart --retry-failed: a new round re-runs the failed trials); cancelled (error: why); abandoned (ops abandon: never restarted); superseded (a new experiment replaces it: related_experiment_id); succeeded.';
COMMENT ON COLUMN lineage.experiment_events.node IS 'The node (Quartz instance id) concerned: on claimed the one that took it; on failed, succeeded, cancelled and released the owner then (rescuer:NODE when a rescuer marked a gone node''s run failed); on rescued the node, or ops@HOST for ops recover, that took it over. NULL otherwise.';
COMMENT ON COLUMN lineage.experiment_events.previous_node IS 'On rescued: the gone node the run was taken from; on restarted, retried and abandoned: the node that had the run last.';
COMMENT ON COLUMN lineage.experiment_events.actor IS 'Who did it: on queued and superseded policy:NAME, operator:NAME (control API) or the trigger (submit, demo, bench) of the new experiment; on rescued the rescuing node or ops@HOST; on restarted, retried and abandoned ops@HOST or operator:NAME.';
COMMENT ON COLUMN lineage.experiment_events.attempt IS 'On the run''s own events: the experiment''s attempt after the change (claims and takeovers counted).';
COMMENT ON COLUMN lineage.experiment_events.step IS 'On failed: the job''s step that failed (prepare, trials, finalize, gate).';
COMMENT ON COLUMN lineage.experiment_events.trial_number IS 'On failed: the trial in flight when the run failed, or the trial that failed last when the run failed by its own rules.';
COMMENT ON COLUMN lineage.experiment_events.error IS 'On failed: the run''s error (or, lacking one, the failed trial''s); on cancelled: why.';
COMMENT ON COLUMN lineage.experiment_events.job_execution_id IS 'The Spring Batch job execution concerned (failed, succeeded, rescued, restarted, abandoned).';
COMMENT ON COLUMN lineage.experiment_events.related_experiment_id IS 'On superseded: the new experiment that replaces this one; on queued: the experiment this one supersedes.';
COMMENT ON COLUMN lineage.experiment_events.note IS 'More, in words: the intervention''s note, the policy evaluation that enqueued, or the failed trial''s own error.';

-- ------------------------------------------------------------------ experiment_lineage
-- V151's view with restarts, rescues and the supersedes links appended.
CREATE OR REPLACE VIEW lineage.experiment_lineage AS
SELECT e.id                                   AS experiment_id,
       m.name                                 AS model,
       e.trigger,
       p.name                                 AS policy,
       pv.version                             AS policy_version,
       ev.id                                  AS evaluation_id,
       ev.evaluated_at                        AS decided_at,
       ev.condition                           AS decision_condition,
       ev.observed                            AS decision_observed,
       ev.threshold                           AS decision_threshold,
       ev.evidence_snapshot_ids,
       evidence.snapshots                     AS evidence,
       e.status,
       e.queued_at,
       e.started_at,
       e.finished_at,
       extract(epoch FROM e.finished_at - e.started_at) AS run_seconds,
       e.spec #>> '{strategy,name}'           AS strategy,
       e.spec #>> '{objective,metric}'        AS objective_metric,
       e.spec #>> '{objective,direction}'     AS objective_direction,
       e.spec_sha256,
       coalesce(tc.total, 0)                  AS trials_total,
       coalesce(tc.complete, 0)               AS trials_complete,
       coalesce(tc.failed, 0)                 AS trials_failed,
       coalesce(tc.pruned, 0)                 AS trials_pruned,
       bt.number                              AS best_trial_number,
       hs.score                               AS best_score,
       hs.params                              AS best_params,
       hs.id                                  AS hyperparameter_set_id,
       mv.version                             AS produced_version,
       mv.id                                  AS produced_model_version_id,
       mv.status                              AS produced_version_status,
       e.attempt,
       e.error,
       e.orchestrator_version,
       e.spec,
       e.strategy_seed,
       e.strategy_version,
       e.trainer_type,
       e.trainer_version,
       e.trainer_command,
       e.trainer_algorithm,
       e.dataset_location,
       e.dataset_bytes,
       e.dataset_sha256,
       e.prepared_at,
       m.id                                   AS model_id,
       e.policy_id,
       pv.id                                  AS policy_version_id,
       fired.at                               AS first_fired_at,
       e.queued_at                            AS enqueued_at,
       coalesce(mv.registered_at, mv.created_at) AS registered_at,
       coalesce(iv.restarts, 0)               AS restarts,
       coalesce(iv.rescues, 0)                AS rescues,
       e.supersedes_experiment_id,
       successor.id                           AS superseded_by_experiment_id
  FROM orchestrator.experiment e
  JOIN orchestrator.model m ON m.id = e.model_id
  LEFT JOIN orchestrator.policy_evaluation ev ON ev.id = e.policy_evaluation_id
  LEFT JOIN orchestrator.retrain_policy_version pv ON pv.id = ev.policy_version_id
  LEFT JOIN orchestrator.retrain_policy p ON p.id = e.policy_id
  LEFT JOIN orchestrator.hyperparameter_set hs ON hs.experiment_id = e.id
  LEFT JOIN orchestrator.trial bt ON bt.id = hs.trial_id
  LEFT JOIN LATERAL (
        SELECT mv1.id, mv1.version, mv1.status, mv1.created_at,
               (SELECT min(x.at) FROM orchestrator.model_version_event x
                 WHERE x.model_version_id = mv1.id AND x.from_status IS NULL) AS registered_at
          FROM orchestrator.model_version mv1
         WHERE mv1.experiment_id = e.id ORDER BY mv1.id DESC LIMIT 1) mv ON true
  LEFT JOIN LATERAL (
        SELECT count(*)                                  AS total,
               count(*) FILTER (WHERE t.status = 'complete') AS complete,
               count(*) FILTER (WHERE t.status = 'failed')   AS failed,
               count(*) FILTER (WHERE t.status = 'pruned')   AS pruned
          FROM orchestrator.trial t WHERE t.experiment_id = e.id) tc ON true
  LEFT JOIN LATERAL (
        SELECT jsonb_agg(jsonb_build_object('snapshot_id', s.id, 'observed_at', s.observed_at,
                                            'segment', s.segment, 'sample_count', s.sample_count,
                                            'metrics', s.metrics) ORDER BY s.observed_at) AS snapshots
          FROM orchestrator.metric_snapshot s
         WHERE s.id = ANY (ev.evidence_snapshot_ids)) evidence ON true
  -- the firing episode's start: the latest change into firing of this policy for this model, at or
  -- before the decision that enqueued (as lineage.retrain_outcome.first_fired_at)
  LEFT JOIN LATERAL (
        SELECT f.evaluated_at AS at
          FROM orchestrator.policy_evaluation f
          JOIN orchestrator.retrain_policy_version fv ON fv.id = f.policy_version_id
         WHERE fv.policy_id = e.policy_id AND f.model_id = e.model_id
           AND f.to_state = 'firing' AND f.from_state IS DISTINCT FROM 'firing'
           AND f.evaluated_at <= ev.evaluated_at
         ORDER BY f.evaluated_at DESC LIMIT 1) fired ON true
  -- restarts by hand and rescues from gone nodes, counted from the intervention log: unlike
  -- experiment.rescues, the rescue count does not start over when the run is restarted
  LEFT JOIN LATERAL (
        SELECT count(*) FILTER (WHERE i.action = 'restart') AS restarts,
               count(*) FILTER (WHERE i.action IN ('rescue', 'takeover', 'recover')
                                  AND i.outcome IN ('requeued', 'taken_over')) AS rescues
          FROM orchestrator.experiment_intervention i WHERE i.experiment_id = e.id) iv ON true
  LEFT JOIN orchestrator.experiment successor ON successor.supersedes_experiment_id = e.id;
COMMENT ON COLUMN lineage.experiment_lineage.attempt IS 'How many times a node claimed or took over the run (restarts and rescues both count); restarts and rescues are apart in their own columns.';
COMMENT ON COLUMN lineage.experiment_lineage.restarts IS 'How many times an operator restarted the run (ops restart, with or without --retry-failed).';
COMMENT ON COLUMN lineage.experiment_lineage.rescues IS 'How many times the run was taken from a node that was gone and continued (the rescuer''s requeue, a takeover, ops recover). Unlike orchestrator.experiment.rescues, not reset by a restart.';
COMMENT ON COLUMN lineage.experiment_lineage.supersedes_experiment_id IS 'The failed, cancelled or abandoned experiment this one replaces (experiments submit --supersedes, or a policy''s re-enqueue after its previous experiment failed).';
COMMENT ON COLUMN lineage.experiment_lineage.superseded_by_experiment_id IS 'The experiment that replaces this one, when it was resubmitted.';
