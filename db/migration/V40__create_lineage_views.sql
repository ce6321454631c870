-- Lineage for analysts: views in schema lineage that answer "why was this model retrained,
-- and with what?" in one join, and a read-only role to query them.
CREATE SCHEMA IF NOT EXISTS lineage;
COMMENT ON SCHEMA lineage IS 'Read models for analysts: one row per experiment from evidence to outcome, trial history, model health, policy history.';

-- ------------------------------------------------------------------ trial_history
CREATE VIEW lineage.trial_history AS
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
       t.error
  FROM orchestrator.trial t
  JOIN orchestrator.experiment e ON e.id = t.experiment_id
  JOIN orchestrator.model m ON m.id = e.model_id
WINDOW w AS (PARTITION BY t.experiment_id ORDER BY t.number ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW);
COMMENT ON VIEW lineage.trial_history IS 'Every trial of every experiment with its params, score, the best score so far in its experiment, duration and attempt.';
COMMENT ON COLUMN lineage.trial_history.experiment_id IS 'The experiment (orchestrator.experiment.id).';
COMMENT ON COLUMN lineage.trial_history.model IS 'The model being tuned.';
COMMENT ON COLUMN lineage.trial_history.trial_number IS 'The trial''s number within its experiment, from 0.';
COMMENT ON COLUMN lineage.trial_history.status IS 'running, complete, failed or pruned.';
COMMENT ON COLUMN lineage.trial_history.params IS 'The hyperparameters tried.';
COMMENT ON COLUMN lineage.trial_history.score IS 'The objective''s value, for complete trials.';
COMMENT ON COLUMN lineage.trial_history.best_so_far IS 'The best complete score among this and the earlier trials (max or min by the objective''s direction).';
COMMENT ON COLUMN lineage.trial_history.metrics IS 'Every final metric the trainer reported.';
COMMENT ON COLUMN lineage.trial_history.started_at IS 'When the last attempt started.';
COMMENT ON COLUMN lineage.trial_history.finished_at IS 'When it finished.';
COMMENT ON COLUMN lineage.trial_history.duration_seconds IS 'finished_at - started_at, in seconds.';
COMMENT ON COLUMN lineage.trial_history.attempt IS 'How many times the trial was started (above 1 after a crash).';
COMMENT ON COLUMN lineage.trial_history.worker IS 'The node that ran it.';
COMMENT ON COLUMN lineage.trial_history.error IS 'Why it failed, when it did.';

-- ------------------------------------------------------------------ experiment_lineage
CREATE VIEW lineage.experiment_lineage AS
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
       e.orchestrator_version
  FROM orchestrator.experiment e
  JOIN orchestrator.model m ON m.id = e.model_id
  LEFT JOIN orchestrator.policy_evaluation ev ON ev.id = e.policy_evaluation_id
  LEFT JOIN orchestrator.retrain_policy_version pv ON pv.id = ev.policy_version_id
  LEFT JOIN orchestrator.retrain_policy p ON p.id = e.policy_id
  LEFT JOIN orchestrator.hyperparameter_set hs ON hs.experiment_id = e.id
  LEFT JOIN orchestrator.trial bt ON bt.id = hs.trial_id
  LEFT JOIN LATERAL (
        SELECT mv1.id, mv1.version, mv1.status FROM orchestrator.model_version mv1
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
         WHERE s.id = ANY (ev.evidence_snapshot_ids)) evidence ON true;
COMMENT ON VIEW lineage.experiment_lineage IS 'One row per experiment, from the evidence that triggered it to the model version it produced.';
COMMENT ON COLUMN lineage.experiment_lineage.experiment_id IS 'The experiment.';
COMMENT ON COLUMN lineage.experiment_lineage.model IS 'The model retrained.';
COMMENT ON COLUMN lineage.experiment_lineage.trigger IS 'policy (a firing policy), submit (submitted by hand) or demo.';
COMMENT ON COLUMN lineage.experiment_lineage.policy IS 'The policy that fired, if any.';
COMMENT ON COLUMN lineage.experiment_lineage.policy_version IS 'The version of the policy that was evaluated.';
COMMENT ON COLUMN lineage.experiment_lineage.evaluation_id IS 'The firing evaluation (orchestrator.policy_evaluation.id).';
COMMENT ON COLUMN lineage.experiment_lineage.decided_at IS 'When the policy fired.';
COMMENT ON COLUMN lineage.experiment_lineage.decision_condition IS 'The condition that held, as text.';
COMMENT ON COLUMN lineage.experiment_lineage.decision_observed IS 'The observed value when it fired.';
COMMENT ON COLUMN lineage.experiment_lineage.decision_threshold IS 'The threshold it crossed.';
COMMENT ON COLUMN lineage.experiment_lineage.evidence_snapshot_ids IS 'The snapshots the observed value was computed from.';
COMMENT ON COLUMN lineage.experiment_lineage.evidence IS 'Those snapshots with their times, segments, sample counts and metric values, as a JSON array.';
COMMENT ON COLUMN lineage.experiment_lineage.status IS 'queued, running, succeeded, failed, cancelled or abandoned.';
COMMENT ON COLUMN lineage.experiment_lineage.queued_at IS 'When it was queued.';
COMMENT ON COLUMN lineage.experiment_lineage.started_at IS 'When it first started.';
COMMENT ON COLUMN lineage.experiment_lineage.finished_at IS 'When it finished.';
COMMENT ON COLUMN lineage.experiment_lineage.run_seconds IS 'finished_at - started_at, in seconds.';
COMMENT ON COLUMN lineage.experiment_lineage.strategy IS 'The search strategy (random, grid, tpe...).';
COMMENT ON COLUMN lineage.experiment_lineage.objective_metric IS 'The metric optimised.';
COMMENT ON COLUMN lineage.experiment_lineage.objective_direction IS 'maximize or minimize.';
COMMENT ON COLUMN lineage.experiment_lineage.spec_sha256 IS 'SHA-256 of the experiment spec.';
COMMENT ON COLUMN lineage.experiment_lineage.trials_total IS 'Trials recorded.';
COMMENT ON COLUMN lineage.experiment_lineage.trials_complete IS 'Trials that completed.';
COMMENT ON COLUMN lineage.experiment_lineage.trials_failed IS 'Trials that failed.';
COMMENT ON COLUMN lineage.experiment_lineage.trials_pruned IS 'Trials stopped early by pruning.';
COMMENT ON COLUMN lineage.experiment_lineage.best_trial_number IS 'The number of the best trial.';
COMMENT ON COLUMN lineage.experiment_lineage.best_score IS 'Its score.';
COMMENT ON COLUMN lineage.experiment_lineage.best_params IS 'Its hyperparameters (the hyperparameter set).';
COMMENT ON COLUMN lineage.experiment_lineage.hyperparameter_set_id IS 'The recorded hyperparameter set.';
COMMENT ON COLUMN lineage.experiment_lineage.produced_version IS 'The model version the experiment registered.';
COMMENT ON COLUMN lineage.experiment_lineage.produced_model_version_id IS 'Its id (orchestrator.model_version.id).';
COMMENT ON COLUMN lineage.experiment_lineage.produced_version_status IS 'candidate, active or retired.';
COMMENT ON COLUMN lineage.experiment_lineage.attempt IS 'How many runs it took (restarts and rescues included).';
COMMENT ON COLUMN lineage.experiment_lineage.error IS 'Why it failed, when it did.';
COMMENT ON COLUMN lineage.experiment_lineage.orchestrator_version IS 'The orchestrator version that ran it.';

-- ------------------------------------------------------------------ policy_history
CREATE VIEW lineage.policy_history AS
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
       ev.experiment_id
  FROM orchestrator.policy_evaluation ev
  JOIN orchestrator.retrain_policy_version pv ON pv.id = ev.policy_version_id
  JOIN orchestrator.retrain_policy p ON p.id = pv.policy_id
  JOIN orchestrator.model m ON m.id = ev.model_id;
COMMENT ON VIEW lineage.policy_history IS 'Every state change of every policy for every model, with its evidence.';
COMMENT ON COLUMN lineage.policy_history.evaluation_id IS 'The evaluation (orchestrator.policy_evaluation.id).';
COMMENT ON COLUMN lineage.policy_history.policy IS 'The policy.';
COMMENT ON COLUMN lineage.policy_history.policy_version IS 'The policy version evaluated.';
COMMENT ON COLUMN lineage.policy_history.model IS 'The model.';
COMMENT ON COLUMN lineage.policy_history.evaluated_at IS 'When.';
COMMENT ON COLUMN lineage.policy_history.from_state IS 'State before.';
COMMENT ON COLUMN lineage.policy_history.to_state IS 'State after.';
COMMENT ON COLUMN lineage.policy_history.condition IS 'The deciding condition, as text.';
COMMENT ON COLUMN lineage.policy_history.observed IS 'The observed value.';
COMMENT ON COLUMN lineage.policy_history.threshold IS 'The threshold.';
COMMENT ON COLUMN lineage.policy_history.evidence_snapshot_ids IS 'The snapshots the value came from.';
COMMENT ON COLUMN lineage.policy_history.detail IS 'Every condition''s value and verdict.';
COMMENT ON COLUMN lineage.policy_history.experiment_id IS 'The experiment this change enqueued, if any.';

-- ------------------------------------------------------------------ model_health
CREATE VIEW lineage.model_health AS
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
                 WHERE mvl.model_id = mv.model_id AND mvl.model_version_id = mv.id
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
COMMENT ON VIEW lineage.model_health IS 'Per model version: the latest value of each metric, the model''s policy states, its last successful retrain and its open experiments.';
COMMENT ON COLUMN lineage.model_health.model IS 'The model.';
COMMENT ON COLUMN lineage.model_health.version IS 'The version.';
COMMENT ON COLUMN lineage.model_health.version_status IS 'active, candidate or retired.';
COMMENT ON COLUMN lineage.model_health.version_source IS 'ingest, experiment or manual.';
COMMENT ON COLUMN lineage.model_health.last_observed_at IS 'The newest snapshot of this version.';
COMMENT ON COLUMN lineage.model_health.latest_metrics IS 'The latest value of each metric of this version, as a JSON object.';
COMMENT ON COLUMN lineage.model_health.policy_states IS 'The model''s policies and their states, as a JSON object.';
COMMENT ON COLUMN lineage.model_health.last_retrain_at IS 'When the model''s last successful experiment finished.';
COMMENT ON COLUMN lineage.model_health.open_experiments IS 'The model''s queued or running experiments.';

-- ------------------------------------------------------------------ lineage_reader
-- Roles are cluster-wide: create it once, grant in every database that migrates.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'lineage_reader') THEN
        CREATE ROLE lineage_reader NOLOGIN;
    END IF;
END $$;
ALTER ROLE lineage_reader SET default_transaction_read_only = on;
GRANT USAGE ON SCHEMA lineage, orchestrator TO lineage_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA lineage TO lineage_reader;
-- The documented tables, named one by one so that a table added later is not readable until
-- a migration says so (settings with secrets, such as webhook URLs, stay closed).
GRANT SELECT ON orchestrator.model, orchestrator.model_version, orchestrator.ingest_batch,
                orchestrator.metric_snapshot, orchestrator.metric_value,
                orchestrator.retrain_policy, orchestrator.retrain_policy_version,
                orchestrator.policy_state, orchestrator.policy_evaluation,
                orchestrator.experiment, orchestrator.trial, orchestrator.hyperparameter_set
   TO lineage_reader;
