-- A successful run: moves the watermark forward (never back; GREATEST ignores a null new value)
-- and records the outcome. Runs in the transaction of the snapshots the pull produced.
INSERT INTO orchestrator.collector_watermark AS w
       (collector, watermark, advanced_at, last_batch_id, last_run_at, last_outcome, last_row_count, last_error)
VALUES (:collector, :watermark, CASE WHEN CAST(:watermark AS timestamptz) IS NULL THEN NULL ELSE now() END, :batch, now(), 'ok', :rows, NULL)
ON CONFLICT (collector) DO UPDATE
   SET watermark      = GREATEST(w.watermark, EXCLUDED.watermark),
       advanced_at    = CASE WHEN EXCLUDED.watermark > w.watermark OR (w.watermark IS NULL AND EXCLUDED.watermark IS NOT NULL)
                             THEN now() ELSE w.advanced_at END,
       last_batch_id  = coalesce(EXCLUDED.last_batch_id, w.last_batch_id),
       last_run_at    = now(),
       last_outcome   = 'ok',
       last_row_count = EXCLUDED.last_row_count,
       last_error     = NULL
