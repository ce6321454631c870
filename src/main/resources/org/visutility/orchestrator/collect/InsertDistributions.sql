-- The staged histograms that are new, in one statement; a key stored already (by an earlier batch,
-- a concurrent one that committed first, or an earlier item of this batch) is left as it is and
-- told apart afterwards as a duplicate or a conflict (FindDistributionConflicts).
WITH inserted AS (
    INSERT INTO orchestrator.distribution_snapshot (model_id, model_version_id, observed_at, segment, source, feature, kind,
                                                    edges, categories, counts, sample_count, batch_id)
    SELECT v.model_id, v.id, s.observed_at, s.segment, s.source, s.feature, s.kind, s.edges, s.categories, s.counts,
           s.sample_count, :batch
      FROM pg_temp.distribution_staging s
      JOIN orchestrator.model m ON m.name = s.model
      JOIN orchestrator.model_version v ON v.model_id = m.id AND v.version = s.version
     ORDER BY s.position
        ON CONFLICT (model_version_id, feature, segment, source, observed_at) DO NOTHING
    RETURNING 1
)
SELECT count(*) FROM inserted
