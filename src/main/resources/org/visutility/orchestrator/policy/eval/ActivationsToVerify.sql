-- Versions produced by a policy's experiment that have become active and have no verification
-- yet, whatever made them active (the serving stack's snapshots, activate: auto, an operator):
-- the first activation of each, the version it replaced (retired by the same transaction, so at
-- the same instant, just before) and when the policy fired.
SELECT DISTINCT ON (x.id)
       x.id AS experiment_id, x.policy_id, pe.policy_version_id, x.model_id, v.id AS model_version_id,
       ev.at AS activated_at, pe.evaluated_at AS breach_at,
       (SELECT r.model_version_id
          FROM orchestrator.model_version_event r
          JOIN orchestrator.model_version rv ON rv.id = r.model_version_id
         WHERE rv.model_id = v.model_id AND r.from_status = 'active' AND r.to_status = 'retired'
           AND r.at = ev.at AND r.id < ev.id
         ORDER BY r.id DESC
         LIMIT 1) AS previous_version_id
  FROM orchestrator.model_version_event ev
  JOIN orchestrator.model_version v ON v.id = ev.model_version_id
  JOIN orchestrator.experiment x ON x.id = v.experiment_id
  JOIN orchestrator.policy_evaluation pe ON pe.id = x.policy_evaluation_id
 WHERE ev.to_status = 'active'
   AND x.policy_id IS NOT NULL
   AND NOT EXISTS (SELECT 1 FROM orchestrator.retrain_verification rv WHERE rv.experiment_id = x.id)
 ORDER BY x.id, ev.id
 LIMIT :limit
