-- What ops failed lists: failed experiments and orphaned ones (running, owner provably gone), most
-- recent first, with the step that did not complete, the trial where the run stopped (the lowest one
-- left running), the error and that of the trial that failed last, when and on which node; and how its last job execution ended, which says
-- how it restarts (experiment.RestartRoute): plain ops restart resumes a job that did not complete,
-- ops restart --retry-failed starts a new round for a run that failed by its own rules (job COMPLETED).
SELECT e.id, m.name AS model, e.status,
       CASE WHEN e.status = 'failed' THEN 'failed' ELSE 'orphaned' END AS state,
       step.step_name AS step, step.status AS step_status, je.status AS job_status,
       open_trial.number AS trial, done.trials AS trials_done,
       CAST(e.spec -> 'budget' ->> 'trials' AS integer) AS budget_trials,
       e.error, coalesce(e.finished_at, e.heartbeat_at) AS at,
       CASE WHEN e.owner LIKE 'rescuer:%'   -- a rescue held it last: the node it was rescued from
            THEN (SELECT i.previous_owner FROM orchestrator.experiment_intervention i
                   WHERE i.experiment_id = e.id ORDER BY i.id DESC LIMIT 1)
            ELSE e.owner END AS node,
       e.attempt, e.rescues,
       e.job_execution_id,
       last_failed.number AS failed_trial, last_failed.error AS failed_trial_error
  FROM orchestrator.experiment e
  JOIN orchestrator.model m ON m.id = e.model_id
  LEFT JOIN batch.batch_job_execution je ON je.job_execution_id = e.job_execution_id
  LEFT JOIN LATERAL (
        SELECT s.step_name, s.status FROM batch.batch_step_execution s
         WHERE s.job_execution_id = e.job_execution_id AND s.status <> 'COMPLETED'
         ORDER BY s.step_execution_id DESC LIMIT 1) step ON true
  LEFT JOIN LATERAL (
        SELECT min(t.number) AS number FROM orchestrator.trial t
         WHERE t.experiment_id = e.id AND t.status = 'running') open_trial ON true
  LEFT JOIN LATERAL (
        SELECT count(*) AS trials FROM orchestrator.trial t
         WHERE t.experiment_id = e.id AND t.status <> 'running') done ON true
  -- the trial that failed last, whose error is usually the trainer's stderr tail: the why of the run
  LEFT JOIN LATERAL (
        SELECT t.number, t.error FROM orchestrator.trial t
         WHERE t.experiment_id = e.id AND t.status = 'failed' AND t.error IS NOT NULL
         ORDER BY t.finished_at DESC NULLS LAST, t.number DESC LIMIT 1) last_failed ON true
 WHERE e.status = 'failed'
    OR (e.status = 'running' AND orchestrator.owner_is_gone(e.owner, e.heartbeat_at, :staleAfterMs * interval '1 millisecond'))
 ORDER BY coalesce(e.finished_at, e.heartbeat_at) DESC NULLS LAST, e.id DESC
 LIMIT :limit
