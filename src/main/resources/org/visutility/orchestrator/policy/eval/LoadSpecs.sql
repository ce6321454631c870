-- The normalised specs of the given policy versions.
SELECT id, spec::text AS spec FROM orchestrator.retrain_policy_version WHERE id = ANY(:ids::bigint[])
