-- Reconciles, set-wise, every firing decision since :since whose first condition with a realised
-- check (detail.conditions[].reconcile) names the metric, side, line and window: the realised metric's
-- sample-weighted mean over the decision's window on today's current revisions, judged against the
-- line. Records a decision_review row (basis realised_metrics) when the realised data behind it grew
-- since the last one (a new revised_through: the latest recorded_at read), or a pending one once
-- (revised_through -infinity, so any realised row sorts after it); ON CONFLICT makes two racing nodes
-- record it once.
WITH decided AS (
    SELECT ev.id, ev.model_id, ev.evaluated_at, rc ->> 'metric' AS metric, rc ->> 'direction' AS direction,
           (rc ->> 'line')::double precision AS line,
           ev.evaluated_at - make_interval(secs => (rc ->> 'window_seconds')::double precision) AS since
      FROM orchestrator.policy_evaluation ev
     CROSS JOIN LATERAL (
            SELECT c -> 'reconcile' AS rc
              FROM jsonb_array_elements(ev.detail -> 'conditions') WITH ORDINALITY x(c, i)
             WHERE jsonb_typeof(c -> 'reconcile') = 'object'
             ORDER BY x.i LIMIT 1) cond
     WHERE ev.to_state = 'firing' AND ev.from_state <> 'firing' AND ev.evaluated_at > :since
), realised AS (
    SELECT d.*, w.values, w.samples, w.value, w.ids, w.through
      FROM decided d
     CROSS JOIN LATERAL (
        SELECT count(*) AS values, sum(v.sample_count) AS samples,
               coalesce(sum(v.value * v.sample_count) / nullif(sum(v.sample_count), 0), avg(v.value)) AS value,
               coalesce(array_agg(v.snapshot_id ORDER BY v.observed_at DESC) FILTER (WHERE v.snapshot_id IS NOT NULL), '{}') AS ids,
               max(v.recorded_at) AS through
          FROM orchestrator.metric_value v
         WHERE v.model_id = d.model_id AND v.metric = d.metric
           AND v.observed_at <= d.evaluated_at AND v.observed_at > d.since
           AND v.superseded_at IS NULL) w
)
INSERT INTO orchestrator.decision_review (evaluation_id, basis, revised_through, reviewed_at, still_holds, observed_now,
                                          superseded_snapshot_ids, judged_snapshot_ids, detail, verdict, realised_metric,
                                          realised_samples, window_start, window_end)
SELECT r.id, 'realised_metrics', coalesce(r.through, timestamptz '-infinity'), :at,
       CASE WHEN r.values = 0 THEN NULL WHEN r.direction = 'below' THEN r.value < r.line ELSE r.value > r.line END,
       r.value, '{}', r.ids,
       jsonb_build_object('metric', r.metric, 'direction', r.direction, 'line', r.line, 'values', r.values),
       CASE WHEN r.values = 0 THEN 'pending'
            WHEN (r.direction = 'below' AND r.value < r.line) OR (r.direction = 'above' AND r.value > r.line) THEN 'confirmed'
            ELSE 'revised' END,
       r.metric, r.samples, r.since, r.evaluated_at
  FROM realised r
ON CONFLICT (evaluation_id, basis, revised_through) DO NOTHING
RETURNING evaluation_id, verdict
