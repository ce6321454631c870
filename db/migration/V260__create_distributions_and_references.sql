-- Distribution sketches: what production sent the model (per feature) and what it predicted (the
-- feature named prediction), as histograms per model version, segment, window and feature, so drift
-- and estimated performance are computed in SQL before any label arrives. References are the same
-- histograms for the data a version was trained on (or a chosen production window), plus the
-- calibration of its predicted scores, which estimated performance (CBPE) relies on.
--
-- Histograms are stored as arrays, one row per (version, feature, segment, source, window end):
-- numeric ones as bin edges (n + 1, strictly increasing, checked at ingest) and n counts;
-- categorical ones as n category values and n counts, where the value __other__ is the bucket for
-- values outside the listed ones.

ALTER TABLE orchestrator.ingest_batch
    ADD COLUMN item_kind text NOT NULL DEFAULT 'snapshots' CHECK (item_kind IN ('snapshots', 'distributions'));
COMMENT ON COLUMN orchestrator.ingest_batch.item_kind IS 'What the batch carried: snapshots (metric snapshots, counted in snapshot_count) or distributions (histograms of orchestrator.distribution_snapshot, counted in snapshot_count too).';

CREATE TABLE orchestrator.distribution_snapshot (
    id               bigint           GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model_id         bigint           NOT NULL REFERENCES orchestrator.model (id),
    model_version_id bigint           NOT NULL REFERENCES orchestrator.model_version (id),
    observed_at      timestamptz      NOT NULL,
    segment          text             NOT NULL DEFAULT '' CHECK (char_length(segment) <= 250),
    source           text             NOT NULL DEFAULT '' CHECK (char_length(source) <= 250),
    feature          text             NOT NULL CHECK (feature ~ '^[A-Za-z0-9_.:/-]{1,250}$'),
    kind             text             NOT NULL CHECK (kind IN ('numeric', 'categorical')),
    edges            double precision[],
    categories       text[],
    counts           bigint[]         NOT NULL CHECK (cardinality(counts) BETWEEN 1 AND 10000 AND 0 <= ALL (counts)),
    sample_count     bigint           NOT NULL CHECK (sample_count >= 0),
    batch_id         bigint           REFERENCES orchestrator.ingest_batch (id),
    ingested_at      timestamptz      NOT NULL DEFAULT now(),
    UNIQUE (model_version_id, feature, segment, source, observed_at),
    CHECK (CASE kind
               WHEN 'numeric' THEN edges IS NOT NULL AND categories IS NULL AND cardinality(edges) = cardinality(counts) + 1
               ELSE categories IS NOT NULL AND edges IS NULL AND cardinality(categories) = cardinality(counts)
           END)
);
COMMENT ON TABLE orchestrator.distribution_snapshot IS 'One histogram of one feature (or of the model''s output, feature prediction) seen by a model version in production over a window ending at observed_at, for a segment, from a source. Natural key (model_version_id, feature, segment, source, observed_at) makes ingest idempotent: the same histogram sent again is a duplicate, a different one for the same key is refused.';
COMMENT ON COLUMN orchestrator.distribution_snapshot.id IS 'Surrogate key; drift evidence cites it.';
COMMENT ON COLUMN orchestrator.distribution_snapshot.model_id IS 'The model (denormalised from the version for index lookups).';
COMMENT ON COLUMN orchestrator.distribution_snapshot.model_version_id IS 'The model version that saw the inputs.';
COMMENT ON COLUMN orchestrator.distribution_snapshot.observed_at IS 'The end of the window the histogram describes.';
COMMENT ON COLUMN orchestrator.distribution_snapshot.segment IS 'The slice of traffic, e.g. a region; empty for all traffic.';
COMMENT ON COLUMN orchestrator.distribution_snapshot.source IS 'Who computed it, e.g. serving or a collector''s name; empty when not given.';
COMMENT ON COLUMN orchestrator.distribution_snapshot.feature IS 'The input feature''s name; prediction for the model''s output (its predicted score or class).';
COMMENT ON COLUMN orchestrator.distribution_snapshot.kind IS 'numeric (bin edges and counts) or categorical (counts per value).';
COMMENT ON COLUMN orchestrator.distribution_snapshot.edges IS 'numeric: the n + 1 strictly increasing bin edges; bin i holds values in [edges[i], edges[i+1]) (the last bin includes its upper edge). NULL for categorical.';
COMMENT ON COLUMN orchestrator.distribution_snapshot.categories IS 'categorical: the n values counted, in the order of counts; __other__ is the bucket for every value not listed. NULL for numeric.';
COMMENT ON COLUMN orchestrator.distribution_snapshot.counts IS 'How many predictions fell in each bin or value (non-negative).';
COMMENT ON COLUMN orchestrator.distribution_snapshot.sample_count IS 'The sum of counts: how many predictions the histogram describes.';
COMMENT ON COLUMN orchestrator.distribution_snapshot.batch_id IS 'The ingest batch that brought it (orchestrator.ingest_batch, item_kind distributions).';
COMMENT ON COLUMN orchestrator.distribution_snapshot.ingested_at IS 'When it was stored.';
CREATE INDEX distribution_snapshot_model_feature_time ON orchestrator.distribution_snapshot (model_id, feature, observed_at DESC);

CREATE TABLE orchestrator.reference_distribution (
    id               bigint           GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model_version_id bigint           NOT NULL REFERENCES orchestrator.model_version (id),
    feature          text             NOT NULL CHECK (feature ~ '^[A-Za-z0-9_.:/-]{1,250}$'),
    kind             text             NOT NULL CHECK (kind IN ('numeric', 'categorical')),
    edges            double precision[],
    categories       text[],
    counts           bigint[]         NOT NULL CHECK (cardinality(counts) BETWEEN 1 AND 10000 AND 0 <= ALL (counts)),
    sample_count     bigint           NOT NULL CHECK (sample_count >= 0),
    origin           text             NOT NULL CHECK (origin IN ('training', 'trainer_report', 'file', 'production_window')),
    window_start     timestamptz,
    window_end       timestamptz,
    set_by           text             NOT NULL DEFAULT '' CHECK (char_length(set_by) <= 250),
    set_at           timestamptz      NOT NULL DEFAULT now(),
    superseded_at    timestamptz,
    CHECK (CASE kind
               WHEN 'numeric' THEN edges IS NOT NULL AND categories IS NULL AND cardinality(edges) = cardinality(counts) + 1
               ELSE categories IS NOT NULL AND edges IS NULL AND cardinality(categories) = cardinality(counts)
           END),
    CHECK ((origin = 'production_window') = (window_start IS NOT NULL AND window_end IS NOT NULL)),
    CHECK (window_start IS NULL OR window_start < window_end)
);
COMMENT ON TABLE orchestrator.reference_distribution IS 'The reference histogram of one feature for a model version: what drift is measured against. Set from its training data, from its trainer''s report, from a file (references set) or from a production window. Setting it again supersedes the old row (kept for lineage); at most one current row per version and feature.';
COMMENT ON COLUMN orchestrator.reference_distribution.id IS 'Surrogate key; drift evidence cites it.';
COMMENT ON COLUMN orchestrator.reference_distribution.model_version_id IS 'The model version the reference belongs to.';
COMMENT ON COLUMN orchestrator.reference_distribution.feature IS 'The feature''s name; prediction for the model''s output.';
COMMENT ON COLUMN orchestrator.reference_distribution.kind IS 'numeric or categorical, as in distribution_snapshot.';
COMMENT ON COLUMN orchestrator.reference_distribution.edges IS 'numeric: the n + 1 strictly increasing bin edges; production histograms are compared on these bins. NULL for categorical.';
COMMENT ON COLUMN orchestrator.reference_distribution.categories IS 'categorical: the values counted; __other__ holds the rest. NULL for numeric.';
COMMENT ON COLUMN orchestrator.reference_distribution.counts IS 'The count per bin or value.';
COMMENT ON COLUMN orchestrator.reference_distribution.sample_count IS 'The sum of counts.';
COMMENT ON COLUMN orchestrator.reference_distribution.origin IS 'Where it came from: training (the built-in trainer''s training data), trainer_report (a command trainer''s final report), file (orchestrator references set), production_window (production histograms summed over window_start..window_end).';
COMMENT ON COLUMN orchestrator.reference_distribution.window_start IS 'production_window: the start of the window summed (exclusive); NULL otherwise.';
COMMENT ON COLUMN orchestrator.reference_distribution.window_end IS 'production_window: the end of the window summed (inclusive); NULL otherwise.';
COMMENT ON COLUMN orchestrator.reference_distribution.set_by IS 'Who set it: the operator, the experiment''s trainer, or empty.';
COMMENT ON COLUMN orchestrator.reference_distribution.set_at IS 'When it was set.';
COMMENT ON COLUMN orchestrator.reference_distribution.superseded_at IS 'When a newer reference for the same version and feature replaced it; NULL while current.';
CREATE UNIQUE INDEX reference_distribution_current ON orchestrator.reference_distribution (model_version_id, feature)
    WHERE superseded_at IS NULL;

CREATE TABLE orchestrator.reference_calibration (
    id                bigint           GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model_version_id  bigint           NOT NULL REFERENCES orchestrator.model_version (id),
    edges             double precision[] NOT NULL,
    predicted_mean    double precision[] NOT NULL,
    observed_rate     double precision[] NOT NULL,
    counts            bigint[]         NOT NULL CHECK (0 <= ALL (counts)),
    threshold         double precision NOT NULL DEFAULT 0.5 CHECK (threshold > 0 AND threshold < 1),
    positive_class    text             NOT NULL DEFAULT '1' CHECK (char_length(positive_class) BETWEEN 1 AND 250),
    calibration_error double precision NOT NULL CHECK (calibration_error >= 0),
    origin            text             NOT NULL CHECK (origin IN ('training', 'trainer_report', 'file')),
    set_by            text             NOT NULL DEFAULT '' CHECK (char_length(set_by) <= 250),
    set_at            timestamptz      NOT NULL DEFAULT now(),
    superseded_at     timestamptz,
    CHECK (cardinality(edges) BETWEEN 2 AND 1001
           AND cardinality(predicted_mean) = cardinality(edges) - 1
           AND cardinality(observed_rate) = cardinality(edges) - 1
           AND cardinality(counts) = cardinality(edges) - 1)
);
COMMENT ON TABLE orchestrator.reference_calibration IS 'How well a binary classifier''s predicted probabilities (the feature prediction, the probability of positive_class) matched the truth on its reference data, per score bin: the reliability table that estimated performance (CBPE) relies on. A version whose calibration_error exceeds the limit cannot be used by an estimated: condition.';
COMMENT ON COLUMN orchestrator.reference_calibration.id IS 'Surrogate key.';
COMMENT ON COLUMN orchestrator.reference_calibration.model_version_id IS 'The model version.';
COMMENT ON COLUMN orchestrator.reference_calibration.edges IS 'The score bins'' n + 1 edges over [0, 1].';
COMMENT ON COLUMN orchestrator.reference_calibration.predicted_mean IS 'Per bin, the mean predicted probability of the positive class.';
COMMENT ON COLUMN orchestrator.reference_calibration.observed_rate IS 'Per bin, the share of reference rows that were truly positive.';
COMMENT ON COLUMN orchestrator.reference_calibration.counts IS 'Per bin, how many reference rows fell in it.';
COMMENT ON COLUMN orchestrator.reference_calibration.threshold IS 'The score at or above which the model predicts the positive class.';
COMMENT ON COLUMN orchestrator.reference_calibration.positive_class IS 'The class whose probability the prediction score is.';
COMMENT ON COLUMN orchestrator.reference_calibration.calibration_error IS 'Expected calibration error: the count-weighted mean of |predicted_mean - observed_rate| over the bins.';
COMMENT ON COLUMN orchestrator.reference_calibration.origin IS 'training, trainer_report or file, as in reference_distribution.';
COMMENT ON COLUMN orchestrator.reference_calibration.set_by IS 'Who set it.';
COMMENT ON COLUMN orchestrator.reference_calibration.set_at IS 'When it was set.';
COMMENT ON COLUMN orchestrator.reference_calibration.superseded_at IS 'When a newer calibration for the same version replaced it; NULL while current.';
CREATE UNIQUE INDEX reference_calibration_current ON orchestrator.reference_calibration (model_version_id)
    WHERE superseded_at IS NULL;

INSERT INTO orchestrator.reader_table (table_name, why) VALUES
    ('orchestrator.distribution_snapshot', 'the production histograms per model version, feature, segment and window'),
    ('orchestrator.reference_distribution', 'the reference histograms drift is measured against, and where each came from'),
    ('orchestrator.reference_calibration', 'the calibration of each version''s predicted scores that estimated performance relies on');
