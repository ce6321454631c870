-- A connection's own staging table: snapshots are COPYed in, then moved into metric_snapshot and
-- metric_value by set-based statements in one transaction. It lives as long as the connection;
-- every use empties it first and after (ClearStagingTable).
CREATE TEMP TABLE IF NOT EXISTS snapshot_staging (
    position     integer     NOT NULL,
    model        text        NOT NULL,
    version      text        NOT NULL,
    observed_at  timestamptz NOT NULL,
    segment      text        NOT NULL,
    source       text        NOT NULL,
    sample_count bigint      NOT NULL,
    metrics      jsonb       NOT NULL,
    is_final     boolean     -- the snapshot's "final": true, false, or NULL when it did not say
)
