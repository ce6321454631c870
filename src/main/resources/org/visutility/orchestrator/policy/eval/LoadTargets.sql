-- Every enabled policy with its current version number and its model, and the state of the
-- (policy, model): NULL state when it has none yet (EnsureStates creates it). Numbers only, in no
-- particular order: the caller keeps names and specs by id (they never change for an id) and
-- sorts. The left join's estimate is the policy count whatever the columns' correlation, so the
-- plan stays one hash join of two sequential scans; since travels as epoch microseconds.
SELECT p.id AS policy_id, p.current_version AS version, p.model_id,
       s.state, (extract(epoch FROM s.since) * 1000000)::bigint AS since_us, s.revision, s.last_observed
  FROM orchestrator.retrain_policy p
  LEFT JOIN orchestrator.policy_state s ON s.policy_id = p.id AND s.model_id = p.model_id
 WHERE p.enabled
