-- Per drift condition input and feature: the window's histograms of the version judged, scored
-- against the version's current reference. Inputs: key, model_id, at_us (the evaluation time, epoch
-- microseconds), window_us, all_features; the listed features of the other inputs come as
-- (feature_keys, feature_names) pairs. The version judged is the one that sent the window's newest
-- histogram; histograms of other versions in the window are left out. Histograms count as known
-- once ingested (ingested_at <= at), so a backtest sees what a live pass saw.
-- A feature with one histogram in the window, scored when it was written against the reference
-- still current, reads its stored scores (orchestrator.distribution_score); otherwise the window's
-- histograms are aligned to the reference, summed bin-wise and scored here by the same function.
-- If any histogram of the window cannot be aligned (another kind, other numeric edges), the feature
-- is not comparable.
WITH input AS (
    SELECT i.key, i.model_id, i.all_features,
           timestamptz 'epoch' + i.at_us * interval '1 microsecond' AS at,
           timestamptz 'epoch' + (i.at_us - i.window_us) * interval '1 microsecond' AS since
      FROM unnest(:keys::int[], :model_ids::bigint[], :at_us::bigint[], :window_us::bigint[], :all_features::boolean[])
           AS i(key, model_id, at_us, window_us, all_features)
), listed AS (
    SELECT f.key, f.feature FROM unnest(:feature_keys::int[], :feature_names::text[]) AS f(key, feature)
), judged AS (
    SELECT input.*, v.model_version_id
      FROM input
     CROSS JOIN LATERAL (
        SELECT s.model_version_id FROM orchestrator.distribution_score s
         WHERE s.model_id = input.model_id AND s.observed_at <= input.at AND s.observed_at > input.since
           AND s.ingested_at <= input.at
         ORDER BY s.observed_at DESC, s.distribution_id DESC
         LIMIT 1) v
), hist AS (
    SELECT j.key, j.model_version_id, j.at, j.since, s.feature, count(*) AS histograms, sum(s.sample_count) AS samples,
           array_agg(s.distribution_id) AS ids,
           min(s.reference_id) AS stored_reference, bool_and(s.reference_id IS NOT NULL) AS all_stored,
           min(s.psi) AS psi, min(s.jensen_shannon) AS jensen_shannon, min(s.wasserstein) AS wasserstein,
           min(s.chi_square) AS chi_square, min(s.chi_square_df) AS chi_square_df, min(s.chi_square_p) AS chi_square_p
      FROM judged j
      JOIN orchestrator.distribution_score s
        ON s.model_id = j.model_id AND s.observed_at <= j.at AND s.observed_at > j.since AND s.model_version_id = j.model_version_id
       AND s.ingested_at <= j.at
     WHERE j.all_features OR EXISTS (SELECT 1 FROM listed l WHERE l.key = j.key AND l.feature = s.feature)
     GROUP BY j.key, j.model_version_id, j.at, j.since, s.feature
), scored AS MATERIALIZED (
    SELECT h.key, h.feature, h.model_version_id, h.at, h.since, h.histograms, h.samples, h.ids, r.id AS reference_id, r.kind AS reference_kind,
           CASE
               WHEN r.id IS NULL THEN NULL
               WHEN h.histograms = 1 AND h.stored_reference = r.id THEN
                   ROW(h.psi, h.jensen_shannon, h.wasserstein, h.chi_square, h.chi_square_df, h.chi_square_p)::orchestrator.drift_scores
               ELSE (SELECT CASE WHEN bool_and(a.counts IS NOT NULL) THEN
                                     orchestrator.drift_score(orchestrator.drift_reference_counts(r.kind, r.counts),
                                                              orchestrator.sum_counts(a.counts), r.edges)
                                 END
                       FROM orchestrator.distribution_snapshot d
                      CROSS JOIN LATERAL (SELECT orchestrator.drift_align(r.kind, r.edges, r.categories, d.kind, d.edges, d.categories,
                                                                          d.counts) AS counts) a
                      WHERE d.id = ANY (h.ids))
           END AS s
      FROM hist h
      LEFT JOIN orchestrator.reference_distribution r
        ON r.model_version_id = h.model_version_id AND r.feature = h.feature AND r.superseded_at IS NULL
)
SELECT key, feature, model_version_id, at, since, histograms, samples, reference_id, reference_kind,
       (s).psi, (s).jensen_shannon, (s).wasserstein, (s).chi_square, (s).chi_square_df, (s).chi_square_p
  FROM scored
