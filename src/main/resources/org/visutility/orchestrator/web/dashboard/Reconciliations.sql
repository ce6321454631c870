-- The model's decisions taken before labels (drift or estimated performance) within [from, to),
-- the newest :limit, oldest first, each with its reconciliation against the realised metric
-- (lineage.decision_reconciliation): confirmed, revised or pending.
SELECT r.evaluation_id, r.policy, r.policy_version, r.evaluated_at, r.condition, r.observed, r.threshold, r.verdict,
       r.realised_metric, r.realised_value, r.realised_samples, r.realised_direction, r.realised_line,
       r.window_start, r.window_end, r.reviewed_at, r.experiment_id
  FROM (SELECT * FROM lineage.decision_reconciliation d
         WHERE d.model_id = :model_id
           AND d.evaluated_at >= coalesce(CAST(:from AS timestamptz), '-infinity')
           AND d.evaluated_at <  coalesce(CAST(:to AS timestamptz), 'infinity')
         ORDER BY d.evaluated_at DESC, d.evaluation_id DESC
         LIMIT :limit) r
 ORDER BY r.evaluated_at, r.evaluation_id
