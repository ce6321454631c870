-- The status changes of the given versions, in the order they were made.
SELECT e.id, e.model_version_id, e.from_status, e.to_status, e.at, e.actor, e.reason, CAST(e.evidence AS text) AS evidence
  FROM orchestrator.model_version_event e
 WHERE e.model_version_id = ANY (CAST(:versions AS bigint[]))
 ORDER BY e.id
