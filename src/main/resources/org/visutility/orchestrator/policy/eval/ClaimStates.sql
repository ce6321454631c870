-- Claims the evaluated (policy, model) states for this pass and writes their new state, in one
-- statement. A row is claimed only if nobody wrote it since this pass read it (same revision)
-- and no other evaluator holds it right now (SKIP LOCKED): of two evaluators racing over the same
-- rows, each row is written by exactly one, and the other leaves it alone. Returns the claimed rows.
WITH input AS (
    SELECT * FROM unnest(:policy_ids::bigint[], :model_ids::bigint[], :revisions::bigint[], :states::text[],
                         :since_us::bigint[], :observed::float8[])
           AS i(policy_id, model_id, revision, state, since_us, observed)
), claimable AS (
    SELECT s.policy_id, s.model_id
      FROM orchestrator.policy_state s
      JOIN input ON input.policy_id = s.policy_id AND input.model_id = s.model_id AND input.revision = s.revision
     ORDER BY s.policy_id, s.model_id
       FOR UPDATE OF s SKIP LOCKED
)
UPDATE orchestrator.policy_state s
   SET state = input.state,
       since = timestamptz 'epoch' + input.since_us * interval '1 microsecond',
       last_evaluated_at = :at,
       last_observed = input.observed,
       revision = s.revision + 1
  FROM claimable
  JOIN input ON input.policy_id = claimable.policy_id AND input.model_id = claimable.model_id
 WHERE s.policy_id = claimable.policy_id AND s.model_id = claimable.model_id
RETURNING s.policy_id, s.model_id
