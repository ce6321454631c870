-- How each named SQL collector's runs went (whichever node ran them); the database's clock, which wrote them.
SELECT w.collector, w.watermark, w.last_run_at, w.last_outcome, w.last_success_at, w.last_failure_at,
       w.last_failure_error, w.consecutive_failures, w.last_skipped_count
  FROM orchestrator.collector_watermark w
 WHERE w.collector = ANY(:collectors)
