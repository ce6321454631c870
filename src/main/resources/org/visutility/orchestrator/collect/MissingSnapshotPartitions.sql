-- Which of the months :suffixes (YYYY_MM, UTC) lack their partition of metric_snapshot or of metric_value.
SELECT suffix
  FROM unnest(CAST(:suffixes AS text[])) AS suffix
 WHERE to_regclass('orchestrator.metric_snapshot_' || suffix) IS NULL
    OR to_regclass('orchestrator.metric_value_' || suffix) IS NULL
 ORDER BY suffix
