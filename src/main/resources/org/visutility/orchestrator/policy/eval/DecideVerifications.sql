-- Records outcomes, fenced: only a verification still open is decided, so of two passes
-- deciding the same one at once, one writes it and the other gets no row back (and notifies nothing).
UPDATE orchestrator.retrain_verification rv
   SET outcome = i.outcome, observed = i.observed, sample_count = i.sample_count, decided_at = timestamptz 'epoch' + i.decided_us * interval '1 microsecond',
       reason = i.reason, evidence = rv.evidence || i.evidence::jsonb
  FROM unnest(:experiment_ids::bigint[], :outcomes::text[], :observed::float8[], :sample_counts::bigint[],
              :decided_us::bigint[], :reasons::text[], :evidence::text[])
       AS i(experiment_id, outcome, observed, sample_count, decided_us, reason, evidence)
 WHERE rv.experiment_id = i.experiment_id AND rv.outcome IS NULL
RETURNING rv.experiment_id
