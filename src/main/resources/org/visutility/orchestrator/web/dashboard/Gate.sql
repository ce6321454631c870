-- The challenger gate's verdict on the candidate an experiment registered, with the versions as labels.
SELECT g.verdict, g.reason, g.metric, g.direction, g.min_gain,
       cv.version AS candidate_version, g.candidate_score,
       av.version AS active_version, g.active_score,
       g.decided_at, g.evidence -> 'no_worse' AS no_worse, g.evidence ->> 'evaluator' AS evaluator
  FROM orchestrator.gate_result g
  JOIN orchestrator.model_version cv ON cv.id = g.candidate_version_id
  LEFT JOIN orchestrator.model_version av ON av.id = g.active_version_id
 WHERE g.experiment_id = :id
