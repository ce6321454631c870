-- A small, fixed lineage: churn's accuracy fell, its policy fired, an experiment tuned it and
-- registered v2; fraud's policy fired, its experiment failed, and a second firing was held back by
-- the cooldown; a fraud experiment submitted by hand failed; another churn experiment waits in the queue.
SELECT orchestrator.ensure_snapshot_partition(timestamptz '2026-11-20 00:00+00');

INSERT INTO orchestrator.model (id, name, created_at) OVERRIDING SYSTEM VALUE VALUES
  (1, 'churn', '2026-11-01 00:00+00'), (2, 'fraud', '2026-11-01 00:00+00');

INSERT INTO orchestrator.model_version (id, model_id, version, source, status, created_at) OVERRIDING SYSTEM VALUE VALUES
  (1, 1, 'v1', 'ingest', 'active', '2026-11-01 00:00+00'),
  (3, 2, 'f1', 'ingest', 'active', '2026-11-01 00:00+00');

INSERT INTO orchestrator.ingest_batch (id, channel, origin, received_at, snapshot_count, inserted_count) OVERRIDING SYSTEM VALUE VALUES
  (1, 'http', '10.0.0.7', '2026-11-20 06:00+00', 8, 8);

INSERT INTO orchestrator.metric_snapshot (id, model_id, model_version_id, observed_at, segment, source, sample_count, metrics, batch_id, ingested_at)
OVERRIDING SYSTEM VALUE VALUES
  (1, 1, 1, '2026-11-20 00:00+00', '', 'serving', 1000, '{"accuracy": 0.91}', 1, '2026-11-20 06:00+00'),
  (2, 1, 1, '2026-11-20 01:00+00', '', 'serving', 1000, '{"accuracy": 0.90}', 1, '2026-11-20 06:00+00'),
  (3, 1, 1, '2026-11-20 02:00+00', '', 'serving', 1000, '{"accuracy": 0.86}', 1, '2026-11-20 06:00+00'),
  (4, 1, 1, '2026-11-20 03:00+00', '', 'serving', 1000, '{"accuracy": 0.83}', 1, '2026-11-20 06:00+00'),
  (5, 1, 1, '2026-11-20 04:00+00', '', 'serving', 1000, '{"accuracy": 0.82}', 1, '2026-11-20 06:00+00'),
  (6, 1, 1, '2026-11-20 05:00+00', '', 'serving', 1000, '{"accuracy": 0.81}', 1, '2026-11-20 06:00+00'),
  (7, 2, 3, '2026-11-20 00:00+00', '', 'serving', 5000, '{"accuracy": 0.97}', 1, '2026-11-20 06:00+00'),
  (8, 2, 3, '2026-11-20 05:00+00', '', 'serving', 5000, '{"accuracy": 0.96}', 1, '2026-11-20 06:00+00');

INSERT INTO orchestrator.metric_value (snapshot_id, observed_at, model_id, model_version_id, metric, value, sample_count)
SELECT s.id, s.observed_at, s.model_id, s.model_version_id, kv.key, kv.value::double precision, s.sample_count
  FROM orchestrator.metric_snapshot s, jsonb_each_text(s.metrics) kv;
-- written around the ingest path: the newest snapshot per version and segment is recomputed
SELECT orchestrator.rebuild_snapshot_latest();

INSERT INTO orchestrator.retrain_policy (id, name, model_id, current_version, created_at, updated_at) OVERRIDING SYSTEM VALUE VALUES
  (1, 'churn-accuracy-floor', 1, 2, '2026-11-01 00:00+00', '2026-11-10 00:00+00'),
  (2, 'fraud-accuracy-floor', 2, 1, '2026-11-01 00:00+00', '2026-11-01 00:00+00');

INSERT INTO orchestrator.retrain_policy_version (id, policy_id, version, spec, spec_sha256, created_at) OVERRIDING SYSTEM VALUE VALUES
  (1, 1, 1, '{"name": "churn-accuracy-floor", "model": "churn", "when": [{"metric": "accuracy", "aggregate": "mean", "window": "6h", "min_samples": 1000, "below": 0.8}], "for": "30m", "cooldown": "1d", "experiment": {"model": "churn"}}',
   repeat('a', 64), '2026-11-01 00:00+00'),
  (2, 1, 2, '{"name": "churn-accuracy-floor", "model": "churn", "when": [{"metric": "accuracy", "aggregate": "mean", "window": "6h", "min_samples": 1000, "below": 0.85}], "for": "30m", "cooldown": "1d", "experiment": {"model": "churn"}}',
   repeat('b', 64), '2026-11-10 00:00+00'),
  (3, 2, 1, '{"name": "fraud-accuracy-floor", "model": "fraud", "when": [{"metric": "accuracy", "aggregate": "last", "window": "1d", "min_samples": 1, "below": 0.9}], "for": "0s", "cooldown": "1d", "experiment": {"model": "fraud"}}',
   repeat('c', 64), '2026-11-01 00:00+00');

INSERT INTO orchestrator.experiment (id, model_id, policy_id, policy_evaluation_id, trigger, spec, spec_sha256, status,
                                     queued_at, started_at, finished_at, owner, attempt, error, orchestrator_version)
OVERRIDING SYSTEM VALUE VALUES
  (1, 1, 1, NULL, 'policy',
   '{"model": "churn", "objective": {"metric": "val_accuracy", "direction": "maximize"}, "strategy": {"name": "tpe", "seed": 42}}',
   repeat('d', 64), 'succeeded', '2026-11-20 04:00+00', '2026-11-20 04:01+00', '2026-11-20 04:31+00', 'node-a', 2, NULL, '0.1.0'),
  (2, 2, NULL, NULL, 'submit',
   '{"model": "fraud", "objective": {"metric": "auc", "direction": "maximize"}, "strategy": {"name": "random", "seed": 7}, "budget": {"max_failed": 2}}',
   repeat('e', 64), 'failed', '2026-11-21 09:00+00', '2026-11-21 09:00+00', '2026-11-21 10:00+00', 'node-b', 1,
   'max_failed reached: 2 trials failed', '0.1.0'),
  (3, 1, NULL, NULL, 'submit',
   '{"model": "churn", "objective": {"metric": "val_accuracy", "direction": "maximize"}, "strategy": {"name": "grid"}}',
   repeat('f', 64), 'queued', '2026-11-22 08:00+00', NULL, NULL, NULL, 0, NULL, NULL),
  (4, 2, 2, NULL, 'policy',
   '{"model": "fraud", "objective": {"metric": "auc", "direction": "maximize"}, "strategy": {"name": "random", "seed": 7}}',
   repeat('e', 64), 'failed', '2026-11-17 00:00+00', '2026-11-17 00:01+00', '2026-11-17 02:00+00', 'node-b', 1,
   'step prepare failed: dataset /data/fraud/train.csv not found', '0.1.0');

-- fraud's policy fired on the 17th (experiment 4, which failed at 02:00) and resolved; it fired again
-- on the 18th inside its 1d cooldown, was held back, and resolved before the cooldown ended.
INSERT INTO orchestrator.policy_evaluation (id, policy_version_id, model_id, evaluated_at, from_state, to_state, condition,
                                            observed, threshold, evidence_snapshot_ids, experiment_id, detail)
OVERRIDING SYSTEM VALUE VALUES
  (1, 2, 1, '2026-11-20 03:05+00', 'ok', 'pending', 'mean(accuracy, 6h) below 0.85', 0.875, 0.85, '{1,2,3,4}', NULL,
   '{"policy": "churn-accuracy-floor", "policy_version": 2, "for": "30m", "cooldown": "1d", "conditions": [{"condition": "mean(accuracy, 6h) below 0.85", "holds": true, "recovered": false, "observed": 0.875, "threshold": 0.85, "evidence_snapshots": 4}]}'),
  (2, 2, 1, '2026-11-20 04:00+00', 'pending', 'firing', 'mean(accuracy, 6h) below 0.85', 0.864, 0.85, '{1,2,3,4,5}', 1,
   '{"policy": "churn-accuracy-floor", "policy_version": 2, "for": "30m", "cooldown": "1d", "conditions": [{"condition": "mean(accuracy, 6h) below 0.85", "holds": true, "recovered": false, "observed": 0.864, "threshold": 0.85, "evidence_snapshots": 5}], "enqueue": true}'),
  (5, 3, 2, '2026-11-17 00:00+00', 'ok', 'firing', 'last(accuracy, 1d) below 0.9', 0.88, 0.9, '{}', 4,
   '{"policy": "fraud-accuracy-floor", "policy_version": 1, "for": "0s", "cooldown": "1d", "conditions": [{"condition": "last(accuracy, 1d) below 0.9", "holds": true, "recovered": false, "observed": 0.88, "threshold": 0.9, "evidence_snapshots": 1}], "enqueue": true}'),
  (6, 3, 2, '2026-11-17 12:00+00', 'firing', 'resolved', 'last(accuracy, 1d) below 0.9', 0.95, 0.9, '{}', NULL,
   '{"policy": "fraud-accuracy-floor", "policy_version": 1, "for": "0s", "cooldown": "1d", "conditions": [{"condition": "last(accuracy, 1d) below 0.9", "holds": false, "recovered": true, "observed": 0.95, "threshold": 0.9, "evidence_snapshots": 1}]}'),
  (3, 3, 2, '2026-11-18 00:00+00', 'resolved', 'firing', 'last(accuracy, 1d) below 0.9', 0.89, 0.9, '{}', NULL,
   '{"policy": "fraud-accuracy-floor", "policy_version": 1, "for": "0s", "cooldown": "1d", "conditions": [{"condition": "last(accuracy, 1d) below 0.9", "holds": true, "recovered": false, "observed": 0.89, "threshold": 0.9, "evidence_snapshots": 1}], "enqueue": false, "guard": "cooldown 1d after the last experiment, until 2026-11-18T02:00:00Z", "held_back": {"by": "cooldown", "until": "2026-11-18T02:00:00Z", "experiment_id": 4}}'),
  (4, 3, 2, '2026-11-18 01:00+00', 'firing', 'resolved', 'last(accuracy, 1d) below 0.9', 0.97, 0.9, '{}', NULL,
   '{"policy": "fraud-accuracy-floor", "policy_version": 1, "for": "0s", "cooldown": "1d", "conditions": [{"condition": "last(accuracy, 1d) below 0.9", "holds": false, "recovered": true, "observed": 0.97, "threshold": 0.9, "evidence_snapshots": 1}]}');
UPDATE orchestrator.experiment SET policy_evaluation_id = 2 WHERE id = 1;
UPDATE orchestrator.experiment SET policy_evaluation_id = 5 WHERE id = 4;

INSERT INTO orchestrator.policy_state (policy_id, model_id, state, since, last_evaluated_at, last_observed) VALUES
  (1, 1, 'firing', '2026-11-20 04:00+00', '2026-11-20 06:00+00', 0.855),
  (2, 2, 'resolved', '2026-11-18 01:00+00', '2026-11-20 06:00+00', 0.96);

INSERT INTO orchestrator.trial (id, experiment_id, number, params, status, score, metrics, started_at, finished_at, attempt, worker, error)
OVERRIDING SYSTEM VALUE VALUES
  (1, 1, 0, '{"learning_rate": 0.01, "epochs": 10}', 'complete', 0.88, '{"val_accuracy": 0.88}', '2026-11-20 04:01+00', '2026-11-20 04:07+00', 1, 'node-a', NULL),
  (2, 1, 1, '{"learning_rate": 0.5, "epochs": 40}', 'failed', NULL, NULL, '2026-11-20 04:07+00', '2026-11-20 04:08+00', 1, 'node-a',
   'trainer exited with status 1: loss diverged'),
  (3, 1, 2, '{"learning_rate": 0.003, "epochs": 30}', 'complete', 0.93, '{"val_accuracy": 0.93}', '2026-11-20 04:08+00', '2026-11-20 04:18+00', 1, 'node-a', NULL),
  (4, 1, 3, '{"learning_rate": 0.0001, "epochs": 50}', 'pruned', NULL, NULL, '2026-11-20 04:18+00', '2026-11-20 04:20+00', 1, 'node-a', NULL),
  (5, 1, 4, '{"learning_rate": 0.002, "epochs": 25}', 'complete', 0.91, '{"val_accuracy": 0.91}', '2026-11-20 04:25+00', '2026-11-20 04:30+00', 2, 'node-b', NULL),
  (6, 2, 0, '{"trees": 100}', 'failed', NULL, NULL, '2026-11-21 09:00+00', '2026-11-21 09:30+00', 1, 'node-b', 'timeout after 30m'),
  (7, 2, 1, '{"trees": 300}', 'failed', NULL, NULL, '2026-11-21 09:30+00', '2026-11-21 10:00+00', 1, 'node-b', 'timeout after 30m');

INSERT INTO orchestrator.hyperparameter_set (id, experiment_id, trial_id, params, score, created_at) OVERRIDING SYSTEM VALUE VALUES
  (1, 1, 3, '{"learning_rate": 0.003, "epochs": 30}', 0.93, '2026-11-20 04:31+00');

INSERT INTO orchestrator.model_version (id, model_id, version, source, experiment_id, hyperparameter_set_id, status, created_at)
OVERRIDING SYSTEM VALUE VALUES
  (2, 1, 'v2', 'experiment', 1, 1, 'candidate', '2026-11-20 04:31+00');

-- What the runs ran with, as their prepare steps recorded it. node-a (orchestrator 0.1.0) crashed
-- during churn's trial 4; node-b, already upgraded to 0.1.1, took the run over and ran that trial again.
UPDATE orchestrator.experiment
   SET strategy_seed = 42, strategy_version = '0.1.0', trainer_type = 'command', trainer_version = '0.1.0',
       trainer_command = '["python3", "train_churn.py"]', dataset_location = '/data/churn/train-2026-11.csv',
       dataset_bytes = 18734512, dataset_sha256 = '9c1185a5c5e9fc54612808977ee8f548b2258d31e0a4c3b8f1d6a7e2b4c09d17',
       prepared_at = '2026-11-20 04:01+00', orchestrator_version = '0.1.1'
 WHERE id = 1;
UPDATE orchestrator.experiment
   SET strategy_seed = 7, strategy_version = '0.1.0', trainer_type = 'command', trainer_version = '0.1.0',
       trainer_command = '["python3", "train_fraud.py"]', dataset_location = 's3://warehouse/fraud/2026-11-21.parquet',
       prepared_at = '2026-11-21 09:00+00'
 WHERE id = 2;
UPDATE orchestrator.trial SET orchestrator_version = CASE WHEN worker = 'node-b' AND experiment_id = 1 THEN '0.1.1' ELSE '0.1.0' END;

-- Every attempt of every trial, as the triggers record them on the real paths: trial 4's first
-- attempt ran on node-a until node-a's last heartbeat at 04:24 (interrupted), its second on node-b.
DELETE FROM orchestrator.trial_attempt;
INSERT INTO orchestrator.trial_attempt (trial_id, experiment_id, trial_number, attempt, worker, orchestrator_version,
                                        started_at, ended_at, outcome, error)
SELECT t.id, t.experiment_id, t.number, 1, 'node-a', '0.1.0', '2026-11-20 04:20+00', '2026-11-20 04:24+00', 'interrupted', NULL
  FROM orchestrator.trial t WHERE t.id = 5;
INSERT INTO orchestrator.trial_attempt (trial_id, experiment_id, trial_number, attempt, worker, orchestrator_version,
                                        started_at, ended_at, outcome, error)
SELECT t.id, t.experiment_id, t.number, t.attempt, t.worker, t.orchestrator_version, t.started_at, t.finished_at, t.status,
       CASE WHEN t.status = 'failed' THEN t.error END
  FROM orchestrator.trial t ORDER BY t.started_at, t.id;

-- The version lifecycle: churn's v1 and fraud's f1 were registered by their first snapshots
-- (serving), churn's v2 by experiment 1 (a candidate); an operator rejected nothing yet.
INSERT INTO orchestrator.model_version_event (id, model_version_id, from_status, to_status, at, actor, reason, evidence)
OVERRIDING SYSTEM VALUE VALUES
  (1, 1, NULL, 'active', '2026-11-01 00:00+00', 'serving', 'first seen; the model had no active version',
   '{"batch_id": 1, "newest_observed_at": "2026-11-01T00:00:00Z"}'),
  (2, 3, NULL, 'active', '2026-11-01 00:00+00', 'serving', 'first seen; the model had no active version',
   '{"batch_id": 1, "newest_observed_at": "2026-11-01T00:00:00Z"}'),
  (3, 2, NULL, 'candidate', '2026-11-20 04:31+00', 'experiment', 'registered by experiment 1',
   '{"experiment_id": 1, "hyperparameter_set_id": 1}');

-- Closing the loop on experiment 1: the challenger gate scored v2 against v1 on fresh labelled rows
-- and approved it; the serving stack reported v2 at 08:00 (v2 active, v1 retired); post-deploy
-- verification judged 08:00-14:00 of v2's production accuracy against the policy's line and v1's
-- value at the breach: recovered.
INSERT INTO orchestrator.gate_result (experiment_id, candidate_version_id, active_version_id, metric, direction, min_gain,
                                      candidate_score, active_score, verdict, reason, evidence, decided_at) VALUES
  (1, 2, 1, 'accuracy', 'maximize', 0.01, 0.92, 0.82, 'approved', 'accuracy 0.92 beats 0.82 by 0.1 (min_gain 0.01)',
   '{"candidate": {"version": "v2", "metrics": {"accuracy": 0.92, "recall": 0.85}}, "active": {"version": "v1", "metrics": {"accuracy": 0.82, "recall": 0.80}}, "no_worse": {"recall": {"candidate": 0.85, "active": 0.80, "ok": true}}, "evaluator": "command"}',
   '2026-11-20 04:33+00');
INSERT INTO orchestrator.model_version_event (id, model_version_id, from_status, to_status, at, actor, reason, evidence)
OVERRIDING SYSTEM VALUE VALUES
  (4, 2, 'candidate', 'approved', '2026-11-20 04:33+00', 'gate', 'accuracy 0.92 beats 0.82 by 0.1 (min_gain 0.01)',
   '{"experiment_id": 1}'),
  (5, 1, 'active', 'retired', '2026-11-20 08:00+00', 'serving', 'replaced by v2: first snapshots of the approved version',
   '{"replaced_by": "v2"}'),
  (6, 2, 'approved', 'active', '2026-11-20 08:00+00', 'serving', 'first snapshots of the approved version',
   '{"retired": "v1"}');
UPDATE orchestrator.model_version SET status = 'retired' WHERE id = 1;
UPDATE orchestrator.model_version SET status = 'active' WHERE id = 2;
INSERT INTO orchestrator.retrain_verification (experiment_id, policy_id, policy_version_id, model_id, model_version_id,
                                               previous_version_id, basis, metric, aggregate, direction, window_length,
                                               min_samples, within, breach_at, baseline, threshold, opened_at, deadline,
                                               outcome, observed, sample_count, decided_at, reason) VALUES
  (1, 1, 2, 1, 2, 1, 'verify', 'accuracy', 'weighted_mean', 'maximize', '6 hours', 1000, '3 days', '2026-11-20 04:00+00',
   0.864, 0.85, '2026-11-20 08:00+00', '2026-11-23 08:00+00', 'recovered', 0.905, 6000, '2026-11-20 14:00+00',
   'accuracy 0.905 over 6h is back at or above 0.85 and not worse than the baseline 0.864');
