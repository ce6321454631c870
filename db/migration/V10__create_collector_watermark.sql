-- SQL collectors pull incrementally: each remembers the watermark of its last committed pull.
-- The watermark advances in the same transaction as the snapshots that pull produced, so a crash
-- between the pull and the commit leaves both unchanged and the next run pulls the window again.
CREATE TABLE orchestrator.collector_watermark (
    collector       text        PRIMARY KEY CHECK (collector ~ '^[A-Za-z0-9_.:/-]{1,250}$'),
    watermark       timestamptz,
    advanced_at     timestamptz,
    last_batch_id   bigint      REFERENCES orchestrator.ingest_batch (id) ON DELETE SET NULL,
    last_run_at     timestamptz NOT NULL DEFAULT now(),
    last_outcome    text        NOT NULL CHECK (last_outcome IN ('ok', 'failed')),
    last_row_count  integer     CHECK (last_row_count >= 0),
    last_error      text
);
COMMENT ON TABLE orchestrator.collector_watermark IS 'One row per SQL collector: how far it has pulled (advanced with the snapshots in one transaction) and how its last run went.';
COMMENT ON COLUMN orchestrator.collector_watermark.collector IS 'The collector''s name from the configuration (collectors: name).';
COMMENT ON COLUMN orchestrator.collector_watermark.watermark IS 'The highest observed_at (or watermark column) of the committed pulls; the next pull binds it as :since. Null until a pull returned rows.';
COMMENT ON COLUMN orchestrator.collector_watermark.advanced_at IS 'When the watermark last moved.';
COMMENT ON COLUMN orchestrator.collector_watermark.last_batch_id IS 'The ingest batch of the last pull that inserted snapshots.';
COMMENT ON COLUMN orchestrator.collector_watermark.last_run_at IS 'When the collector last ran, successfully or not.';
COMMENT ON COLUMN orchestrator.collector_watermark.last_outcome IS 'ok or failed: the outcome of the last run.';
COMMENT ON COLUMN orchestrator.collector_watermark.last_row_count IS 'How many rows the last successful pull returned.';
COMMENT ON COLUMN orchestrator.collector_watermark.last_error IS 'Why the last run failed (null after a success); it is tried again on its next cron time.';
