-- A failed run: the watermark stays where the last committed pull left it.
INSERT INTO orchestrator.collector_watermark AS w (collector, last_run_at, last_outcome, last_error)
VALUES (:collector, now(), 'failed', :error)
ON CONFLICT (collector) DO UPDATE
   SET last_run_at = now(), last_outcome = 'failed', last_error = EXCLUDED.last_error
