-- The names of a model's metrics, read as a loose index scan of metric_value_lookup
-- (one index probe per metric, whatever the length of the history).
WITH RECURSIVE metrics(metric) AS (
    (SELECT v.metric FROM orchestrator.metric_value v
      WHERE v.model_id = :model_id ORDER BY v.metric LIMIT 1)
    UNION ALL
    SELECT (SELECT v.metric FROM orchestrator.metric_value v
             WHERE v.model_id = :model_id AND v.metric > m.metric ORDER BY v.metric LIMIT 1)
      FROM metrics m
     WHERE m.metric IS NOT NULL)
SELECT metric FROM metrics WHERE metric IS NOT NULL
 LIMIT :limit
