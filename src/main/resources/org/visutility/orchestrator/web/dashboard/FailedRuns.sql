-- Failed experiments, most recently failed first, with why, the last failed trial's error, and how
-- their last Spring Batch job execution ended (which decides the restart command offered).
SELECT e.id            AS experiment_id,
       m.name          AS model,
       e.trigger,
       p.name          AS policy,
       e.queued_at,
       e.started_at,
       e.finished_at,
       e.attempt,
       e.status,
       e.error,
       je.status       AS job_status,
       coalesce(tc.total, 0)  AS trials_total,
       coalesce(tc.failed, 0) AS trials_failed,
       lt.number       AS last_failed_trial,
       lt.error        AS last_failed_trial_error
  FROM orchestrator.experiment e
  JOIN orchestrator.model m ON m.id = e.model_id
  LEFT JOIN orchestrator.retrain_policy p ON p.id = e.policy_id
  LEFT JOIN batch.batch_job_execution je ON je.job_execution_id = e.job_execution_id
  LEFT JOIN LATERAL (
        SELECT count(*) AS total, count(*) FILTER (WHERE t.status = 'failed') AS failed
          FROM orchestrator.trial t WHERE t.experiment_id = e.id) tc ON true
  LEFT JOIN LATERAL (
        SELECT t.number, t.error FROM orchestrator.trial t
         WHERE t.experiment_id = e.id AND t.status = 'failed'
         ORDER BY t.number DESC LIMIT 1) lt ON true
 WHERE e.status = 'failed'
 ORDER BY e.finished_at DESC NULLS LAST, e.id DESC
 LIMIT :limit
