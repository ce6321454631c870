-- The challenger gate's verdict on each of the given versions that an experiment's gate judged.
SELECT g.candidate_version_id, g.experiment_id, g.verdict, g.metric, g.candidate_score, av.version AS active_version,
       g.active_score, g.reason, g.decided_at
  FROM orchestrator.gate_result g
  LEFT JOIN orchestrator.model_version av ON av.id = g.active_version_id
 WHERE g.candidate_version_id = ANY (CAST(:versions AS bigint[]))
