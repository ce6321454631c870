-- Every enabled policy's (policy, model) gets a state row, ok since now, the first time it is evaluated.
INSERT INTO orchestrator.policy_state (policy_id, model_id, state, since)
SELECT p.id, p.model_id, 'ok', :at
  FROM orchestrator.retrain_policy p
 WHERE p.enabled
   AND NOT EXISTS (SELECT 1 FROM orchestrator.policy_state s WHERE s.policy_id = p.id AND s.model_id = p.model_id)
ON CONFLICT (policy_id, model_id) DO NOTHING
