INSERT INTO orchestrator.reference_distribution (model_version_id, feature, kind, edges, categories, counts, sample_count, origin,
                                                 window_start, window_end, set_by)
VALUES (:version, :feature, :kind, :edges, :categories, :counts, :sampleCount, :origin, :windowStart, :windowEnd, :setBy)
