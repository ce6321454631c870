-- A connection's own staging table of histograms: COPYed in, then moved into
-- orchestrator.distribution_snapshot by one set-based INSERT in the batch's transaction. It lives as
-- long as the connection; every use empties it first and after (ClearDistributionStaging).
CREATE TEMP TABLE IF NOT EXISTS distribution_staging (
    position     integer            NOT NULL,
    model        text               NOT NULL,
    version      text               NOT NULL,
    observed_at  timestamptz        NOT NULL,
    segment      text               NOT NULL,
    source       text               NOT NULL,
    feature      text               NOT NULL,
    kind         text               NOT NULL,
    edges        double precision[],
    categories   text[],
    counts       bigint[]           NOT NULL,
    sample_count bigint             NOT NULL
)
