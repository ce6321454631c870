-- Points a policy at a version (and its model), enables it and records the file it came from.
UPDATE orchestrator.retrain_policy
   SET current_version = :version, model_id = :model_id, enabled = true, source_file = :source_file, updated_at = now()
 WHERE id = :policy_id
