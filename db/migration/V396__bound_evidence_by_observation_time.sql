-- A decision's evidence snapshots are found by id, but orchestrator.metric_snapshot is partitioned by
-- month of observed_at: a lookup by id alone probes every month's partition, so lineage questions over
-- the last weeks' retrains (experiment_lineage's evidence) cost more with every month of history kept
-- (8 monthly probes per decision on the bench's seven-month history, against 2 on three weeks). Each
-- decision now records when its evidence was observed, first and last, and the view bounds the lookup
-- by them, so PostgreSQL probes only the months the evidence lies in.

ALTER TABLE orchestrator.policy_evaluation
    ADD COLUMN evidence_observed_from timestamptz,
    ADD COLUMN evidence_observed_to   timestamptz,
    ADD CONSTRAINT policy_evaluation_evidence_observed_in_order
        CHECK (evidence_observed_from IS NULL OR evidence_observed_to IS NULL OR evidence_observed_from <= evidence_observed_to);
COMMENT ON COLUMN orchestrator.policy_evaluation.evidence_observed_from IS 'observed_at of the oldest snapshot in evidence_snapshot_ids, as the policy job saw it (NULL without evidence, or when none of those snapshots existed any more when the row was written). Lookups of the evidence by id bound observed_at by it so that only its months'' partitions are read.';
COMMENT ON COLUMN orchestrator.policy_evaluation.evidence_observed_to IS 'observed_at of the newest snapshot in evidence_snapshot_ids (NULL as for evidence_observed_from).';

-- Rows written so far.
UPDATE orchestrator.policy_evaluation ev
   SET evidence_observed_from = b.first_at, evidence_observed_to = b.last_at
  FROM (SELECT p.id, min(s.observed_at) AS first_at, max(s.observed_at) AS last_at
          FROM orchestrator.policy_evaluation p
          JOIN orchestrator.metric_snapshot s ON s.id = ANY (p.evidence_snapshot_ids)
         GROUP BY p.id) b
 WHERE b.id = ev.id;

-- The policy job passes the bounds with each row (it looks the evidence snapshots up once per pass
-- anyway); any other writer that gives ids without bounds gets them from the snapshots here.
CREATE FUNCTION orchestrator.bound_evidence_by_observation_time() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    SELECT min(s.observed_at), max(s.observed_at) INTO NEW.evidence_observed_from, NEW.evidence_observed_to
      FROM orchestrator.metric_snapshot s
     WHERE s.id = ANY (NEW.evidence_snapshot_ids);
    RETURN NEW;
END $$;
COMMENT ON FUNCTION orchestrator.bound_evidence_by_observation_time() IS 'Trigger function on orchestrator.policy_evaluation: fills evidence_observed_from and evidence_observed_to from the evidence snapshots when a row with evidence comes without them.';

CREATE TRIGGER policy_evaluation_evidence_bounds
    BEFORE INSERT ON orchestrator.policy_evaluation
    FOR EACH ROW
    WHEN (NEW.evidence_observed_from IS NULL AND cardinality(NEW.evidence_snapshot_ids) > 0)
    EXECUTE FUNCTION orchestrator.bound_evidence_by_observation_time();

-- ------------------------------------------------------------------ experiment_lineage
-- V230's view, its evidence looked up within the months it was observed in, and the bounds shown
-- (appended), so that an analyst's own join of the evidence can bound it the same way.
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
       rhs.params                             AS registered_hyperparameters,
       ev.evidence_observed_from,
       ev.evidence_observed_to
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
         WHERE s.id = ANY (ev.evidence_snapshot_ids)
           AND s.observed_at BETWEEN ev.evidence_observed_from AND ev.evidence_observed_to) evidence ON true
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

COMMENT ON COLUMN lineage.experiment_lineage.evidence_observed_from IS 'When the oldest evidence snapshot of the decision that enqueued was observed (policy_evaluation.evidence_observed_from); bound a join of metric_snapshot on evidence_snapshot_ids by it and evidence_observed_to, so that only those months are read.';
COMMENT ON COLUMN lineage.experiment_lineage.evidence_observed_to IS 'When the newest evidence snapshot of that decision was observed.';
