-- The realised verdict of each decision to fire a backtest made, judged exactly as the live
-- reconciliation judges a recorded one (orchestrator.realised_verdict, on today's current revisions):
-- one row per decision whose conditions name a realised check, keyed by its position in the replay.
SELECT d.key, r.verdict, r.metric, r.direction, r.line, r.window_start, r.realised_value, r.realised_samples
  FROM unnest(:keys::int[], :model_ids::bigint[], CAST(:conditions AS jsonb[]), :decided_us::bigint[])
           AS d(key, model_id, conditions, decided_us)
 CROSS JOIN LATERAL orchestrator.realised_verdict(d.model_id, d.conditions,
                                                  timestamptz 'epoch' + d.decided_us * interval '1 microsecond') r
