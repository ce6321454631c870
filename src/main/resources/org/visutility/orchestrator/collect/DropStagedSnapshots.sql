-- Takes staged snapshots out of the batch (a SQL collector with on_invalid_row: skip_row leaves out
-- those the write refused) and returns each as the JSON recorded in orchestrator.collector_rejects.
DELETE FROM pg_temp.snapshot_staging s
 WHERE s.position = ANY(:positions)
RETURNING s.position,
          jsonb_build_object('model', s.model, 'version', s.version, 'observed_at', s.observed_at, 'segment', s.segment,
                             'source', s.source, 'sample_count', s.sample_count, 'metrics', s.metrics)::text AS snapshot
