-- The last successful and the last failed run of each cluster-wide, recurring Quartz job (policy
-- evaluation, the rescuer, experiment dispatch, OpenLineage delivery, each SQL collector), whichever
-- node ran it. Written by every node after each run (a Quartz job listener); GET /health and
-- GET /metrics read it, so a schedule that stopped shows on every node, not only where it ran.
CREATE TABLE orchestrator.job_run (
    job               text        PRIMARY KEY,
    last_success_at   timestamptz,
    last_success_node text,
    last_failure_at   timestamptz,
    last_failure_node text,
    last_error        text,
    CONSTRAINT job_run_ran CHECK (last_success_at IS NOT NULL OR last_failure_at IS NOT NULL)
);
COMMENT ON TABLE orchestrator.job_run IS 'One row per cluster-wide recurring Quartz job that has run at least once: when it last succeeded and last failed, and on which node. GET /health counts a job overdue when its last success is too old for its trigger''s interval.';
COMMENT ON COLUMN orchestrator.job_run.job IS 'The Quartz job as group.name, e.g. policy.evaluate-policies, ops.rescue-stale-runs, experiments.experiment-dispatch, lineage.openlineage-delivery, sql-collector.NAME; the job label of the orchestrator_job_* metrics.';
COMMENT ON COLUMN orchestrator.job_run.last_success_at IS 'When a run last ended without error (database time); NULL if none has yet.';
COMMENT ON COLUMN orchestrator.job_run.last_success_node IS 'The Quartz instance id of the node that ran the last successful run.';
COMMENT ON COLUMN orchestrator.job_run.last_failure_at IS 'When a run last ended with an error (database time); NULL if none has.';
COMMENT ON COLUMN orchestrator.job_run.last_failure_node IS 'The Quartz instance id of the node that ran the last failed run.';
COMMENT ON COLUMN orchestrator.job_run.last_error IS 'Why the last failed run failed (its exception''s message, at most 1000 characters).';
