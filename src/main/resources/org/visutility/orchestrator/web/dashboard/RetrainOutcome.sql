-- The post-deploy verification of an experiment's retrain; pending while it is open.
SELECT coalesce(v.outcome, 'pending') AS outcome, v.metric, v.baseline, v.observed, v.threshold, v.sample_count,
       v.opened_at, v.deadline, v.decided_at, v.reason
  FROM orchestrator.retrain_verification v
 WHERE v.experiment_id = :id
