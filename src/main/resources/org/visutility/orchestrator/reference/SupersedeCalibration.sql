UPDATE orchestrator.reference_calibration SET superseded_at = now()
 WHERE model_version_id = :version AND superseded_at IS NULL
