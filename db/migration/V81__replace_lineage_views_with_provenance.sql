-- Reproducibility in the lineage views: what each experiment and trial ran with (V80's columns).
-- CREATE OR REPLACE VIEW keeps the grants to lineage_reader and the comments of the existing
-- columns; it can only append columns, so the new ones come last.

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
       e.dataset_sha256
  FROM orchestrator.trial t
  JOIN orchestrator.experiment e ON e.id = t.experiment_id
  JOIN orchestrator.model m ON m.id = e.model_id
WINDOW w AS (PARTITION BY t.experiment_id ORDER BY t.number ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW);
COMMENT ON COLUMN lineage.trial_history.orchestrator_version IS 'The orchestrator version of the node that ran the trial''s last attempt; NULL for trials recorded before it was kept.';
COMMENT ON COLUMN lineage.trial_history.spec_sha256 IS 'SHA-256 of the experiment''s spec: trials with the same hash ran the same search.';
COMMENT ON COLUMN lineage.trial_history.strategy_seed IS 'The seed of the experiment''s strategy.';
COMMENT ON COLUMN lineage.trial_history.dataset_sha256 IS 'SHA-256 of the experiment''s dataset, when it had a readable one.';

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
       e.prepared_at
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
COMMENT ON COLUMN lineage.experiment_lineage.trigger IS 'policy (a firing policy), submit (submitted by hand), demo or bench.';
COMMENT ON COLUMN lineage.experiment_lineage.orchestrator_version IS 'The orchestrator version of the node that ran it (the last one, after a restart or takeover).';
COMMENT ON COLUMN lineage.experiment_lineage.spec IS 'The experiment spec as stored (every default written out); spec_sha256 is its hash.';
COMMENT ON COLUMN lineage.experiment_lineage.strategy_seed IS 'The strategy''s seed; NULL until the run is prepared.';
COMMENT ON COLUMN lineage.experiment_lineage.strategy_version IS 'The version of the strategy''s code.';
COMMENT ON COLUMN lineage.experiment_lineage.trainer_type IS 'The trainer: command (an external program) or a built-in one.';
COMMENT ON COLUMN lineage.experiment_lineage.trainer_version IS 'The version of the trainer''s code.';
COMMENT ON COLUMN lineage.experiment_lineage.trainer_command IS 'A command trainer''s program and fixed arguments, as a JSON array.';
COMMENT ON COLUMN lineage.experiment_lineage.trainer_algorithm IS 'A built-in trainer''s algorithm.';
COMMENT ON COLUMN lineage.experiment_lineage.dataset_location IS 'Where the training data was (path, classpath:<resource> or URI), when the trainer named it.';
COMMENT ON COLUMN lineage.experiment_lineage.dataset_bytes IS 'The dataset''s size in bytes, when readable at the start.';
COMMENT ON COLUMN lineage.experiment_lineage.dataset_sha256 IS 'SHA-256 of the dataset, when readable at the start.';
COMMENT ON COLUMN lineage.experiment_lineage.prepared_at IS 'When the run recorded what it runs with (its prepare step).';
