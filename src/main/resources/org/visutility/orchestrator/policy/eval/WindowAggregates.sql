-- One aggregate of one metric per (model, evaluation time) over a window, for many inputs in one
-- statement. The inputs are groups (one row per distinct set of parameters, numbered from 1 in
-- bind order) and model_ids: each group's models, sorted and without repeats, one group after the
-- other; a group's first_model and last_model are the positions (from 1) of its first and last.
-- A group holds metric, version_id (only snapshots of this model version, or NULL for any),
-- not_before_us (ignore snapshots observed before this instant, or NULL), window_us (a time window
-- ending at the evaluation time) or last_n (the last N snapshots), at_us (the evaluation time,
-- epoch microseconds; snapshots observed after it are ignored) and aggregate (which one value to
-- return: last, mean, min, max or weighted_mean; NULL: none).
-- Values are read as known at known_us (each key's revision recorded at or before that instant and
-- not yet superseded then; NULL: today's current revisions), so that a live pass, a backtest and the
-- evidence a decision stored agree however the values were revised since. settled_only counts only
-- snapshots whose window was final at the evaluation time (settled_at <= at).
-- A time window is one index scan of metric_value_lookup per group, over all of the group's models
-- at once (model_id = ANY: the scan walks the models in order, each bounded by the window), rather
-- than one scan started per model; its order (model, then newest first) is the aggregates' order,
-- so they sort nothing. A last-N window stays one backward scan per model, bounded by LIMIT. The
-- as-of and settled tests read recorded_at, superseded_at and settled_at, which the index INCLUDEs,
-- so the scans stay index-only and the cost per model does not grow with the stored history.
-- Each aggregate but the asked-for one is FILTERed out, so a row costs the counts, one aggregate
-- and the evidence. Returns one row per (group, model) with snapshots in its window (a model without any has no
-- row: the caller counts it as an empty window): the asked-for aggregate and the evidence ids as
-- text, newest first. The caller reads the columns by position: keep their order.
WITH grp AS MATERIALIZED (
    SELECT g.n::int AS n, g.metric, g.version_id, g.window_us, g.last_n, g.settled_only, g.aggregate, g.first_model, g.last_model,
           timestamptz 'epoch' + g.at_us * interval '1 microsecond' AS at,
           coalesce(timestamptz 'epoch' + g.known_us * interval '1 microsecond', timestamptz 'infinity') AS known_at,
           coalesce(timestamptz 'epoch' + g.not_before_us * interval '1 microsecond', timestamptz '-infinity') AS not_before
      FROM unnest(:metrics::text[], :version_ids::bigint[], :not_before_us::bigint[], :window_us::bigint[], :last_n::int[],
                  :at_us::bigint[], :known_us::bigint[], :settled_only::boolean[], :aggregates::text[], :first_model::int[],
                  :last_model::int[])
           WITH ORDINALITY AS g(metric, version_id, not_before_us, window_us, last_n, at_us, known_us, settled_only, aggregate,
                                first_model, last_model, n)
), models AS MATERIALIZED (
    SELECT :model_ids::bigint[] AS ids
), windows AS (
    SELECT grp.n AS grp, grp.aggregate, w.*
      FROM grp
     CROSS JOIN LATERAL (
        SELECT v.model_id, count(*) AS snapshots, sum(v.sample_count) AS samples,
               (array_agg(v.value ORDER BY v.observed_at DESC) FILTER (WHERE grp.aggregate = 'last'))[1] AS last_value,
               avg(v.value) FILTER (WHERE grp.aggregate = 'mean') AS mean_value,
               min(v.value) FILTER (WHERE grp.aggregate = 'min') AS min_value,
               max(v.value) FILTER (WHERE grp.aggregate = 'max') AS max_value,
               sum(v.value * v.sample_count) FILTER (WHERE grp.aggregate = 'weighted_mean')
                   / nullif(sum(v.sample_count), 0) AS weighted_mean_value,
               string_agg(v.snapshot_id::text, ',' ORDER BY v.observed_at DESC) AS evidence
          FROM orchestrator.metric_value v
         WHERE v.model_id = ANY ((SELECT models.ids[grp.first_model : grp.last_model] FROM models)::bigint[])
           AND v.metric = grp.metric
           AND v.observed_at <= grp.at
           AND v.observed_at > grp.at - grp.window_us * interval '1 microsecond'
           AND v.observed_at >= grp.not_before
           AND (grp.version_id IS NULL OR v.model_version_id = grp.version_id)
           AND v.recorded_at <= grp.known_at AND (v.superseded_at IS NULL OR v.superseded_at > grp.known_at)
           AND (NOT grp.settled_only OR v.settled_at <= grp.at)
         GROUP BY v.model_id
     ) w
     WHERE grp.window_us IS NOT NULL
    UNION ALL
    SELECT grp.n AS grp, grp.aggregate, m.model_id, w.*
      FROM grp
     CROSS JOIN LATERAL unnest((SELECT models.ids[grp.first_model : grp.last_model] FROM models)) AS m(model_id)
     CROSS JOIN LATERAL (
        SELECT count(*) AS snapshots, sum(l.sample_count) AS samples,
               (array_agg(l.value ORDER BY l.observed_at DESC) FILTER (WHERE grp.aggregate = 'last'))[1] AS last_value,
               avg(l.value) FILTER (WHERE grp.aggregate = 'mean') AS mean_value,
               min(l.value) FILTER (WHERE grp.aggregate = 'min') AS min_value,
               max(l.value) FILTER (WHERE grp.aggregate = 'max') AS max_value,
               sum(l.value * l.sample_count) FILTER (WHERE grp.aggregate = 'weighted_mean')
                   / nullif(sum(l.sample_count), 0) AS weighted_mean_value,
               string_agg(l.snapshot_id::text, ',' ORDER BY l.observed_at DESC) AS evidence
          FROM (SELECT v.value, v.sample_count, v.snapshot_id, v.observed_at
                  FROM orchestrator.metric_value v
                 WHERE v.model_id = m.model_id AND v.metric = grp.metric
                   AND v.observed_at <= grp.at
                   AND v.observed_at >= grp.not_before
                   AND (grp.version_id IS NULL OR v.model_version_id = grp.version_id)
                   AND v.recorded_at <= grp.known_at AND (v.superseded_at IS NULL OR v.superseded_at > grp.known_at)
                   AND (NOT grp.settled_only OR v.settled_at <= grp.at)
                 ORDER BY v.observed_at DESC
                 LIMIT grp.last_n) l
     ) w
     WHERE grp.window_us IS NULL AND w.snapshots > 0
)
SELECT grp, model_id, snapshots, samples,
       CASE aggregate WHEN 'last' THEN last_value WHEN 'mean' THEN mean_value WHEN 'min' THEN min_value
                      WHEN 'max' THEN max_value WHEN 'weighted_mean' THEN weighted_mean_value END AS value,
       evidence
  FROM windows
