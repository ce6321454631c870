-- Models with their serving version, newest snapshot, policy states and experiment counts;
-- one model when :name is given, else all, by name.
SELECT m.name                  AS model,
       m.description,
       m.created_at,
       active.version          AS active_version,
       versions.count          AS versions,
       latest.observed_at      AS last_observed_at,
       latest.version          AS last_observed_version,
       latest.segment          AS last_observed_segment,
       latest.metrics          AS latest_metrics,
       coalesce(states.policies, '[]'::jsonb) AS policy_states,
       coalesce(runs.open, 0)   AS open_experiments,
       coalesce(runs.failed, 0) AS failed_experiments,
       runs.last_retrain_at
  FROM orchestrator.model m
  LEFT JOIN LATERAL (
        SELECT mv.version FROM orchestrator.model_version mv
         WHERE mv.model_id = m.id AND mv.status = 'active'
         ORDER BY mv.created_at DESC, mv.id DESC LIMIT 1) active ON true
  LEFT JOIN LATERAL (
        SELECT count(*) FROM orchestrator.model_version mv WHERE mv.model_id = m.id) versions ON true
  LEFT JOIN LATERAL (
        SELECT s.observed_at, mv.version, s.segment, s.metrics
          FROM orchestrator.metric_snapshot s
          JOIN orchestrator.model_version mv ON mv.id = s.model_version_id
         WHERE s.model_id = m.id AND s.superseded_at IS NULL   -- a key's current revision
         ORDER BY s.observed_at DESC LIMIT 1) latest ON true
  LEFT JOIN LATERAL (
        SELECT jsonb_agg(jsonb_build_object('policy', p.name, 'state', ps.state, 'since', ps.since) ORDER BY p.name) AS policies
          FROM orchestrator.policy_state ps
          JOIN orchestrator.retrain_policy p ON p.id = ps.policy_id
         WHERE ps.model_id = m.id) states ON true
  LEFT JOIN LATERAL (
        SELECT count(*) FILTER (WHERE e.status IN ('queued', 'running')) AS open,
               count(*) FILTER (WHERE e.status = 'failed')              AS failed,
               max(e.finished_at) FILTER (WHERE e.status = 'succeeded') AS last_retrain_at
          FROM orchestrator.experiment e WHERE e.model_id = m.id) runs ON true
 WHERE CAST(:name AS text) IS NULL OR m.name = :name
 ORDER BY m.name
 LIMIT :limit
