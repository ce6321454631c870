-- The challenger gate's verdict on the demo's candidate, with both versions' labels.
SELECT g.verdict, g.reason, g.metric, g.candidate_score, g.active_score, cv.version AS candidate_version,
       av.version AS active_version, g.evidence -> 'no_worse' AS no_worse
  FROM orchestrator.gate_result g
  JOIN orchestrator.model_version cv ON cv.id = g.candidate_version_id
  LEFT JOIN orchestrator.model_version av ON av.id = g.active_version_id
 WHERE g.experiment_id = :experiment
