-- The realised check of a decision taken before labels, as one function: the live reconciliation
-- (ReconcileDecisions.sql, each policy pass) and policies backtest (its precision against realised
-- metrics) both call it, so both judge a decision the same way. Given the decision's model, its
-- conditions as recorded (policy_evaluation.detail -> 'conditions') and its instant, it reads the first
-- condition with a realised check (reconcile: metric, direction, line, window_seconds) and returns the
-- realised metric over the decision's window (sample-weighted mean of today's current revisions) and
-- the verdict; no row when no condition names a realised check. A single STABLE SELECT, so the planner
-- inlines it into the caller's query.
CREATE FUNCTION orchestrator.realised_verdict(model_id bigint, conditions jsonb, decided_at timestamptz)
    RETURNS TABLE (metric text, direction text, line double precision, window_start timestamptz, window_end timestamptz,
                   realised_values bigint, realised_samples bigint, realised_value double precision,
                   snapshot_ids bigint[], realised_through timestamptz, verdict text)
    LANGUAGE sql STABLE AS
$$
SELECT rc.metric, rc.direction, rc.line, rc.since, $3, w.n, w.samples, w.value, w.ids, w.through,
       CASE WHEN w.n = 0 THEN 'pending'
            WHEN (rc.direction = 'below' AND w.value < rc.line) OR (rc.direction = 'above' AND w.value > rc.line) THEN 'confirmed'
            ELSE 'revised' END
  FROM (SELECT c -> 'reconcile' ->> 'metric' AS metric, c -> 'reconcile' ->> 'direction' AS direction,
               (c -> 'reconcile' ->> 'line')::double precision AS line,
               $3 - make_interval(secs => (c -> 'reconcile' ->> 'window_seconds')::double precision) AS since
          FROM jsonb_array_elements($2) WITH ORDINALITY x(c, i)
         WHERE jsonb_typeof(c -> 'reconcile') = 'object'
         ORDER BY x.i LIMIT 1) rc
 CROSS JOIN LATERAL (
        SELECT count(*) AS n, sum(v.sample_count)::bigint AS samples,
               coalesce(sum(v.value * v.sample_count) / nullif(sum(v.sample_count), 0), avg(v.value)) AS value,
               coalesce(array_agg(v.snapshot_id ORDER BY v.observed_at DESC) FILTER (WHERE v.snapshot_id IS NOT NULL), '{}') AS ids,
               max(v.recorded_at) AS through
          FROM orchestrator.metric_value v
         WHERE v.model_id = $1 AND v.metric = rc.metric
           AND v.observed_at <= $3 AND v.observed_at > rc.since
           AND v.superseded_at IS NULL) w
$$;
COMMENT ON FUNCTION orchestrator.realised_verdict(bigint, jsonb, timestamptz) IS 'The realised check of a decision taken before labels: from its model, its recorded conditions (the first with a reconcile object: metric, direction, line, window_seconds) and its instant, the realised metric over the window (window_start exclusive, window_end inclusive: sample-weighted mean of the current revisions, with how many values and samples, the snapshots read and the latest recorded_at read) and the verdict: confirmed (the realised metric breached the line too), revised (it did not) or pending (no realised value yet). No row when no condition names a realised check. Shared by the live reconciliation and policies backtest.';
