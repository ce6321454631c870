-- The verifications still open, with the names their notifications carry, and when the verified
-- version stopped being active since it was opened (a rollback or a newer version), if it did.
SELECT rv.experiment_id, rv.model_version_id, rv.policy_id, p.name AS policy, pv.version AS policy_version, rv.model_id, m.name AS model,
       nv.version AS version, ov.version AS previous_version, rv.basis, rv.metric, rv.aggregate, rv.direction,
       (extract(epoch FROM rv.window_length) * 1000000)::bigint AS window_us, rv.window_snapshots, rv.min_samples,
       rv.baseline, rv.threshold, rv.opened_at, rv.deadline,
       (SELECT min(e.at) FROM orchestrator.model_version_event e
         WHERE e.model_version_id = rv.model_version_id AND e.from_status = 'active' AND e.at >= rv.opened_at) AS retired_at
  FROM orchestrator.retrain_verification rv
  JOIN orchestrator.retrain_policy p ON p.id = rv.policy_id
  JOIN orchestrator.retrain_policy_version pv ON pv.id = rv.policy_version_id
  JOIN orchestrator.model m ON m.id = rv.model_id
  JOIN orchestrator.model_version nv ON nv.id = rv.model_version_id
  LEFT JOIN orchestrator.model_version ov ON ov.id = rv.previous_version_id
 WHERE rv.outcome IS NULL
 ORDER BY rv.experiment_id
