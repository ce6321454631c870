-- Lineage, round two: the keys and times analysts join on, the policy's held-back firings as
-- columns, and every attempt of every trial. CREATE OR REPLACE VIEW keeps the grants, the existing
-- columns and their comments; it can only append columns, so the new ones come last.

-- ------------------------------------------------------------------ experiment_lineage
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
       coalesce(mv.registered_at, mv.created_at) AS registered_at
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
         ORDER BY f.evaluated_at DESC LIMIT 1) fired ON true;
COMMENT ON COLUMN lineage.experiment_lineage.model_id IS 'The model''s id (orchestrator.model.id).';
COMMENT ON COLUMN lineage.experiment_lineage.policy_id IS 'The policy that enqueued it (orchestrator.retrain_policy.id); NULL for an experiment submitted by hand.';
COMMENT ON COLUMN lineage.experiment_lineage.policy_version_id IS 'The policy version whose decision enqueued it (orchestrator.retrain_policy_version.id).';
COMMENT ON COLUMN lineage.experiment_lineage.first_fired_at IS 'When the breach first fired: the policy''s latest change into firing for this model at or before decided_at. Earlier than decided_at when a cooldown, an open experiment or an open verification held the enqueue back (lineage.policy_history, event held_back). NULL for a manual experiment.';
COMMENT ON COLUMN lineage.experiment_lineage.enqueued_at IS 'When the experiment was queued (the same as queued_at).';
COMMENT ON COLUMN lineage.experiment_lineage.registered_at IS 'When the version it produced was registered (its first lifecycle event; its created_at for versions registered before the lifecycle); NULL when it produced none.';

-- ------------------------------------------------------------------ policy_history
CREATE OR REPLACE VIEW lineage.policy_history AS
SELECT ev.id               AS evaluation_id,
       p.name              AS policy,
       pv.version          AS policy_version,
       m.name              AS model,
       ev.evaluated_at,
       ev.from_state,
       ev.to_state,
       ev.condition,
       ev.observed,
       ev.threshold,
       ev.evidence_snapshot_ids,
       ev.detail,
       ev.experiment_id,
       p.id                AS policy_id,
       pv.id               AS policy_version_id,
       m.id                AS model_id,
       cond.spec ->> 'metric'    AS condition_metric,
       cond.spec ->> 'aggregate' AS condition_aggregate,
       coalesce(cond.spec ->> 'window', 'last ' || (cond.spec ->> 'snapshots') || ' snapshots') AS condition_window,
       CASE
           WHEN ev.to_state = 'firing' AND ev.from_state IS DISTINCT FROM 'firing'
               THEN CASE WHEN held.by IS NULL THEN 'fired' ELSE 'held_back' END
           WHEN ev.to_state = 'firing' THEN 'enqueued'
           ELSE ev.to_state
       END                 AS event,
       held.by             AS held_back_by,
       held.until          AS held_back_until,
       held.experiment_id  AS blocking_experiment_id
  FROM orchestrator.policy_evaluation ev
  JOIN orchestrator.retrain_policy_version pv ON pv.id = ev.policy_version_id
  JOIN orchestrator.retrain_policy p ON p.id = pv.policy_id
  JOIN orchestrator.model m ON m.id = ev.model_id
  -- the deciding condition's spec: the one whose text is the row's condition (or the only one)
  LEFT JOIN LATERAL (
        SELECT w.c AS spec
          FROM jsonb_array_elements(CASE jsonb_typeof(pv.spec -> 'when')
                                        WHEN 'array' THEN pv.spec -> 'when'
                                        WHEN 'object' THEN jsonb_build_array(pv.spec -> 'when')
                                        ELSE '[]'::jsonb END) WITH ORDINALITY w(c, i)
         WHERE jsonb_typeof(w.c) = 'object'
           AND (ev.detail -> 'conditions' -> (w.i::int - 1) ->> 'condition' = ev.condition
                OR jsonb_typeof(pv.spec -> 'when') = 'object' OR jsonb_array_length(pv.spec -> 'when') = 1)
         ORDER BY w.i LIMIT 1) cond ON true
  -- why a firing did not enqueue: detail.held_back as the policy job records it, or, for rows
  -- recorded before it did, read from the guard's words
  LEFT JOIN LATERAL (
        SELECT CASE WHEN hb IS NOT NULL THEN hb ->> 'by'
                    WHEN guard ~ '^experiment [0-9]+ is open' THEN 'open_experiment'
                    WHEN guard ~ '^verification of experiment [0-9]+ is open' THEN 'open_verification'
                    WHEN guard ~ '^cooldown ' THEN 'cooldown'
                    WHEN guard IS NOT NULL THEN 'other' END AS by,
               CASE WHEN hb IS NOT NULL THEN (hb ->> 'until')::timestamptz
                    ELSE (substring(guard FROM '(?:, until|judged until) ([0-9T:.+-]+Z?)'))::timestamptz END AS until,
               CASE WHEN hb IS NOT NULL THEN (hb ->> 'experiment_id')::bigint
                    ELSE (substring(guard FROM '^(?:verification of )?experiment ([0-9]+) is open'))::bigint END AS experiment_id
          FROM (SELECT CASE WHEN jsonb_typeof(ev.detail -> 'held_back') = 'object' THEN ev.detail -> 'held_back' END AS hb,
                       ev.detail ->> 'guard' AS guard) g
         WHERE ev.to_state = 'firing') held ON true;
COMMENT ON COLUMN lineage.policy_history.detail IS 'What the policy job recorded, as a JSON object. Keys: policy (name), policy_version (number), for and cooldown (the policy''s durations as written, e.g. 30m, 1d), conditions (an array, one object per condition of the policy in spec order: condition (its text), holds and recovered (true, false, or null when the evidence did not count), observed, threshold, evidence_snapshots (how many snapshots), note (why the evidence did not count, or a remark) when there is one); on rows into or in firing also enqueue (whether an experiment was to be enqueued) and, when a guard held it back, guard (why, in words) and held_back ({by, until, experiment_id}: the held_back_by, held_back_until and blocking_experiment_id columns; recorded since this release, older rows have guard only). Rows written before a key existed lack it.';
COMMENT ON COLUMN lineage.policy_history.policy_id IS 'The policy''s id (orchestrator.retrain_policy.id).';
COMMENT ON COLUMN lineage.policy_history.policy_version_id IS 'The policy version''s id (orchestrator.retrain_policy_version.id).';
COMMENT ON COLUMN lineage.policy_history.model_id IS 'The model''s id.';
COMMENT ON COLUMN lineage.policy_history.condition_metric IS 'The deciding condition''s metric (from the policy version''s spec); NULL for a condition on no metric (staleness, sql).';
COMMENT ON COLUMN lineage.policy_history.condition_aggregate IS 'The deciding condition''s aggregate (mean, weighted_mean, last, ...).';
COMMENT ON COLUMN lineage.policy_history.condition_window IS 'The deciding condition''s window as stored (normalised: 24h is stored as 1d), or last N snapshots.';
COMMENT ON COLUMN lineage.policy_history.event IS 'What the row records: fired (a change into firing that enqueued an experiment: experiment_id; NULL when the database refused a second open one), held_back (a change into firing a guard held back: held_back_by), enqueued (still firing, a held-back firing''s experiment enqueued once the guard let it), pending, ok or resolved (a change into that state). How often a policy fired: count fired and held_back.';
COMMENT ON COLUMN lineage.policy_history.held_back_by IS 'On held_back rows, what held the enqueue back: cooldown (the policy''s cooldown after its last experiment), open_experiment (an experiment of this policy and model was queued or running), open_verification (the last retrain''s deployed version was being verified), other (a guard this release does not name).';
COMMENT ON COLUMN lineage.policy_history.held_back_until IS 'Until when the guard held at the latest: the cooldown''s end, or the verification''s deadline; NULL for an open experiment (until it ends).';
COMMENT ON COLUMN lineage.policy_history.blocking_experiment_id IS 'The experiment that held it back: the open one, the one being verified, or the last one (whose end started the cooldown; NULL on rows recorded before this release).';

-- ------------------------------------------------------------------ trial_history
CREATE OR REPLACE VIEW lineage.trial_history AS
SELECT t.experiment_id,
       m.name                                        AS model,
       t.number                                      AS trial_number,
       t.status,
       t.params,
       t.score,
       CASE WHEN e.spec #>> '{objective,direction}' = 'minimize'
            THEN min(t.score) FILTER (WHERE t.status = 'complete') OVER w
            ELSE max(t.score) FILTER (WHERE t.status = 'complete') OVER w
       END                                           AS best_so_far,
       t.metrics,
       t.started_at,
       t.finished_at,
       extract(epoch FROM t.finished_at - t.started_at) AS duration_seconds,
       t.attempt,
       t.worker,
       t.error,
       t.orchestrator_version,
       e.spec_sha256,
       e.strategy_seed,
       e.dataset_sha256,
       e.spec #>> '{strategy,name}'                  AS strategy,
       coalesce(e.trainer_type, e.spec #>> '{trainer,type}') AS trainer
  FROM orchestrator.trial t
  JOIN orchestrator.experiment e ON e.id = t.experiment_id
  JOIN orchestrator.model m ON m.id = e.model_id
WINDOW w AS (PARTITION BY t.experiment_id ORDER BY t.number ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW);
COMMENT ON COLUMN lineage.trial_history.strategy IS 'The experiment''s search strategy (random, grid, tpe, ...).';
COMMENT ON COLUMN lineage.trial_history.trainer IS 'The experiment''s trainer: command (an external program) or a built-in one.';

-- ------------------------------------------------------------------ trial_attempts
CREATE VIEW lineage.trial_attempts AS
SELECT a.id                                          AS attempt_id,
       a.experiment_id,
       m.id                                          AS model_id,
       m.name                                        AS model,
       e.trigger,
       e.spec #>> '{strategy,name}'                  AS strategy,
       coalesce(e.trainer_type, e.spec #>> '{trainer,type}') AS trainer,
       a.trial_id,
       a.trial_number,
       a.attempt,
       a.attempt = t.attempt                         AS is_last_attempt,
       a.worker,
       a.orchestrator_version,
       a.started_at,
       a.ended_at,
       extract(epoch FROM a.ended_at - a.started_at) AS duration_seconds,
       a.outcome,
       a.error,
       t.status                                      AS trial_status
  FROM orchestrator.trial_attempt a
  JOIN orchestrator.trial t ON t.id = a.trial_id
  JOIN orchestrator.experiment e ON e.id = a.experiment_id
  JOIN orchestrator.model m ON m.id = e.model_id;
COMMENT ON VIEW lineage.trial_attempts IS 'Every attempt of every trial, with its own times, node and end: a trial that a crash, a failed run or a takeover cut short and that ran again has one row per attempt, so compute spent on killed attempts counts. Trials recorded before attempts were kept have one row, for their last attempt.';
COMMENT ON COLUMN lineage.trial_attempts.attempt_id IS 'The attempt (orchestrator.trial_attempt.id), in the order attempts started.';
COMMENT ON COLUMN lineage.trial_attempts.experiment_id IS 'The experiment.';
COMMENT ON COLUMN lineage.trial_attempts.model_id IS 'The model''s id.';
COMMENT ON COLUMN lineage.trial_attempts.model IS 'The model''s name.';
COMMENT ON COLUMN lineage.trial_attempts.trigger IS 'What queued the experiment: policy, submit, demo or bench.';
COMMENT ON COLUMN lineage.trial_attempts.strategy IS 'The experiment''s search strategy.';
COMMENT ON COLUMN lineage.trial_attempts.trainer IS 'The experiment''s trainer: command or a built-in one.';
COMMENT ON COLUMN lineage.trial_attempts.trial_id IS 'The trial (orchestrator.trial.id).';
COMMENT ON COLUMN lineage.trial_attempts.trial_number IS 'The trial''s number within the experiment.';
COMMENT ON COLUMN lineage.trial_attempts.attempt IS 'Which attempt of the trial, from 1.';
COMMENT ON COLUMN lineage.trial_attempts.is_last_attempt IS 'Whether it is the trial''s last attempt (the one lineage.trial_history shows).';
COMMENT ON COLUMN lineage.trial_attempts.worker IS 'The node that ran this attempt.';
COMMENT ON COLUMN lineage.trial_attempts.orchestrator_version IS 'The orchestrator version of that node.';
COMMENT ON COLUMN lineage.trial_attempts.started_at IS 'When this attempt started.';
COMMENT ON COLUMN lineage.trial_attempts.ended_at IS 'When it ended: its outcome written, its run failed or cancelled, or the gone owner''s last heartbeat, or the attempt''s start when that was later (requeued, taken over). NULL while it runs or when unknown.';
COMMENT ON COLUMN lineage.trial_attempts.duration_seconds IS 'ended_at - started_at in seconds: the compute this attempt used.';
COMMENT ON COLUMN lineage.trial_attempts.outcome IS 'running; complete, failed or pruned (written by this attempt); interrupted (cut short by a failed, cancelled, requeued or taken-over run).';
COMMENT ON COLUMN lineage.trial_attempts.error IS 'Why it failed, when its outcome is failed.';
COMMENT ON COLUMN lineage.trial_attempts.trial_status IS 'The trial''s status now (its last attempt''s outcome, or running).';
