-- Policies last applied from this file that the file no longer holds are disabled; their history stays.
UPDATE orchestrator.retrain_policy p
   SET enabled = false, updated_at = now()
 WHERE p.source_file = :source_file AND p.enabled AND p.name <> ALL(:names::text[])
RETURNING p.name, p.current_version, (SELECT m.name FROM orchestrator.model m WHERE m.id = p.model_id) AS model
