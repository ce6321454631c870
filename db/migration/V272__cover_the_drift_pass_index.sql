-- The drift pass reads, per model, the window's histograms' stored scores: with the columns it
-- reads in the index, a vacuumed table answers from the index alone (no heap visit per histogram).
DROP INDEX orchestrator.distribution_score_model_time;
CREATE INDEX distribution_score_pass ON orchestrator.distribution_score (model_id, observed_at DESC)
    INCLUDE (model_version_id, ingested_at, distribution_id, feature, sample_count, reference_generation,
             psi, jensen_shannon, wasserstein, chi_square_p);
