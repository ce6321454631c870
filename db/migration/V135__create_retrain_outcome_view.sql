-- One row per retrain: from the breach that started it to whether production recovered. Built
-- over the experiment, the policy decision that enqueued it, the challenger gate's verdict
-- (gate_result), the version lifecycle (model_version_event) and post-deploy verification
-- (retrain_verification). Experiments submitted by hand are rows too, with no policy.

CREATE VIEW lineage.retrain_outcome AS
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
  LEFT JOIN orchestrator.policy_evaluation ev ON ev.id = e.policy_evaluation_id
  LEFT JOIN orchestrator.retrain_policy_version pv ON pv.id = ev.policy_version_id
  LEFT JOIN orchestrator.retrain_policy p ON p.id = e.policy_id
  LEFT JOIN orchestrator.hyperparameter_set hs ON hs.experiment_id = e.id
  LEFT JOIN LATERAL (
        SELECT mv.id, mv.version, mv.status FROM orchestrator.model_version mv
         WHERE mv.experiment_id = e.id ORDER BY mv.id DESC LIMIT 1) cv ON true
  LEFT JOIN orchestrator.gate_result g ON g.experiment_id = e.id
  LEFT JOIN orchestrator.model_version av ON av.id = g.active_version_id
  LEFT JOIN orchestrator.retrain_verification rv ON rv.experiment_id = e.id
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

COMMENT ON VIEW lineage.retrain_outcome IS 'One row per experiment (a retrain when a policy started it): the breach that started it, the run, the candidate version it produced, the challenger gate''s verdict with both scores, when the candidate was approved and became active, and the post-deploy verification: did it help? outcome sums it up.';
COMMENT ON COLUMN lineage.retrain_outcome.experiment_id IS 'The experiment (orchestrator.experiment.id).';
COMMENT ON COLUMN lineage.retrain_outcome.model_id IS 'The model''s id.';
COMMENT ON COLUMN lineage.retrain_outcome.model IS 'The model''s name.';
COMMENT ON COLUMN lineage.retrain_outcome.trigger IS 'What queued the experiment: policy, submit (experiments submit), demo or bench.';
COMMENT ON COLUMN lineage.retrain_outcome.policy_id IS 'The policy that enqueued it; NULL for a manual experiment.';
COMMENT ON COLUMN lineage.retrain_outcome.policy IS 'The policy''s name.';
COMMENT ON COLUMN lineage.retrain_outcome.policy_version_id IS 'The policy version whose decision enqueued it (orchestrator.retrain_policy_version.id).';
COMMENT ON COLUMN lineage.retrain_outcome.policy_version IS 'That version''s number.';
COMMENT ON COLUMN lineage.retrain_outcome.first_fired_at IS 'When the breach first fired: the policy''s latest change into firing for this model at or before decided_at (earlier than decided_at when a cooldown or an open experiment held the enqueue back).';
COMMENT ON COLUMN lineage.retrain_outcome.decided_at IS 'When the evaluation that enqueued the experiment ran.';
COMMENT ON COLUMN lineage.retrain_outcome.enqueued_at IS 'When the experiment was queued.';
COMMENT ON COLUMN lineage.retrain_outcome.started_at IS 'When its run started.';
COMMENT ON COLUMN lineage.retrain_outcome.finished_at IS 'When it ended.';
COMMENT ON COLUMN lineage.retrain_outcome.experiment_status IS 'queued, running, succeeded, failed, cancelled or abandoned.';
COMMENT ON COLUMN lineage.retrain_outcome.experiment_error IS 'Why the experiment failed, when it did.';
COMMENT ON COLUMN lineage.retrain_outcome.objective_metric IS 'The metric the tuning optimised.';
COMMENT ON COLUMN lineage.retrain_outcome.best_score IS 'The best trial''s objective score.';
COMMENT ON COLUMN lineage.retrain_outcome.candidate_version_id IS 'The version it produced (orchestrator.model_version.id); NULL when no trial completed.';
COMMENT ON COLUMN lineage.retrain_outcome.candidate_version IS 'That version''s label.';
COMMENT ON COLUMN lineage.retrain_outcome.candidate_status IS 'That version''s status now: candidate, approved, rejected, active or retired.';
COMMENT ON COLUMN lineage.retrain_outcome.gate_verdict IS 'The challenger gate''s verdict: approved or rejected; NULL before the gate ran.';
COMMENT ON COLUMN lineage.retrain_outcome.gate_reason IS 'Why, in words (e.g. no gate, the scores, or why the gate could not run).';
COMMENT ON COLUMN lineage.retrain_outcome.gate_metric IS 'The metric the gate compared; NULL when the spec had no gate.';
COMMENT ON COLUMN lineage.retrain_outcome.gate_candidate_score IS 'The candidate''s score on the gate''s evaluation data.';
COMMENT ON COLUMN lineage.retrain_outcome.gate_active_version IS 'The version it was judged against (active when the gate ran); NULL when none was active.';
COMMENT ON COLUMN lineage.retrain_outcome.gate_active_score IS 'That version''s score on the same data.';
COMMENT ON COLUMN lineage.retrain_outcome.gate_decided_at IS 'When the gate decided.';
COMMENT ON COLUMN lineage.retrain_outcome.approved_at IS 'When the candidate was first approved (by the gate or an operator).';
COMMENT ON COLUMN lineage.retrain_outcome.activated_at IS 'When the candidate first became active.';
COMMENT ON COLUMN lineage.retrain_outcome.activated_by IS 'Who made it active: serving (its first snapshots), gate (activate: auto) or operator:<name>.';
COMMENT ON COLUMN lineage.retrain_outcome.verification_metric IS 'The production metric verification judged (the policy''s verify: metric, or its condition''s).';
COMMENT ON COLUMN lineage.retrain_outcome.verification_opened_at IS 'When verification began (the activation).';
COMMENT ON COLUMN lineage.retrain_outcome.verification_deadline IS 'When a verification still without enough samples becomes inconclusive.';
COMMENT ON COLUMN lineage.retrain_outcome.metric_before IS 'The replaced version''s value of the metric at the breach.';
COMMENT ON COLUMN lineage.retrain_outcome.metric_after IS 'The new version''s production value over the judged window.';
COMMENT ON COLUMN lineage.retrain_outcome.verification_threshold IS 'The policy''s line the new value was held against.';
COMMENT ON COLUMN lineage.retrain_outcome.verification_samples IS 'Samples in the judged window.';
COMMENT ON COLUMN lineage.retrain_outcome.verification_outcome IS 'recovered, not_recovered or inconclusive; NULL while verification is open or before it opened.';
COMMENT ON COLUMN lineage.retrain_outcome.verification_decided_at IS 'When verification decided.';
COMMENT ON COLUMN lineage.retrain_outcome.verification_reason IS 'Why, in words.';
COMMENT ON COLUMN lineage.retrain_outcome.outcome IS 'Where the retrain ended or stands: recovered, not_recovered, inconclusive (verified); verifying; tuning; experiment_failed, experiment_cancelled, experiment_abandoned; no_candidate; rejected (by the gate or an operator); awaiting_gate; awaiting_activation (approved, not yet serving); active_unverified (serving, no verification: a manual experiment).';
COMMENT ON COLUMN lineage.retrain_outcome.breach_to_active IS 'Time from the breach''s first firing (or the decision, when unknown) to the candidate''s activation.';
COMMENT ON COLUMN lineage.retrain_outcome.breach_to_active_seconds IS 'The same in seconds, for aggregates.';
