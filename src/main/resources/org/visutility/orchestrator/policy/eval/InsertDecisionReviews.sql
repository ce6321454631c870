-- Records reviews; a review of the same decision at the same state of its evidence (another
-- node's pass that got there first) is not recorded twice.
INSERT INTO orchestrator.decision_review (evaluation_id, basis, revised_through, reviewed_at, still_holds, observed_now,
                                          superseded_snapshot_ids, judged_snapshot_ids, detail)
SELECT i.evaluation_id, 'revised_evidence', timestamptz 'epoch' + i.revised_us * interval '1 microsecond', :at,
       i.still_holds, i.observed_now, i.superseded::bigint[], i.judged::bigint[], i.detail::jsonb
  FROM unnest(:evaluation_ids::bigint[], :revised_us::bigint[], :still_holds::boolean[], :observed_now::float8[],
              :superseded::text[], :judged::text[], :details::text[])
       AS i(evaluation_id, revised_us, still_holds, observed_now, superseded, judged, detail)
ON CONFLICT (evaluation_id, basis, revised_through) DO NOTHING
RETURNING evaluation_id
