-- Opens verifications, once each: a second opener (another node's pass) inserts nothing.
INSERT INTO orchestrator.retrain_verification (experiment_id, policy_id, policy_version_id, model_id, model_version_id,
                                               previous_version_id, basis, metric, aggregate, direction, window_length,
                                               window_snapshots, min_samples, within, breach_at, baseline, threshold,
                                               opened_at, deadline, evidence)
SELECT i.experiment_id, i.policy_id, i.policy_version_id, i.model_id, i.model_version_id, i.previous_version_id, i.basis,
       i.metric, i.aggregate, i.direction, i.window_us * interval '1 microsecond', i.window_snapshots, i.min_samples,
       i.within_us * interval '1 microsecond', timestamptz 'epoch' + i.breach_us * interval '1 microsecond', i.baseline,
       i.threshold, timestamptz 'epoch' + i.opened_us * interval '1 microsecond',
       timestamptz 'epoch' + (i.opened_us + i.within_us) * interval '1 microsecond', i.evidence::jsonb
  FROM unnest(:experiment_ids::bigint[], :policy_ids::bigint[], :policy_version_ids::bigint[], :model_ids::bigint[],
              :model_version_ids::bigint[], :previous_version_ids::bigint[], :bases::text[], :metrics::text[],
              :aggregates::text[], :directions::text[], :window_us::bigint[], :window_snapshots::int[],
              :min_samples::bigint[], :within_us::bigint[], :breach_us::bigint[], :baselines::float8[],
              :thresholds::float8[], :opened_us::bigint[], :evidence::text[])
       AS i(experiment_id, policy_id, policy_version_id, model_id, model_version_id, previous_version_id, basis, metric,
            aggregate, direction, window_us, window_snapshots, min_samples, within_us, breach_us, baseline, threshold,
            opened_us, evidence)
ON CONFLICT (experiment_id) DO NOTHING
RETURNING experiment_id
