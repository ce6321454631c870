-- The version lifecycle for analysts: one row per status change with the version it concerns,
-- and how long the version stayed in the status it entered.

CREATE VIEW lineage.model_version_history AS
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
       lead(e.at) OVER (PARTITION BY e.model_version_id ORDER BY e.id) AS status_until,
       e.actor,
       e.reason,
       e.evidence
  FROM orchestrator.model_version_event e
  JOIN orchestrator.model_version mv ON mv.id = e.model_version_id
  JOIN orchestrator.model m ON m.id = mv.model_id;
COMMENT ON VIEW lineage.model_version_history IS 'Every status change of every model version (orchestrator.model_version_event) with its model and version: when each version was registered, approved, rejected, activated, retired or restored, by whom and why. A version''s active periods are its rows with to_status active, from at to status_until.';
COMMENT ON COLUMN lineage.model_version_history.model IS 'The model.';
COMMENT ON COLUMN lineage.model_version_history.version IS 'The version label.';
COMMENT ON COLUMN lineage.model_version_history.model_version_id IS 'Its id (orchestrator.model_version.id).';
COMMENT ON COLUMN lineage.model_version_history.version_source IS 'How the version became known: ingest, experiment or manual.';
COMMENT ON COLUMN lineage.model_version_history.experiment_id IS 'The experiment that produced the version, if any.';
COMMENT ON COLUMN lineage.model_version_history.artifact_uri IS 'Where the version''s trained artifact lives, when known.';
COMMENT ON COLUMN lineage.model_version_history.current_status IS 'The version''s status now.';
COMMENT ON COLUMN lineage.model_version_history.event_id IS 'The change (orchestrator.model_version_event.id); in id order per model.';
COMMENT ON COLUMN lineage.model_version_history.at IS 'When the change was made.';
COMMENT ON COLUMN lineage.model_version_history.from_status IS 'The status before; NULL when the version was registered by this change.';
COMMENT ON COLUMN lineage.model_version_history.to_status IS 'The status after.';
COMMENT ON COLUMN lineage.model_version_history.status_until IS 'When the version left to_status (its next change); NULL while it is still in it.';
COMMENT ON COLUMN lineage.model_version_history.actor IS 'gate, serving, operator:<name>, verification, experiment or migration.';
COMMENT ON COLUMN lineage.model_version_history.reason IS 'Why, in words.';
COMMENT ON COLUMN lineage.model_version_history.evidence IS 'What the change rested on, as a JSON object.';

-- The views of V40 name the statuses they show.
COMMENT ON COLUMN lineage.model_health.version_status IS 'candidate, approved, rejected, active (serving now) or retired; its history is in lineage.model_version_history.';
COMMENT ON COLUMN lineage.experiment_lineage.produced_version_status IS 'The produced version''s status now: candidate, approved, rejected, active or retired.';

-- The database's reader role gets SELECT on every lineage view after each migrate
-- (orchestrator.grant_database_roles, V95), this one included.
