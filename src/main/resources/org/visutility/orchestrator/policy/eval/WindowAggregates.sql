-- One aggregate of one metric per (model, evaluation time) over a window, for many inputs in one
-- statement. The inputs come in two parts so that a fleet's pass binds two numbers per model:
-- groups (one row per distinct set of parameters, numbered from 1 in bind order) and inputs
-- (model_id and its group; an input's key is its position, from 0). A group holds metric,
-- version_id (only snapshots of this model version, or NULL for any), not_before_us (ignore
-- snapshots observed before this instant, or NULL), window_us (a time window ending at the
-- evaluation time) or last_n (the last N snapshots), at_us (the evaluation time, epoch
-- microseconds; snapshots observed after it are ignored) and aggregate (which one value to return:
-- last, mean, min, max or weighted_mean; NULL: none).
-- Values are read as known at known_us (each key's revision recorded at or before that instant and
-- not yet superseded then; NULL: today's current revisions), so that a live pass, a backtest and the
-- evidence a decision stored agree however the values were revised since. settled_only counts only
-- snapshots whose window was final at the evaluation time (settled_at <= at).
-- Both branches are backward scans of metric_value_lookup bounded by the window or by LIMIT, so
-- the cost per input does not grow with the length of the stored history; the scan's order is the
-- aggregates' order, so they sort nothing. The as-of and settled tests read recorded_at,
-- superseded_at and settled_at, which the index INCLUDEs, so the scans stay index-only; a key's
-- superseded revisions are the only extra rows. Only the asked-for aggregate and the evidence ids
-- (as text, newest first) travel back: a pass over a fleet ships one row of four fields per model.
WITH grp AS MATERIALIZED (
    SELECT g.n::int AS n, g.metric, g.version_id, g.window_us, g.last_n, g.settled_only, g.aggregate,
           timestamptz 'epoch' + g.at_us * interval '1 microsecond' AS at,
           coalesce(timestamptz 'epoch' + g.known_us * interval '1 microsecond', timestamptz 'infinity') AS known_at,
           coalesce(timestamptz 'epoch' + g.not_before_us * interval '1 microsecond', timestamptz '-infinity') AS not_before
      FROM unnest(:metrics::text[], :version_ids::bigint[], :not_before_us::bigint[], :window_us::bigint[], :last_n::int[],
                  :at_us::bigint[], :known_us::bigint[], :settled_only::boolean[], :aggregates::text[])
           WITH ORDINALITY AS g(metric, version_id, not_before_us, window_us, last_n, at_us, known_us, settled_only, aggregate, n)
), input AS NOT MATERIALIZED (
    SELECT i.n::int - 1 AS key, i.model_id, i.grp
      FROM unnest(:model_ids::bigint[], :groups::int[]) WITH ORDINALITY AS i(model_id, grp, n)
), windows AS (
    SELECT input.key, grp.aggregate, w.*
      FROM grp
      JOIN input ON input.grp = grp.n
     CROSS JOIN LATERAL (
        SELECT count(*) AS snapshots, sum(l.sample_count) AS samples,
               (array_agg(l.value ORDER BY l.observed_at DESC))[1] AS last_value,
               avg(l.value) AS mean_value, min(l.value) AS min_value, max(l.value) AS max_value,
               sum(l.value * l.sample_count) / nullif(sum(l.sample_count), 0) AS weighted_mean_value,
               string_agg(l.snapshot_id::text, ',' ORDER BY l.observed_at DESC) AS evidence
          FROM (SELECT v.value, v.sample_count, v.snapshot_id, v.observed_at
                  FROM orchestrator.metric_value v
                 WHERE v.model_id = input.model_id AND v.metric = grp.metric
                   AND v.observed_at <= grp.at
                   AND v.observed_at > grp.at - grp.window_us * interval '1 microsecond'
                   AND v.observed_at >= grp.not_before
                   AND (grp.version_id IS NULL OR v.model_version_id = grp.version_id)
                   AND v.recorded_at <= grp.known_at AND (v.superseded_at IS NULL OR v.superseded_at > grp.known_at)
                   AND (NOT grp.settled_only OR v.settled_at <= grp.at)
                 ORDER BY v.observed_at DESC) l
     ) w
     WHERE grp.window_us IS NOT NULL
    UNION ALL
    SELECT input.key, grp.aggregate, w.*
      FROM grp
      JOIN input ON input.grp = grp.n
     CROSS JOIN LATERAL (
        SELECT count(*) AS snapshots, sum(l.sample_count) AS samples,
               (array_agg(l.value ORDER BY l.observed_at DESC))[1] AS last_value,
               avg(l.value) AS mean_value, min(l.value) AS min_value, max(l.value) AS max_value,
               sum(l.value * l.sample_count) / nullif(sum(l.sample_count), 0) AS weighted_mean_value,
               string_agg(l.snapshot_id::text, ',' ORDER BY l.observed_at DESC) AS evidence
          FROM (SELECT v.value, v.sample_count, v.snapshot_id, v.observed_at
                  FROM orchestrator.metric_value v
                 WHERE v.model_id = input.model_id AND v.metric = grp.metric
                   AND v.observed_at <= grp.at
                   AND v.observed_at >= grp.not_before
                   AND (grp.version_id IS NULL OR v.model_version_id = grp.version_id)
                   AND v.recorded_at <= grp.known_at AND (v.superseded_at IS NULL OR v.superseded_at > grp.known_at)
                   AND (NOT grp.settled_only OR v.settled_at <= grp.at)
                 ORDER BY v.observed_at DESC
                 LIMIT grp.last_n) l
     ) w
     WHERE grp.window_us IS NULL
)
SELECT key, snapshots, samples,
       CASE aggregate WHEN 'last' THEN last_value WHEN 'mean' THEN mean_value WHEN 'min' THEN min_value
                      WHEN 'max' THEN max_value WHEN 'weighted_mean' THEN weighted_mean_value END AS value,
       evidence
  FROM windows
