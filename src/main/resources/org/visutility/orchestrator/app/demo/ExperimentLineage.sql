SELECT experiment_id, model, policy, decision_condition,
       round(decision_observed::numeric, 3) AS observed, decision_threshold AS threshold,
       cardinality(evidence_snapshot_ids) AS evidence_snapshots, status,
       trials_complete, trials_pruned, trials_failed,
       objective_metric, round(best_score::numeric, 4) AS best_score, best_params, produced_version
  FROM lineage.experiment_lineage
 WHERE experiment_id = :experiment
