-- model_health read each version's whole metric history (every monthly partition) and de-duplicated
-- it per metric, and it ignored revisions. It now reads each version's newest current snapshot per
-- segment from orchestrator.snapshot_latest (V190), whose size is the fleet's (versions x segments)
-- whatever the history's length: one pass over it, grouped by version and hash-joined, costs less
-- than a lookup per version when every version is listed. Same columns and grants (CREATE OR
-- REPLACE VIEW).
CREATE OR REPLACE VIEW lineage.model_health AS
SELECT m.name                  AS model,
       mv.version,
       mv.status               AS version_status,
       mv.source               AS version_source,
       latest.observed_at      AS last_observed_at,
       latest.metrics          AS latest_metrics,
       states.policy_states,
       retrain.last_retrain_at,
       open.open_experiments
  FROM orchestrator.model_version mv
  JOIN orchestrator.model m ON m.id = mv.model_id
  LEFT JOIN (
        SELECT v.model_version_id, max(v.observed_at) AS observed_at, jsonb_object_agg(v.metric, v.value) AS metrics
          FROM (SELECT DISTINCT ON (l.model_version_id, e.key) l.model_version_id, e.key AS metric,
                       (e.value #>> '{}')::double precision AS value, l.observed_at
                  FROM orchestrator.snapshot_latest l
                 CROSS JOIN LATERAL jsonb_each(l.metrics) AS e
                 ORDER BY l.model_version_id, e.key, l.observed_at DESC, l.source DESC) v
         GROUP BY v.model_version_id) latest ON latest.model_version_id = mv.id
  LEFT JOIN LATERAL (
        SELECT jsonb_object_agg(p.name, ps.state) AS policy_states
          FROM orchestrator.policy_state ps JOIN orchestrator.retrain_policy p ON p.id = ps.policy_id
         WHERE ps.model_id = mv.model_id) states ON true
  LEFT JOIN LATERAL (
        SELECT max(e.finished_at) AS last_retrain_at FROM orchestrator.experiment e
         WHERE e.model_id = mv.model_id AND e.status = 'succeeded') retrain ON true
  LEFT JOIN LATERAL (
        SELECT count(*) AS open_experiments FROM orchestrator.experiment e
         WHERE e.model_id = mv.model_id AND e.status IN ('queued', 'running')) open ON true;
COMMENT ON VIEW lineage.model_health IS 'Per model version: the latest value of each metric (current revisions only), the model''s policy states, its last successful retrain and its open experiments. Read from orchestrator.snapshot_latest, so its cost does not grow with the metric history.';
COMMENT ON COLUMN lineage.model_health.last_observed_at IS 'The newest snapshot of this version (any segment).';
COMMENT ON COLUMN lineage.model_health.latest_metrics IS 'The latest value of each metric of this version, as a JSON object: taken from the version''s newest current snapshot of each segment, the newest one winning for a metric several report (a metric that none of those snapshots reports is left out).';
