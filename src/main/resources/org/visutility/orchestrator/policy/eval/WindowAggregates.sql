-- Aggregates of one metric per (model, evaluation time) over a window, for many inputs in one
-- statement. Each input row is a condition to evaluate: key (the caller's index), model_id,
-- metric, version_id (only snapshots of this model version, or NULL for any), not_before_us
-- (ignore snapshots observed before this instant, or NULL), window_us (a time window ending at
-- the evaluation time) or last_n (the last N snapshots), and at_us (the evaluation time, epoch
-- microseconds; snapshots observed after it are ignored).
-- Values are read as known at known_us (each key's revision recorded at or before that instant and
-- not yet superseded then; NULL: today's current revisions), so that a live pass, a backtest and the
-- evidence a decision stored agree however the values were revised since. settled_only counts only
-- snapshots whose window was final at the evaluation time (settled_at <= at).
-- Both branches are backward scans of metric_value_lookup bounded by the window or by LIMIT, so
-- the cost per input does not grow with the length of the stored history. They repeat the list of
-- aggregates on purpose: one aggregate over a UNION ALL of the two scans measured 30% slower.
-- The as-of and settled tests read recorded_at, superseded_at and settled_at, which the index
-- INCLUDEs, so the scans stay index-only; a key's superseded revisions are the only extra rows.
WITH input AS (
    SELECT i.key, i.model_id, i.metric, i.version_id, i.window_us, i.last_n, i.settled_only,
           timestamptz 'epoch' + i.at_us * interval '1 microsecond' AS at,
           coalesce(timestamptz 'epoch' + i.known_us * interval '1 microsecond', timestamptz 'infinity') AS known_at,
           coalesce(timestamptz 'epoch' + i.not_before_us * interval '1 microsecond', timestamptz '-infinity') AS not_before
      FROM unnest(:keys::int[], :model_ids::bigint[], :metrics::text[], :version_ids::bigint[], :not_before_us::bigint[],
                  :window_us::bigint[], :last_n::int[], :at_us::bigint[], :known_us::bigint[], :settled_only::boolean[])
           AS i(key, model_id, metric, version_id, not_before_us, window_us, last_n, at_us, known_us, settled_only)
), by_time AS (
    SELECT input.key, w.*
      FROM input
     CROSS JOIN LATERAL (
        SELECT count(*) AS snapshots, sum(v.sample_count) AS samples,
               (array_agg(v.value ORDER BY v.observed_at DESC))[1] AS last_value,
               avg(v.value) AS mean_value, min(v.value) AS min_value, max(v.value) AS max_value,
               sum(v.value * v.sample_count) / nullif(sum(v.sample_count), 0) AS weighted_mean_value,
               array_agg(v.snapshot_id ORDER BY v.observed_at DESC) AS evidence
          FROM orchestrator.metric_value v
         WHERE v.model_id = input.model_id AND v.metric = input.metric
           AND v.observed_at <= input.at
           AND v.observed_at > input.at - input.window_us * interval '1 microsecond'
           AND v.observed_at >= input.not_before
           AND (input.version_id IS NULL OR v.model_version_id = input.version_id)
           AND v.recorded_at <= input.known_at AND (v.superseded_at IS NULL OR v.superseded_at > input.known_at)
           AND (NOT input.settled_only OR v.settled_at <= input.at)
     ) w
     WHERE input.window_us IS NOT NULL
), by_count AS (
    SELECT input.key, w.*
      FROM input
     CROSS JOIN LATERAL (
        SELECT count(*) AS snapshots, sum(l.sample_count) AS samples,
               (array_agg(l.value ORDER BY l.observed_at DESC))[1] AS last_value,
               avg(l.value) AS mean_value, min(l.value) AS min_value, max(l.value) AS max_value,
               sum(l.value * l.sample_count) / nullif(sum(l.sample_count), 0) AS weighted_mean_value,
               array_agg(l.snapshot_id ORDER BY l.observed_at DESC) AS evidence
          FROM (SELECT v.value, v.sample_count, v.snapshot_id, v.observed_at
                  FROM orchestrator.metric_value v
                 WHERE v.model_id = input.model_id AND v.metric = input.metric
                   AND v.observed_at <= input.at
                   AND v.observed_at >= input.not_before
                   AND (input.version_id IS NULL OR v.model_version_id = input.version_id)
                   AND v.recorded_at <= input.known_at AND (v.superseded_at IS NULL OR v.superseded_at > input.known_at)
                   AND (NOT input.settled_only OR v.settled_at <= input.at)
                 ORDER BY v.observed_at DESC
                 LIMIT input.last_n) l
     ) w
     WHERE input.window_us IS NULL
)
SELECT * FROM by_time
UNION ALL
SELECT * FROM by_count
