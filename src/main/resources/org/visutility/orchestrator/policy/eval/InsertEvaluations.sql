-- One policy_evaluation row per state change (or enqueue decision), with its evidence and the first
-- and last time its evidence was observed (null when not known: the table's trigger then looks them up).
INSERT INTO orchestrator.policy_evaluation (policy_version_id, model_id, evaluated_at, from_state, to_state, condition,
                                            observed, threshold, evidence_snapshot_ids, detail,
                                            evidence_observed_from, evidence_observed_to)
SELECT i.version_id, i.model_id, :at, i.from_state, i.to_state, i.condition, i.observed, i.threshold,
       i.evidence::bigint[], i.detail::jsonb, i.evidence_from::timestamptz, i.evidence_to::timestamptz
  FROM unnest(:version_ids::bigint[], :model_ids::bigint[], :from_states::text[], :to_states::text[], :conditions::text[],
              :observed::float8[], :thresholds::float8[], :evidence::text[], :details::text[],
              :evidence_from::text[], :evidence_to::text[])
       AS i(version_id, model_id, from_state, to_state, condition, observed, threshold, evidence, detail,
            evidence_from, evidence_to)
RETURNING id, policy_version_id, model_id
