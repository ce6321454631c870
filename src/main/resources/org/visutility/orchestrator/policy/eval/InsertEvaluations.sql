-- One policy_evaluation row per state change (or enqueue decision), with its evidence.
INSERT INTO orchestrator.policy_evaluation (policy_version_id, model_id, evaluated_at, from_state, to_state, condition,
                                            observed, threshold, evidence_snapshot_ids, detail)
SELECT i.version_id, i.model_id, :at, i.from_state, i.to_state, i.condition, i.observed, i.threshold,
       i.evidence::bigint[], i.detail::jsonb
  FROM unnest(:version_ids::bigint[], :model_ids::bigint[], :from_states::text[], :to_states::text[], :conditions::text[],
              :observed::float8[], :thresholds::float8[], :evidence::text[], :details::text[])
       AS i(version_id, model_id, from_state, to_state, condition, observed, threshold, evidence, detail)
RETURNING id, policy_version_id, model_id
