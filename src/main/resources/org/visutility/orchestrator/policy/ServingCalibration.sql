-- The serving (active) versions of a model with their current reference calibration, newest first:
-- an estimated: condition is trusted only with a calibration, within the error limit, whose threshold
-- is one of its edges (so every score bin is wholly on one side of it).
SELECT v.version, c.id AS calibration_id, c.calibration_error, c.threshold = ANY (c.edges) AS threshold_on_edge, c.threshold
  FROM orchestrator.model m
  JOIN orchestrator.model_version v ON v.model_id = m.id AND v.status = 'active'
  LEFT JOIN orchestrator.reference_calibration c ON c.model_version_id = v.id AND c.superseded_at IS NULL
 WHERE m.name = :name
 ORDER BY v.id DESC
