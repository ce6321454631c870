-- The per-feature scores of recorded decisions with drift or estimated conditions, one row per
-- (decision, condition, feature).
INSERT INTO orchestrator.drift_evidence (evaluation_id, condition_index, feature, method, score, p_value, sample_count, histograms,
                                         model_version_id, reference_id, window_start, window_end, drifted, note)
SELECT i.evaluation_id, i.condition_index, i.feature, i.method, i.score, i.p_value, i.sample_count, i.histograms,
       i.model_version_id, i.reference_id,
       timestamptz 'epoch' + i.start_us * interval '1 microsecond', timestamptz 'epoch' + i.end_us * interval '1 microsecond',
       i.drifted, i.note
  FROM unnest(:evaluation_ids::bigint[], :condition_indexes::int[], :features::text[], :methods::text[], :scores::float8[],
              :p_values::float8[], :sample_counts::bigint[], :histograms::int[], :version_ids::bigint[], :reference_ids::bigint[],
              :start_us::bigint[], :end_us::bigint[], :drifted::boolean[], :notes::text[])
       AS i(evaluation_id, condition_index, feature, method, score, p_value, sample_count, histograms, model_version_id,
            reference_id, start_us, end_us, drifted, note)
