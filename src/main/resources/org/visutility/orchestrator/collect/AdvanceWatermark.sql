-- A successful run: moves the watermark forward (never back; GREATEST ignores a null new value),
-- records the outcome and ends a run of failures. Runs in the transaction of the snapshots the pull produced.
INSERT INTO orchestrator.collector_watermark AS w
       (collector, watermark, advanced_at, last_batch_id, last_run_at, last_outcome, last_row_count, last_error,
        last_success_at, consecutive_failures, last_skipped_count)
VALUES (:collector, :watermark, CASE WHEN CAST(:watermark AS timestamptz) IS NULL THEN NULL ELSE now() END, :batch, now(), 'ok', :rows, NULL,
        now(), 0, :skipped)
ON CONFLICT (collector) DO UPDATE
   SET watermark      = GREATEST(w.watermark, EXCLUDED.watermark),
       advanced_at    = CASE WHEN EXCLUDED.watermark > w.watermark OR (w.watermark IS NULL AND EXCLUDED.watermark IS NOT NULL)
                             THEN now() ELSE w.advanced_at END,
       last_batch_id  = coalesce(EXCLUDED.last_batch_id, w.last_batch_id),
       last_run_at    = now(),
       last_outcome   = 'ok',
       last_row_count = EXCLUDED.last_row_count,
       last_error     = NULL,
       last_success_at      = now(),
       consecutive_failures = 0,
       last_skipped_count   = EXCLUDED.last_skipped_count
