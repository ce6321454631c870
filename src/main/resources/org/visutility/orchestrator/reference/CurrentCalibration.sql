SELECT edges, predicted_mean, observed_rate, counts, threshold, positive_class, calibration_error, origin, set_by, set_at
  FROM orchestrator.reference_calibration
 WHERE model_version_id = :version AND superseded_at IS NULL
