-- The warehouse side of the late-labels example: a model's predictions, and the labels that arrive
-- for them later, each label batch stamped with when it was loaded. Run it in the warehouse database
-- (psql -f warehouse.sql). Times are relative to now, so that the collector's settle and
-- max_revision_age apply as they would to live data: predictions over the last three full hours.
CREATE TABLE predictions (
    prediction_id bigint      PRIMARY KEY,
    model         text        NOT NULL,
    version       text        NOT NULL,
    predicted_at  timestamptz NOT NULL,
    predicted     integer     NOT NULL            -- the predicted class, 0 or 1
);

CREATE TABLE labels (
    prediction_id bigint      PRIMARY KEY REFERENCES predictions,
    label         integer     NOT NULL,           -- the true class, known later
    loaded_at     timestamptz NOT NULL DEFAULT clock_timestamp()  -- when the label batch landed
);

-- 10 predictions an hour, six minutes apart, over the last three full hours
INSERT INTO predictions (prediction_id, model, version, predicted_at, predicted)
SELECT i, 'churn', 'v3', date_trunc('hour', now(), 'UTC') - interval '3 hours' + (i - 1) * interval '6 minutes', i % 2
  FROM generate_series(1, 30) AS i;

-- the first label batch: every prediction of the first and third hour, but only 6 of the 10 of the
-- second hour (the rest are still being reviewed); every fifth prediction was wrong
INSERT INTO labels (prediction_id, label)
SELECT p.prediction_id, CASE WHEN p.prediction_id % 5 = 0 THEN 1 - p.predicted ELSE p.predicted END
  FROM predictions p
 WHERE p.prediction_id NOT BETWEEN 17 AND 20;
