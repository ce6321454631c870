-- The documented questions that span experiments are bounded by a time window on when each run was
-- enqueued (experiment_lineage.enqueued_at, retrain_outcome.enqueued_at: experiment.queued_at), so
-- they read the runs of the window by an index range instead of every experiment ever run.
CREATE INDEX experiment_by_queued_at ON orchestrator.experiment (queued_at);
COMMENT ON INDEX orchestrator.experiment_by_queued_at IS 'Finds the runs enqueued in a time window (the lineage questions over the last days).';
