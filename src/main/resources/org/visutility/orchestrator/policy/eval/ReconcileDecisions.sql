-- Reconciles, set-wise, every firing decision since :since whose first condition with a realised
-- check (detail.conditions[].reconcile) names the metric, side, line and window: the realised metric's
-- sample-weighted mean over the decision's window on today's current revisions, judged against the
-- line (orchestrator.realised_verdict, which policies backtest shares). Records a decision_review row
-- (basis realised_metrics) when the realised data behind it grew since the last one (a new
-- revised_through: the latest recorded_at read), or a pending one once (revised_through -infinity, so
-- any realised row sorts after it); ON CONFLICT makes two racing nodes record it once.
INSERT INTO orchestrator.decision_review (evaluation_id, basis, revised_through, reviewed_at, still_holds, observed_now,
                                          superseded_snapshot_ids, judged_snapshot_ids, detail, verdict, realised_metric,
                                          realised_samples, window_start, window_end)
SELECT ev.id, 'realised_metrics', coalesce(r.realised_through, timestamptz '-infinity'), :at,
       CASE r.verdict WHEN 'pending' THEN NULL ELSE r.verdict = 'confirmed' END,
       r.realised_value, '{}', r.snapshot_ids,
       jsonb_build_object('metric', r.metric, 'direction', r.direction, 'line', r.line, 'values', r.realised_values),
       r.verdict, r.metric, r.realised_samples, r.window_start, r.window_end
  FROM orchestrator.policy_evaluation ev
 CROSS JOIN LATERAL orchestrator.realised_verdict(ev.model_id, ev.detail -> 'conditions', ev.evaluated_at) r
 WHERE ev.to_state = 'firing' AND ev.from_state <> 'firing' AND ev.evaluated_at > :since
ON CONFLICT (evaluation_id, basis, revised_through) DO NOTHING
RETURNING evaluation_id, verdict
