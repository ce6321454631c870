-- A failed run: the watermark stays where the last committed pull left it; one more failure in a row.
INSERT INTO orchestrator.collector_watermark AS w
       (collector, last_run_at, last_outcome, last_error, last_failure_at, last_failure_error, consecutive_failures)
VALUES (:collector, now(), 'failed', :error, now(), :error, 1)
ON CONFLICT (collector) DO UPDATE
   SET last_run_at = now(), last_outcome = 'failed', last_error = EXCLUDED.last_error,
       last_failure_at = now(), last_failure_error = EXCLUDED.last_failure_error,
       consecutive_failures = w.consecutive_failures + 1
