SELECT experiment_id, model, policy, first_fired_at, enqueued_at, finished_at, candidate_version,
       gate_verdict, round(gate_candidate_score::numeric, 3) AS gate_candidate_score,
       round(gate_active_score::numeric, 3) AS gate_active_score, approved_at, activated_at, activated_by,
       round(metric_before::numeric, 3) AS metric_before, round(metric_after::numeric, 3) AS metric_after,
       verification_threshold, verification_samples, outcome, breach_to_active
  FROM lineage.retrain_outcome
 WHERE experiment_id = :experiment
