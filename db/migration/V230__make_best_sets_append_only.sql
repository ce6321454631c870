-- Best sets are append-only. Trial quarantine used to recompute a finished experiment's best set by
-- updating its hyperparameter_set row in place, but orchestrator.model_version.hyperparameter_set_id
-- points at that row: the registered version then seemed trained with hyperparameters it never used,
-- and the next round's ORCH_SERVING_HYPERPARAMETERS carried them. Now a recomputation inserts a new
-- row and marks the old one replaced, in one transaction; an experiment has one current set (the
-- row not replaced), and a model version keeps pointing at the set it was trained with.

ALTER TABLE orchestrator.hyperparameter_set
    ADD COLUMN replaced_at    timestamptz,
    ADD COLUMN replaced_by_id bigint REFERENCES orchestrator.hyperparameter_set (id),
    ADD CONSTRAINT hyperparameter_set_replaced_by_needs_replaced_at CHECK (replaced_by_id IS NULL OR replaced_at IS NOT NULL);
COMMENT ON TABLE orchestrator.hyperparameter_set IS 'The best hyperparameters an experiment found, from its best trial; append-only. An experiment has one current set (replaced_at NULL), written at finalize; excluding or including a trial afterwards (trials exclude|include) may replace it by a new row. The model version registered from the experiment keeps pointing at the set it was trained with.';
COMMENT ON COLUMN orchestrator.hyperparameter_set.replaced_at IS 'When a trial exclusion or inclusion replaced this set by another (replaced_by_id); NULL for the experiment''s current set.';
COMMENT ON COLUMN orchestrator.hyperparameter_set.replaced_by_id IS 'The set that replaced this one (orchestrator.hyperparameter_set.id), written in the same transaction as replaced_at; NULL for the current set.';

ALTER TABLE orchestrator.hyperparameter_set DROP CONSTRAINT hyperparameter_set_experiment_id_key;
CREATE UNIQUE INDEX hyperparameter_set_one_current_per_experiment
    ON orchestrator.hyperparameter_set (experiment_id) WHERE replaced_at IS NULL;
COMMENT ON INDEX orchestrator.hyperparameter_set_one_current_per_experiment IS 'One current set per experiment: two recomputations at once cannot both leave a current set.';
CREATE INDEX hyperparameter_set_experiment ON orchestrator.hyperparameter_set (experiment_id);
COMMENT ON INDEX orchestrator.hyperparameter_set_experiment IS 'An experiment''s sets, current and replaced.';

-- What a set says is history: only its replacement may be recorded, once.
CREATE FUNCTION orchestrator.hyperparameter_set_history_kept() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF NEW.experiment_id IS DISTINCT FROM OLD.experiment_id OR NEW.trial_id IS DISTINCT FROM OLD.trial_id
       OR NEW.params IS DISTINCT FROM OLD.params OR NEW.score IS DISTINCT FROM OLD.score
       OR NEW.created_at IS DISTINCT FROM OLD.created_at THEN
        RAISE EXCEPTION 'orchestrator.hyperparameter_set % is history: insert a new set and mark this one replaced', OLD.id;
    END IF;
    IF (OLD.replaced_at IS NOT NULL AND NEW.replaced_at IS DISTINCT FROM OLD.replaced_at)
       OR (OLD.replaced_by_id IS NOT NULL AND NEW.replaced_by_id IS DISTINCT FROM OLD.replaced_by_id) THEN
        RAISE EXCEPTION 'orchestrator.hyperparameter_set % was replaced already', OLD.id;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION orchestrator.hyperparameter_set_history_kept() IS 'Refuses an UPDATE of orchestrator.hyperparameter_set other than recording, once, that the set was replaced.';
CREATE TRIGGER hyperparameter_set_history_kept
    BEFORE UPDATE ON orchestrator.hyperparameter_set
    FOR EACH ROW EXECUTE FUNCTION orchestrator.hyperparameter_set_history_kept();

-- ------------------------------------------------------------------ experiment_lineage
-- V180's view reading the current best set, with what the registered version was trained with appended.
CREATE OR REPLACE VIEW lineage.experiment_lineage AS
SELECT e.id                                   AS experiment_id,
       m.name                                 AS model,
       e.trigger,
       p.name                                 AS policy,
       pv.version                             AS policy_version,
       ev.id                                  AS evaluation_id,
       ev.evaluated_at                        AS decided_at,
       ev.condition                           AS decision_condition,
       ev.observed                            AS decision_observed,
       ev.threshold                           AS decision_threshold,
       ev.evidence_snapshot_ids,
       evidence.snapshots                     AS evidence,
       e.status,
       e.queued_at,
       e.started_at,
       e.finished_at,
       extract(epoch FROM e.finished_at - e.started_at) AS run_seconds,
       e.spec #>> '{strategy,name}'           AS strategy,
       e.spec #>> '{objective,metric}'        AS objective_metric,
       e.spec #>> '{objective,direction}'     AS objective_direction,
       e.spec_sha256,
       coalesce(tc.total, 0)                  AS trials_total,
       coalesce(tc.complete, 0)               AS trials_complete,
       coalesce(tc.failed, 0)                 AS trials_failed,
       coalesce(tc.pruned, 0)                 AS trials_pruned,
       bt.number                              AS best_trial_number,
       hs.score                               AS best_score,
       hs.params                              AS best_params,
       hs.id                                  AS hyperparameter_set_id,
       mv.version                             AS produced_version,
       mv.id                                  AS produced_model_version_id,
       mv.status                              AS produced_version_status,
       e.attempt,
       e.error,
       e.orchestrator_version,
       e.spec,
       e.strategy_seed,
       e.strategy_version,
       e.trainer_type,
       e.trainer_version,
       e.trainer_command,
       e.trainer_algorithm,
       e.dataset_location,
       e.dataset_bytes,
       e.dataset_sha256,
       e.prepared_at,
       m.id                                   AS model_id,
       e.policy_id,
       pv.id                                  AS policy_version_id,
       fired.at                               AS first_fired_at,
       e.queued_at                            AS enqueued_at,
       coalesce(mv.registered_at, mv.created_at) AS registered_at,
       coalesce(iv.restarts, 0)               AS restarts,
       coalesce(iv.rescues, 0)                AS rescues,
       e.supersedes_experiment_id,
       successor.id                           AS superseded_by_experiment_id,
       rhs.id                                 AS registered_hyperparameter_set_id,
       rt.number                              AS registered_trial_number,
       rhs.score                              AS registered_score,
       rhs.params                             AS registered_hyperparameters
  FROM orchestrator.experiment e
  JOIN orchestrator.model m ON m.id = e.model_id
  LEFT JOIN orchestrator.policy_evaluation ev ON ev.id = e.policy_evaluation_id
  LEFT JOIN orchestrator.retrain_policy_version pv ON pv.id = ev.policy_version_id
  LEFT JOIN orchestrator.retrain_policy p ON p.id = e.policy_id
  LEFT JOIN orchestrator.hyperparameter_set hs ON hs.experiment_id = e.id AND hs.replaced_at IS NULL
  LEFT JOIN orchestrator.trial bt ON bt.id = hs.trial_id
  LEFT JOIN LATERAL (
        SELECT mv1.id, mv1.version, mv1.status, mv1.created_at, mv1.hyperparameter_set_id,
               (SELECT min(x.at) FROM orchestrator.model_version_event x
                 WHERE x.model_version_id = mv1.id AND x.from_status IS NULL) AS registered_at
          FROM orchestrator.model_version mv1
         WHERE mv1.experiment_id = e.id ORDER BY mv1.id DESC LIMIT 1) mv ON true
  LEFT JOIN LATERAL (
        SELECT count(*)                                  AS total,
               count(*) FILTER (WHERE t.status = 'complete') AS complete,
               count(*) FILTER (WHERE t.status = 'failed')   AS failed,
               count(*) FILTER (WHERE t.status = 'pruned')   AS pruned
          FROM orchestrator.trial t WHERE t.experiment_id = e.id) tc ON true
  LEFT JOIN LATERAL (
        SELECT jsonb_agg(jsonb_build_object('snapshot_id', s.id, 'observed_at', s.observed_at,
                                            'segment', s.segment, 'sample_count', s.sample_count,
                                            'metrics', s.metrics) ORDER BY s.observed_at) AS snapshots
          FROM orchestrator.metric_snapshot s
         WHERE s.id = ANY (ev.evidence_snapshot_ids)) evidence ON true
  -- the firing episode's start: the latest change into firing of this policy for this model, at or
  -- before the decision that enqueued (as lineage.retrain_outcome.first_fired_at)
  LEFT JOIN LATERAL (
        SELECT f.evaluated_at AS at
          FROM orchestrator.policy_evaluation f
          JOIN orchestrator.retrain_policy_version fv ON fv.id = f.policy_version_id
         WHERE fv.policy_id = e.policy_id AND f.model_id = e.model_id
           AND f.to_state = 'firing' AND f.from_state IS DISTINCT FROM 'firing'
           AND f.evaluated_at <= ev.evaluated_at
         ORDER BY f.evaluated_at DESC LIMIT 1) fired ON true
  -- restarts by hand and rescues from gone nodes, counted from the intervention log: unlike
  -- experiment.rescues, the rescue count does not start over when the run is restarted
  LEFT JOIN LATERAL (
        SELECT count(*) FILTER (WHERE i.action = 'restart') AS restarts,
               count(*) FILTER (WHERE i.action IN ('rescue', 'takeover', 'recover')
                                  AND i.outcome IN ('requeued', 'taken_over')) AS rescues
          FROM orchestrator.experiment_intervention i WHERE i.experiment_id = e.id) iv ON true
  LEFT JOIN orchestrator.experiment successor ON successor.supersedes_experiment_id = e.id
  LEFT JOIN orchestrator.hyperparameter_set rhs ON rhs.id = mv.hyperparameter_set_id
  LEFT JOIN orchestrator.trial rt ON rt.id = rhs.trial_id;
COMMENT ON COLUMN lineage.experiment_lineage.best_trial_number IS 'The number of the best trial: the current best set''s, which a trial exclusion or inclusion may have replaced since the version was registered (then registered_trial_number differs).';
COMMENT ON COLUMN lineage.experiment_lineage.best_params IS 'Its hyperparameters (the current hyperparameter set).';
COMMENT ON COLUMN lineage.experiment_lineage.hyperparameter_set_id IS 'The experiment''s current hyperparameter set (replaced_at NULL); the replaced ones stay in orchestrator.hyperparameter_set.';
COMMENT ON COLUMN lineage.experiment_lineage.registered_hyperparameter_set_id IS 'The hyperparameter set the produced version was trained with (model_version.hyperparameter_set_id); differs from hyperparameter_set_id once an exclusion replaced the best set.';
COMMENT ON COLUMN lineage.experiment_lineage.registered_trial_number IS 'The trial that set came from.';
COMMENT ON COLUMN lineage.experiment_lineage.registered_score IS 'That trial''s score.';
COMMENT ON COLUMN lineage.experiment_lineage.registered_hyperparameters IS 'The hyperparameters the produced version was trained with.';

-- ------------------------------------------------------------------ retrain_outcome
-- V135's view, its best score read from the current best set.
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
  LEFT JOIN orchestrator.policy_evaluation ev ON ev.id = e.policy_evaluation_id
  LEFT JOIN orchestrator.retrain_policy_version pv ON pv.id = ev.policy_version_id
  LEFT JOIN orchestrator.retrain_policy p ON p.id = e.policy_id
  LEFT JOIN orchestrator.hyperparameter_set hs ON hs.experiment_id = e.id AND hs.replaced_at IS NULL
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

COMMENT ON COLUMN lineage.retrain_outcome.best_score IS 'The best trial''s objective score, from the experiment''s current best set.';
