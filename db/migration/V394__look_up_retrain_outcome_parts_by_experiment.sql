-- lineage.retrain_outcome as V230 left it, with each per-experiment part (the decision that enqueued,
-- the current best set, the gate's result and the version it compared against, the verification) looked up by the experiment's key rather
-- than joined whole. As plain joins, a question over a recent window (the last 14 days' retrains) had
-- the planner hash every gate result and best set ever written, so its cost grew with the history;
-- each part is at most one row per experiment (primary key or unique index), so LIMIT 1 changes no
-- answer and makes each an index probe per experiment in the window.
CREATE OR REPLACE VIEW lineage.retrain_outcome AS
SELECT e.id                                              AS experiment_id,
       m.id                                              AS model_id,
       m.name                                            AS model,
       e.trigger,
       p.id                                              AS policy_id,
       p.name                                            AS policy,
       pv.id                                             AS policy_version_id,
       pv.version                                        AS policy_version,
       fired.at                                          AS first_fired_at,
       ev.evaluated_at                                   AS decided_at,
       e.queued_at                                       AS enqueued_at,
       e.started_at,
       e.finished_at,
       e.status                                          AS experiment_status,
       e.error                                           AS experiment_error,
       e.spec #>> '{objective,metric}'                   AS objective_metric,
       hs.score                                          AS best_score,
       cv.id                                             AS candidate_version_id,
       cv.version                                        AS candidate_version,
       cv.status                                         AS candidate_status,
       g.verdict                                         AS gate_verdict,
       g.reason                                          AS gate_reason,
       g.metric                                          AS gate_metric,
       g.candidate_score                                 AS gate_candidate_score,
       av.version                                        AS gate_active_version,
       g.active_score                                    AS gate_active_score,
       g.decided_at                                      AS gate_decided_at,
       life.approved_at,
       life.activated_at,
       life.activated_by,
       rv.metric                                         AS verification_metric,
       rv.opened_at                                      AS verification_opened_at,
       rv.deadline                                       AS verification_deadline,
       rv.baseline                                       AS metric_before,
       rv.observed                                       AS metric_after,
       rv.threshold                                      AS verification_threshold,
       rv.sample_count                                   AS verification_samples,
       rv.outcome                                        AS verification_outcome,
       rv.decided_at                                     AS verification_decided_at,
       rv.reason                                         AS verification_reason,
       CASE
           WHEN rv.outcome IS NOT NULL                      THEN rv.outcome
           WHEN rv.experiment_id IS NOT NULL                THEN 'verifying'
           WHEN e.status IN ('queued', 'running')           THEN 'tuning'
           WHEN e.status <> 'succeeded'                     THEN 'experiment_' || e.status
           WHEN cv.id IS NULL                               THEN 'no_candidate'
           WHEN g.verdict = 'rejected' OR cv.status = 'rejected' THEN 'rejected'
           WHEN life.activated_at IS NOT NULL               THEN 'active_unverified'
           WHEN g.verdict = 'approved' OR cv.status = 'approved' THEN 'awaiting_activation'
           ELSE 'awaiting_gate'
       END                                               AS outcome,
       life.activated_at - coalesce(fired.at, ev.evaluated_at) AS breach_to_active,
       extract(epoch FROM life.activated_at - coalesce(fired.at, ev.evaluated_at)) AS breach_to_active_seconds
  FROM orchestrator.experiment e
  JOIN orchestrator.model m ON m.id = e.model_id
  LEFT JOIN LATERAL (
        SELECT x.evaluated_at, x.policy_version_id FROM orchestrator.policy_evaluation x
         WHERE x.id = e.policy_evaluation_id LIMIT 1) ev ON true
  LEFT JOIN orchestrator.retrain_policy_version pv ON pv.id = ev.policy_version_id
  LEFT JOIN orchestrator.retrain_policy p ON p.id = e.policy_id
  LEFT JOIN LATERAL (
        SELECT x.score FROM orchestrator.hyperparameter_set x
         WHERE x.experiment_id = e.id AND x.replaced_at IS NULL LIMIT 1) hs ON true
  LEFT JOIN LATERAL (
        SELECT mv.id, mv.version, mv.status FROM orchestrator.model_version mv
         WHERE mv.experiment_id = e.id ORDER BY mv.id DESC LIMIT 1) cv ON true
  LEFT JOIN LATERAL (
        SELECT x.* FROM orchestrator.gate_result x WHERE x.experiment_id = e.id LIMIT 1) g ON true
  LEFT JOIN LATERAL (
        SELECT x.version FROM orchestrator.model_version x WHERE x.id = g.active_version_id LIMIT 1) av ON true
  LEFT JOIN LATERAL (
        SELECT x.* FROM orchestrator.retrain_verification x WHERE x.experiment_id = e.id LIMIT 1) rv ON true
  -- the breach's first firing: the latest change into firing of this policy for this model, at or before the decision that enqueued
  LEFT JOIN LATERAL (
        SELECT f.evaluated_at AS at
          FROM orchestrator.policy_evaluation f
          JOIN orchestrator.retrain_policy_version fv ON fv.id = f.policy_version_id
         WHERE fv.policy_id = e.policy_id AND f.model_id = e.model_id
           AND f.to_state = 'firing' AND f.from_state IS DISTINCT FROM 'firing'
           AND f.evaluated_at <= ev.evaluated_at
         ORDER BY f.evaluated_at DESC LIMIT 1) fired ON true
  LEFT JOIN LATERAL (
        SELECT min(x.at) FILTER (WHERE x.to_status = 'approved') AS approved_at,
               min(x.at) FILTER (WHERE x.to_status = 'active')   AS activated_at,
               (array_agg(x.actor ORDER BY x.id) FILTER (WHERE x.to_status = 'active'))[1] AS activated_by
          FROM orchestrator.model_version_event x
         WHERE x.model_version_id = cv.id) life ON true;
