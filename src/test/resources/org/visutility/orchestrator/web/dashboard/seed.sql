-- The dashboard's sample data: enough history that every chart has several points.
--   churn:  v1 hourly for two days (its accuracy drifts down on the second), then v2 hourly for a day;
--           churn-accuracy-floor (threshold 0.80, then 0.85 from 2026-11-19 06:00) fired and resolved,
--           churn-recall-precision (two conditions, `when` as a list) fired; a disabled policy with an
--           unreadable `when`; experiment 1 (20 trials: 16 complete, 2 failed, 2 pruned) produced v2,
--           experiment 3 failed before any trial, experiment 4 waits in the queue.
--   fraud:  two segments every two hours for two days; fraud-fpr-ceiling (above 0.05) fired and resolved;
--           experiment 2 failed after three failed trials.
--   ranker: every four hours, no policy; experiment 5 (minimize val_loss) is running.
--   Version lifecycle (model_version_event): every version active when the lifecycle was introduced
--   (2026-11-01); churn's v2, registered by experiment 1, was rejected by the gate, approved by an
--   operator and made active by its first snapshots (v1 retired); an operator rolled back to v1 at
--   08:00 on 2026-11-20 and another back to v2 at 10:00.
SELECT orchestrator.ensure_snapshot_partition(timestamptz '2026-11-18 00:00+00');

INSERT INTO orchestrator.model (id, name, description, created_at) OVERRIDING SYSTEM VALUE VALUES
  (1, 'churn', 'Predicts which subscribers cancel next month', '2026-11-01 00:00+00'),
  (2, 'fraud', 'Scores card payments', '2026-11-01 00:00+00'),
  (3, 'ranker', NULL, '2026-11-01 00:00+00');

INSERT INTO orchestrator.model_version (id, model_id, version, source, status, created_at) OVERRIDING SYSTEM VALUE VALUES
  (1, 1, 'v1', 'ingest', 'retired', '2026-11-01 00:00+00'),
  (3, 2, 'f1', 'ingest', 'active', '2026-11-01 00:00+00'),
  (4, 3, 'r1', 'ingest', 'active', '2026-11-01 00:00+00');

INSERT INTO orchestrator.ingest_batch (id, channel, origin, received_at, snapshot_count, inserted_count) OVERRIDING SYSTEM VALUE VALUES
  (1, 'http', '10.0.0.7', '2026-11-21 00:00+00', 132, 132);

-- churn v1: 48 hourly snapshots from 2026-11-18 00:00; accuracy, precision and recall fall on the second day
INSERT INTO orchestrator.metric_snapshot (model_id, model_version_id, observed_at, segment, source, sample_count, metrics, batch_id)
SELECT 1, 1, timestamptz '2026-11-18 00:00+00' + h * interval '1 hour', '', 'serving', 1000 + (h * 37) % 400,
       jsonb_build_object(
         'accuracy',  round((0.92 - CASE WHEN h < 24 THEN 0 ELSE 0.12 * (h - 24) / 23.0 END + 0.004 * sin(h))::numeric, 4),
         'precision', round((0.88 - CASE WHEN h < 24 THEN 0 ELSE 0.10 * (h - 24) / 23.0 END + 0.003 * cos(h))::numeric, 4),
         'recall',    round((0.84 - CASE WHEN h < 24 THEN 0 ELSE 0.14 * (h - 24) / 23.0 END + 0.004 * sin(h / 2.0))::numeric, 4)),
       1
  FROM generate_series(0, 47) h;

-- fraud f1: 24 snapshots per segment (eu, us) every two hours; eu's false positive rate spikes around 2026-11-18 20:00
INSERT INTO orchestrator.metric_snapshot (model_id, model_version_id, observed_at, segment, source, sample_count, metrics, batch_id)
SELECT 2, 3, timestamptz '2026-11-18 00:00+00' + k * interval '2 hours', seg, 'serving', 5000,
       jsonb_build_object(
         'auc', round((CASE seg WHEN 'eu' THEN 0.95 ELSE 0.94 END + 0.005 * sin(k))::numeric, 4),
         'false_positive_rate', round((CASE WHEN seg = 'eu' AND k BETWEEN 10 AND 13 THEN 0.07 ELSE 0.03 END + 0.002 * cos(k))::numeric, 4)),
       1
  FROM generate_series(0, 23) k, unnest(ARRAY['eu', 'us']) seg;

-- ranker r1: 12 snapshots every four hours
INSERT INTO orchestrator.metric_snapshot (model_id, model_version_id, observed_at, segment, source, sample_count, metrics, batch_id)
SELECT 3, 4, timestamptz '2026-11-18 00:00+00' + k * interval '4 hours', '', 'warehouse', 20000,
       jsonb_build_object('ndcg', round((0.71 + 0.01 * sin(k))::numeric, 4)), 1
  FROM generate_series(0, 11) k;

INSERT INTO orchestrator.retrain_policy (id, name, model_id, current_version, enabled, created_at, updated_at) OVERRIDING SYSTEM VALUE VALUES
  (1, 'churn-accuracy-floor', 1, 2, true, '2026-11-01 00:00+00', '2026-11-19 06:00+00'),
  (2, 'churn-recall-precision', 1, 1, true, '2026-11-01 00:00+00', '2026-11-01 00:00+00'),
  (3, 'churn-legacy', 1, 1, false, '2026-11-01 00:00+00', '2026-11-02 00:00+00'),
  (4, 'fraud-fpr-ceiling', 2, 1, true, '2026-11-01 00:00+00', '2026-11-01 00:00+00');

INSERT INTO orchestrator.retrain_policy_version (id, policy_id, version, spec, spec_sha256, created_at) OVERRIDING SYSTEM VALUE VALUES
  (1, 1, 1, '{"when": {"metric": "accuracy", "aggregate": "mean", "window": "6h", "below": 0.80, "for": "30m"}, "cooldown": "24h"}',
   repeat('1', 64), '2026-11-01 00:00+00'),
  (2, 1, 2, '{"when": {"metric": "accuracy", "aggregate": "mean", "window": "6h", "below": 0.85, "for": "30m"}, "cooldown": "24h"}',
   repeat('2', 64), '2026-11-19 06:00+00'),
  (3, 2, 1, '{"when": [{"metric": "recall", "aggregate": "mean", "window": "3h", "below": 0.75},
                       {"metric": "precision", "aggregate": "min", "window": "3h", "below": 0.80}], "cooldown": "12h"}',
   repeat('3', 64), '2026-11-01 00:00+00'),
  (4, 3, 1, '{"when": "accuracy < 0.5"}', repeat('4', 64), '2026-11-01 00:00+00'),
  (5, 4, 1, '{"when": {"metric": "false_positive_rate", "aggregate": "max", "window": "2h", "above": 0.05}, "cooldown": "6h"}',
   repeat('5', 64), '2026-11-01 00:00+00');

INSERT INTO orchestrator.experiment (id, model_id, policy_id, trigger, spec, spec_sha256, status,
                                     queued_at, started_at, finished_at, owner, heartbeat_at, attempt, error, orchestrator_version)
OVERRIDING SYSTEM VALUE VALUES
  (1, 1, 1, 'policy',
   '{"model": "churn", "objective": {"metric": "val_accuracy", "direction": "maximize"}, "strategy": {"name": "tpe", "seed": 42},
     "budget": {"trials": 20, "parallel": 1, "max_failed": 5},
     "space": {"learning_rate": {"type": "float", "low": 0.0001, "high": 0.1, "log": true},
               "epochs": {"type": "int", "low": 5, "high": 50, "step": 5},
               "optimizer": {"type": "categorical", "choices": ["sgd", "adagrad", "adam"]}},
     "trainer": {"type": "command", "command": ["python3", "train.py"]}}',
   repeat('a', 64), 'succeeded', '2026-11-19 15:00+00', '2026-11-19 15:01+00', '2026-11-19 21:41+00', 'node-a', NULL, 2, NULL, '0.1.0'),
  (2, 2, 4, 'policy',
   '{"model": "fraud", "objective": {"metric": "auc", "direction": "maximize"}, "strategy": {"name": "random", "seed": 7},
     "budget": {"trials": 10, "max_failed": 2},
     "space": {"trees": {"type": "int", "low": 100, "high": 500}, "max_depth": {"type": "int", "low": 3, "high": 12}}}',
   repeat('b', 64), 'failed', '2026-11-18 20:00+00', '2026-11-18 20:01+00', '2026-11-18 21:32+00', 'node-b', NULL, 1,
   'max_failed reached: 3 trials failed (budget.max_failed is 2)', '0.1.0'),
  (3, 1, 2, 'policy',
   '{"model": "churn", "objective": {"metric": "val_recall", "direction": "maximize"}, "strategy": {"name": "random", "seed": 1},
     "space": {"threshold": {"type": "float", "low": 0.1, "high": 0.9}}}',
   repeat('c', 64), 'failed', '2026-11-19 20:00+00', '2026-11-19 20:01+00', '2026-11-19 20:01+00', 'node-a', NULL, 1,
   'trainer could not start: python3: command not found (exit 127)', '0.1.0'),
  (4, 1, NULL, 'submit',
   '{"model": "churn", "objective": {"metric": "val_accuracy", "direction": "maximize"}, "strategy": {"name": "grid"}}',
   repeat('d', 64), 'queued', '2026-11-20 10:00+00', NULL, NULL, NULL, NULL, 0, NULL, NULL),
  (5, 3, NULL, 'submit',
   '{"model": "ranker", "objective": {"metric": "val_loss", "direction": "minimize"}, "strategy": {"name": "grid"},
     "space": {"k": {"type": "int", "low": 10, "high": 50, "step": 10}}}',
   repeat('e', 64), 'running', '2026-11-20 09:00+00', '2026-11-20 09:00+00', NULL, 'node-b', '2026-11-20 10:40+00', 1, NULL, '0.1.0');

-- experiment 2 failed by its own rules (max_failed): its Spring Batch job completed, so the restart
-- that works is ops restart 2 --retry-failed; experiment 3 failed before its job started
INSERT INTO batch.batch_job_instance (job_instance_id, version, job_name, job_key) VALUES (1, 0, 'experiment', repeat('2', 32));
INSERT INTO batch.batch_job_execution (job_execution_id, version, job_instance_id, create_time, start_time, end_time, status,
                                       exit_code, exit_message, last_updated)
VALUES (1, 2, 1, '2026-11-18 20:01', '2026-11-18 20:01', '2026-11-18 21:32', 'COMPLETED', 'COMPLETED', '', '2026-11-18 21:32');
UPDATE orchestrator.experiment SET job_execution_id = 1 WHERE id = 2;

INSERT INTO orchestrator.policy_evaluation (id, policy_version_id, model_id, evaluated_at, from_state, to_state, condition,
                                            observed, threshold, evidence_snapshot_ids, experiment_id)
OVERRIDING SYSTEM VALUE VALUES
  (1, 2, 1, '2026-11-19 14:00+00', 'ok', 'pending', 'mean(accuracy, 6h) below 0.85', 0.8467, 0.85, '{}', NULL),
  (2, 2, 1, '2026-11-19 15:00+00', 'pending', 'firing', 'mean(accuracy, 6h) below 0.85', 0.8410, 0.85, '{}', 1),
  (3, 2, 1, '2026-11-20 03:00+00', 'firing', 'resolved', 'mean(accuracy, 6h) below 0.85', 0.9150, 0.85, '{}', NULL),
  (4, 2, 1, '2026-11-20 04:00+00', 'resolved', 'ok', 'mean(accuracy, 6h) below 0.85', 0.9160, 0.85, '{}', NULL),
  (5, 3, 1, '2026-11-19 19:00+00', 'ok', 'pending', 'mean(recall, 3h) below 0.75', 0.7460, 0.75, '{}', NULL),
  (6, 3, 1, '2026-11-19 20:00+00', 'pending', 'firing', 'mean(recall, 3h) below 0.75', 0.7380, 0.75, '{}', 3),
  (7, 5, 2, '2026-11-18 20:00+00', 'ok', 'firing', 'max(false_positive_rate, 2h) above 0.05', 0.0720, 0.05, '{}', 2),
  (8, 5, 2, '2026-11-19 04:00+00', 'firing', 'resolved', 'max(false_positive_rate, 2h) above 0.05', 0.0310, 0.05, '{}', NULL),
  -- an old episode, before the snapshots shown by default
  (9, 1, 1, '2026-11-10 00:00+00', 'ok', 'firing', 'mean(accuracy, 6h) below 0.8', 0.7900, 0.80, '{}', NULL),
  (10, 1, 1, '2026-11-10 06:00+00', 'firing', 'resolved', 'mean(accuracy, 6h) below 0.8', 0.9000, 0.80, '{}', NULL);
UPDATE orchestrator.experiment SET policy_evaluation_id = 2 WHERE id = 1;
-- the firing evaluations' evidence: the snapshots in the window their condition aggregated
UPDATE orchestrator.policy_evaluation ev
   SET evidence_snapshot_ids = (SELECT array_agg(s.id ORDER BY s.observed_at) FROM orchestrator.metric_snapshot s
                                 WHERE s.model_id = ev.model_id AND s.observed_at > ev.evaluated_at - w.span AND s.observed_at <= ev.evaluated_at)
  FROM (VALUES (2, interval '6 hours'), (6, interval '3 hours'), (7, interval '2 hours')) w(id, span)
 WHERE ev.id = w.id;
UPDATE orchestrator.experiment SET policy_evaluation_id = 7 WHERE id = 2;
UPDATE orchestrator.experiment SET policy_evaluation_id = 6 WHERE id = 3;

INSERT INTO orchestrator.policy_state (policy_id, model_id, state, since, last_evaluated_at, last_observed) VALUES
  (1, 1, 'ok', '2026-11-20 04:00+00', '2026-11-20 23:00+00', 0.916),
  (2, 1, 'firing', '2026-11-19 20:00+00', '2026-11-20 23:00+00', 0.83),
  (4, 2, 'resolved', '2026-11-19 04:00+00', '2026-11-20 23:00+00', 0.031);

-- experiment 1: 20 trials every 20 minutes; 3 and 11 failed, 6 and 15 were pruned, the other 16 completed
INSERT INTO orchestrator.trial (experiment_id, number, params, status, score, metrics, started_at, finished_at, attempt, worker, error)
SELECT 1, n, jsonb_build_object('learning_rate', lr, 'epochs', epochs, 'optimizer', optimizer),
       CASE WHEN n IN (3, 11) THEN 'failed' WHEN n IN (6, 15) THEN 'pruned' ELSE 'complete' END,
       CASE WHEN n IN (3, 6, 11, 15) THEN NULL ELSE score END,
       CASE WHEN n IN (3, 6, 11, 15) THEN NULL ELSE jsonb_build_object('val_accuracy', score, 'val_loss', round((1 - score)::numeric, 4)) END,
       timestamptz '2026-11-19 15:01+00' + n * interval '20 minutes',
       timestamptz '2026-11-19 15:01+00' + n * interval '20 minutes' + interval '18 minutes',
       CASE WHEN n = 7 THEN 2 ELSE 1 END,
       CASE WHEN n < 7 THEN 'node-a' ELSE 'node-b' END,
       CASE WHEN n IN (3, 11) THEN 'trainer exited with status 1: loss diverged (nan at step 12)' END
  FROM (SELECT n, lr, epochs, optimizer,
               round((0.95 - 0.03 * abs(log(lr) + 2.5) - 0.0004 * abs(epochs - 30)
                      - CASE optimizer WHEN 'adam' THEN 0 WHEN 'adagrad' THEN 0.01 ELSE 0.02 END
                      - 0.015 * (19 - n) / 19.0)::numeric, 4)::double precision AS score
          FROM (SELECT n,
                       round(power(10, -4 + ((n * 7) % 20) * 3.0 / 19)::numeric, 6)::double precision AS lr,
                       5 + 5 * ((n * 3) % 10) AS epochs,
                       (ARRAY['sgd', 'adagrad', 'adam'])[n % 3 + 1] AS optimizer
                  FROM generate_series(0, 19) n) p) scored;

-- experiment 1's intermediate reports (the learning curves): five epochs for each complete trial, climbing to
-- its score; two for each pruned one, which the median pruner stopped below the others
UPDATE orchestrator.trial t
   SET reports = (SELECT jsonb_agg(jsonb_build_object('step', s, 'val_accuracy', round((t.score - 0.02 * (5 - s))::numeric, 4),
                                                      'val_loss', round((1 - t.score + 0.02 * (5 - s))::numeric, 4)) ORDER BY s)
                    FROM generate_series(1, 5) s)
 WHERE t.experiment_id = 1 AND t.status = 'complete';
UPDATE orchestrator.trial t
   SET reports = (SELECT jsonb_agg(jsonb_build_object('step', s, 'val_accuracy', 0.80 + 0.01 * s + 0.001 * t.number) ORDER BY s)
                    FROM generate_series(1, 2) s)
 WHERE t.experiment_id = 1 AND t.status = 'pruned';

-- experiment 2: three failed trials
INSERT INTO orchestrator.trial (experiment_id, number, params, status, started_at, finished_at, worker, error) VALUES
  (2, 0, '{"trees": 100, "max_depth": 6}', 'failed', '2026-11-18 20:01+00', '2026-11-18 20:31+00', 'node-b', 'timeout after 30m'),
  (2, 1, '{"trees": 300, "max_depth": 9}', 'failed', '2026-11-18 20:31+00', '2026-11-18 21:01+00', 'node-b', 'timeout after 30m'),
  (2, 2, '{"trees": 500, "max_depth": 12}', 'failed', '2026-11-18 21:01+00', '2026-11-18 21:32+00', 'node-b',
   'trainer exited with status 137: killed (out of memory)');

-- experiment 5: four complete trials of a grid, the fifth running
INSERT INTO orchestrator.trial (experiment_id, number, params, status, score, metrics, started_at, finished_at, worker)
SELECT 5, n, jsonb_build_object('k', 10 + 10 * n),
       CASE WHEN n < 4 THEN 'complete' ELSE 'running' END,
       CASE WHEN n < 4 THEN (ARRAY[0.42, 0.37, 0.39, 0.35])[n + 1] END,
       CASE WHEN n < 4 THEN jsonb_build_object('val_loss', (ARRAY[0.42, 0.37, 0.39, 0.35])[n + 1]) END,
       timestamptz '2026-11-20 09:00+00' + n * interval '25 minutes',
       CASE WHEN n < 4 THEN timestamptz '2026-11-20 09:00+00' + n * interval '25 minutes' + interval '24 minutes' END,
       'node-b'
  FROM generate_series(0, 4) n;

INSERT INTO orchestrator.hyperparameter_set (id, experiment_id, trial_id, params, score, created_at) OVERRIDING SYSTEM VALUE
SELECT 1, 1, t.id, t.params, t.score, '2026-11-19 21:41+00'
  FROM orchestrator.trial t
 WHERE t.experiment_id = 1 AND t.status = 'complete'
 ORDER BY t.score DESC, t.number
 LIMIT 1;

INSERT INTO orchestrator.model_version (id, model_id, version, source, experiment_id, hyperparameter_set_id, status, created_at)
OVERRIDING SYSTEM VALUE VALUES
  (2, 1, 'v2', 'experiment', 1, 1, 'active', '2026-11-19 21:41+00');
UPDATE orchestrator.model_version SET artifact_uri = 'file:///var/lib/orchestrator/artifacts/churn/v2/model.tribuo' WHERE id = 2;

-- churn v2: 24 hourly snapshots on 2026-11-20, back above the floor
INSERT INTO orchestrator.metric_snapshot (model_id, model_version_id, observed_at, segment, source, sample_count, metrics, batch_id)
SELECT 1, 2, timestamptz '2026-11-18 00:00+00' + h * interval '1 hour', '', 'serving', 1000 + (h * 37) % 400,
       jsonb_build_object('accuracy',  round((0.915 + 0.004 * sin(h))::numeric, 4),
                          'precision', round((0.885 + 0.003 * cos(h))::numeric, 4),
                          'recall',    round((0.83 + 0.004 * sin(h / 2.0))::numeric, 4)),
       1
  FROM generate_series(48, 71) h;

INSERT INTO orchestrator.metric_value (snapshot_id, observed_at, model_id, model_version_id, metric, value, sample_count)
SELECT s.id, s.observed_at, s.model_id, s.model_version_id, kv.key, kv.value::double precision, s.sample_count
  FROM orchestrator.metric_snapshot s, jsonb_each_text(s.metrics) kv;

INSERT INTO orchestrator.model_version_event (id, model_version_id, from_status, to_status, at, actor, reason, evidence)
OVERRIDING SYSTEM VALUE VALUES
  (1, 1, 'active', 'active', '2026-11-01 00:00+00', 'migration', 'lifecycle introduced: the model''s version that reported most recently', '{}'),
  (2, 3, 'active', 'active', '2026-11-01 00:00+00', 'migration', 'lifecycle introduced: the model''s version that reported most recently', '{}'),
  (3, 4, 'active', 'active', '2026-11-01 00:00+00', 'migration', 'lifecycle introduced: the model''s version that reported most recently', '{}'),
  (4, 2, NULL, 'candidate', '2026-11-19 21:41+00', 'experiment', 'registered by experiment 1', '{"experiment_id": 1}'),
  (5, 2, 'candidate', 'rejected', '2026-11-19 21:42+00', 'gate', 'evaluator failed: the active version v1 has no artifact', '{"experiment_id": 1, "gate": null}'),
  (6, 2, 'rejected', 'approved', '2026-11-19 21:55+00', 'operator:alice', 'v1 cannot be scored: approved on the trial scores', '{"force": true}'),
  (7, 1, 'active', 'retired', '2026-11-20 00:00+00', 'serving', 'v2 reported its first snapshots', '{}'),
  (8, 2, 'approved', 'active', '2026-11-20 00:00+00', 'serving', 'first snapshots reported under v2', '{}'),
  (9, 2, 'active', 'retired', '2026-11-20 08:00+00', 'operator:bob', 'rolled back to v1', '{}'),
  (10, 1, 'retired', 'active', '2026-11-20 08:00+00', 'operator:bob', 'rollback: v2 precision dips on eu traffic', '{}'),
  (11, 1, 'active', 'retired', '2026-11-20 10:00+00', 'operator:alice', 'rolled back to v2', '{}'),
  (12, 2, 'retired', 'active', '2026-11-20 10:00+00', 'operator:alice', 'rollback: the dip was late labels, not v2', '{}');
