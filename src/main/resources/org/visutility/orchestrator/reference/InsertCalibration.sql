INSERT INTO orchestrator.reference_calibration (model_version_id, edges, predicted_mean, observed_rate, counts, threshold,
                                                positive_class, calibration_error, origin, set_by)
VALUES (:version, :edges, :predictedMean, :observedRate, :counts, :threshold, :positiveClass, :calibrationError, :origin, :setBy)
