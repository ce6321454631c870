-- A trial's reference as its trainer made it (the built-in trainer's training-data histograms and
-- calibration, or a command trainer's final report under "references"), validated when the trial
-- completed. Finalize stores the best trial's as the registered version's reference
-- (orchestrator.reference_distribution, orchestrator.reference_calibration) in its transaction.
ALTER TABLE orchestrator.trial ADD COLUMN reported_reference jsonb;
COMMENT ON COLUMN orchestrator.trial.reported_reference IS 'The reference the trainer reported (the JSON shape of orchestrator references set FILE: features and an optional calibration), or NULL; the best trial''s becomes the registered version''s reference.';
