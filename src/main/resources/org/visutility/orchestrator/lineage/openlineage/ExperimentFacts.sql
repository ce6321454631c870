-- Everything an OpenLineage run event says about one experiment, read from the lineage view at the
-- time the event is sent: the experiment facet and the winning hyperparameters as JSON, the dataset
-- and the model version it produced.
SELECT l.experiment_id, l.model, l.status, l.error, l.queued_at, l.prepared_at, l.finished_at,
       jsonb_strip_nulls(jsonb_build_object(
           'experimentId', l.experiment_id, 'model', l.model, 'trigger', l.trigger,
           'policy', l.policy, 'policyVersion', l.policy_version, 'evaluationId', l.evaluation_id,
           'status', l.status, 'attempt', l.attempt, 'specSha256', l.spec_sha256,
           'objective', jsonb_build_object('metric', l.objective_metric, 'direction', l.objective_direction),
           'strategy', jsonb_build_object('name', l.strategy, 'version', l.strategy_version, 'seed', l.strategy_seed),
           'trainer', jsonb_build_object('type', l.trainer_type, 'version', l.trainer_version,
                                         'command', l.trainer_command, 'algorithm', l.trainer_algorithm),
           'trials', jsonb_build_object('total', l.trials_total, 'complete', l.trials_complete,
                                        'failed', l.trials_failed, 'pruned', l.trials_pruned),
           'orchestratorVersion', l.orchestrator_version))::text AS experiment,
       CASE WHEN l.hyperparameter_set_id IS NOT NULL THEN jsonb_build_object(
           'hyperparameterSetId', l.hyperparameter_set_id, 'trialNumber', l.best_trial_number,
           'params', l.best_params, 'score', l.best_score,
           'objective', jsonb_build_object('metric', l.objective_metric, 'direction', l.objective_direction))::text
       END AS hyperparameters,
       l.dataset_location, l.dataset_bytes, l.dataset_sha256,
       l.produced_version, l.produced_version_status, mv.artifact_uri AS produced_artifact_uri
  FROM lineage.experiment_lineage l
  LEFT JOIN orchestrator.model_version mv ON mv.id = l.produced_model_version_id
 WHERE l.experiment_id = :id
