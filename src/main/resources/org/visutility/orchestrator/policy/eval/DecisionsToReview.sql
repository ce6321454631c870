-- The decisions (policy evaluations with evidence) that used any of the given snapshots, each with
-- which of its evidence snapshots are superseded now and the latest instant one was. A decision
-- already reviewed at that same state of its evidence is left out: each review is recorded once.
WITH used AS (
    SELECT e.id, e.policy_version_id, e.model_id, e.evaluated_at, e.from_state, e.to_state, e.condition,
           e.evidence_snapshot_ids, e.evidence_observed_from, e.evidence_observed_to
      FROM orchestrator.policy_evaluation e
     WHERE e.evidence_snapshot_ids && :snapshot_ids::bigint[]
), revised AS (
    SELECT used.id, array_agg(s.id ORDER BY s.id) AS superseded_ids, max(s.superseded_at) AS revised_through
      FROM used
     CROSS JOIN LATERAL unnest(used.evidence_snapshot_ids) AS ev(snapshot_id)
      -- bounded by when the evidence was observed (V396), so only its months' partitions are probed
      JOIN orchestrator.metric_snapshot s ON s.id = ev.snapshot_id
                                         AND s.observed_at BETWEEN used.evidence_observed_from AND used.evidence_observed_to
     WHERE s.superseded_at IS NOT NULL
     GROUP BY used.id
)
SELECT used.id AS evaluation_id, used.policy_version_id, used.model_id, m.name AS model_name, used.evaluated_at,
       used.from_state, used.to_state, used.condition, revised.superseded_ids, revised.revised_through
  FROM used
  JOIN revised ON revised.id = used.id
  JOIN orchestrator.model m ON m.id = used.model_id
 WHERE NOT EXISTS (SELECT 1 FROM orchestrator.decision_review r
                    WHERE r.evaluation_id = used.id AND r.basis = 'revised_evidence'
                      AND r.revised_through = revised.revised_through)
 ORDER BY used.id
