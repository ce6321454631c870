-- When the version's newest snapshot was observed (NULL: none yet); an index lookup.
SELECT max(observed_at) AS last_observed_at FROM orchestrator.metric_snapshot WHERE model_version_id = :version
