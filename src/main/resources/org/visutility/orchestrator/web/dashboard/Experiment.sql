-- One experiment from its trigger to its outcome (lineage.experiment_lineage), with the parts of its
-- spec the dashboard shows and how its last job execution ended (it decides the restart command). Left out: the trainer section (its command line and environment are not
-- the dashboard's to publish) and the evidence snapshots themselves (only how many there were).
SELECT l.experiment_id, l.model, l.trigger, l.policy, l.policy_version, l.evaluation_id, l.decided_at,
       l.decision_condition, l.decision_observed, l.decision_threshold,
       cardinality(l.evidence_snapshot_ids) AS evidence_snapshots,
       l.status, l.queued_at, l.started_at, l.finished_at, l.run_seconds,
       l.strategy, l.objective_metric, l.objective_direction, l.spec_sha256,
       l.trials_total, l.trials_complete, l.trials_failed, l.trials_pruned,
       l.best_trial_number, l.best_score, l.best_params, l.produced_version, l.produced_version_status,
       l.attempt, l.error, l.orchestrator_version,
       e.spec -> 'strategy' AS strategy_spec,
       e.spec -> 'budget'   AS budget,
       e.spec -> 'space'    AS space,
       e.spec -> 'pruning'  AS pruning,
       e.spec -> 'objective' AS objectives,
       e.spec -> 'select'   AS select_rule,
       je.status            AS job_status
  FROM lineage.experiment_lineage l
  JOIN orchestrator.experiment e ON e.id = l.experiment_id
  LEFT JOIN batch.batch_job_execution je ON je.job_execution_id = e.job_execution_id
 WHERE l.experiment_id = :id
