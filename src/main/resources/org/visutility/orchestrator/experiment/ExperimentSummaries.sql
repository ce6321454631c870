-- One line per experiment with its progress: trials ended of the budget, the best so far (excluded trials left out).
-- With several objectives (objective a list) the metric is select's and the best is the current best set, once
-- finalize chose it from the Pareto front (before that there is no single best).
SELECT e.id, m.name AS model, e.status, e.trigger, e.queued_at, e.started_at, e.finished_at, e.error, e.attempt, e.owner,
       CAST(e.spec -> 'budget' ->> 'trials' AS integer) AS budget_trials,
       coalesce(e.spec -> 'objective' ->> 'metric', e.spec -> 'select' ->> 'metric') AS metric,
       coalesce(e.spec -> 'objective' ->> 'direction',
                (SELECT o ->> 'direction'
                   FROM jsonb_array_elements(CASE WHEN jsonb_typeof(e.spec -> 'objective') = 'array' THEN e.spec -> 'objective' END) o
                  WHERE o ->> 'metric' = e.spec -> 'select' ->> 'metric')) AS direction,
       e.spec -> 'strategy' ->> 'name' AS strategy,
       t.complete, t.failed, t.pruned, t.running,
       b.number AS best_number, b.score AS best_score,
       e.supersedes_experiment_id AS supersedes,
       (SELECT s.id FROM orchestrator.experiment s WHERE s.supersedes_experiment_id = e.id) AS superseded_by
  FROM orchestrator.experiment e
  JOIN orchestrator.model m ON m.id = e.model_id
  LEFT JOIN LATERAL (
        SELECT count(*) FILTER (WHERE status = 'complete') AS complete,
               count(*) FILTER (WHERE status = 'failed') AS failed,
               count(*) FILTER (WHERE status = 'pruned') AS pruned,
               count(*) FILTER (WHERE status = 'running') AS running
          FROM orchestrator.trial WHERE experiment_id = e.id) t ON true
  LEFT JOIN LATERAL (
        (SELECT number, score FROM orchestrator.trial bt
          WHERE experiment_id = e.id AND status = 'complete' AND jsonb_typeof(e.spec -> 'objective') = 'object'
            AND coalesce((SELECT max(x.sequence) FROM orchestrator.trial_exclusion_event x WHERE x.trial_id = bt.id), 0) % 2 = 0
          ORDER BY CASE WHEN e.spec -> 'objective' ->> 'direction' = 'maximize' THEN -score ELSE score END, number
          LIMIT 1)
        UNION ALL
        SELECT st.number, hs.score FROM orchestrator.hyperparameter_set hs JOIN orchestrator.trial st ON st.id = hs.trial_id
         WHERE hs.experiment_id = e.id AND hs.replaced_at IS NULL AND jsonb_typeof(e.spec -> 'objective') = 'array') b ON true
 WHERE (CAST(:id AS bigint) IS NULL OR e.id = :id)
   AND (CAST(:status AS text) IS NULL OR e.status = :status)
 ORDER BY e.id DESC
 LIMIT :limit
