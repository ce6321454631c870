-- model_version_history computed status_until with lead() over every version's changes, so a filter
-- on the model or the status could not reach the tables: every question read all changes of all
-- versions (they grow with every experiment). status_until is now the next change of the same
-- version found through model_version_event_by_version (one index probe per row), the same value,
-- and a filter on model, version or status narrows the rows read. Same columns, grants kept.
CREATE OR REPLACE VIEW lineage.model_version_history AS
SELECT m.name                  AS model,
       mv.version,
       mv.id                   AS model_version_id,
       mv.source               AS version_source,
       mv.experiment_id,
       mv.artifact_uri,
       mv.status               AS current_status,
       e.id                    AS event_id,
       e.at,
       e.from_status,
       e.to_status,
       nxt.at                  AS status_until,
       e.actor,
       e.reason,
       e.evidence
  FROM orchestrator.model_version_event e
  JOIN orchestrator.model_version mv ON mv.id = e.model_version_id
  JOIN orchestrator.model m ON m.id = mv.model_id
  LEFT JOIN LATERAL (
        SELECT n.at FROM orchestrator.model_version_event n
         WHERE n.model_version_id = e.model_version_id AND n.id > e.id
         ORDER BY n.id LIMIT 1) nxt ON true;
