-- Why an experiment runs, for its trainers (ORCH_MODEL, ORCH_SERVING_VERSION, ORCH_TRIGGER, ...): its
-- model, the version active now and its best set, the policy decision that enqueued it (with the
-- span of its evidence snapshots, as the decision recorded it: V396), and its round: the model's
-- experiments before it, plus one.
SELECT m.name AS model, e.trigger,
       sv.version AS serving_version, hs.params AS serving_hyperparameters,
       (SELECT count(*) FROM orchestrator.experiment b WHERE b.model_id = e.model_id AND b.id < e.id) + 1 AS round,
       p.name AS policy, pv.version AS policy_version, ev.condition, ev.observed, ev.threshold, ev.evaluated_at,
       ev.evidence_observed_from AS window_start, ev.evidence_observed_to AS window_end
  FROM orchestrator.experiment e
  JOIN orchestrator.model m ON m.id = e.model_id
  LEFT JOIN orchestrator.model_version sv ON sv.model_id = e.model_id AND sv.status = 'active'
  LEFT JOIN orchestrator.hyperparameter_set hs ON hs.id = sv.hyperparameter_set_id
  LEFT JOIN orchestrator.policy_evaluation ev ON ev.id = e.policy_evaluation_id
  LEFT JOIN orchestrator.retrain_policy_version pv ON pv.id = ev.policy_version_id
  LEFT JOIN orchestrator.retrain_policy p ON p.id = pv.policy_id
 WHERE e.id = :experiment
