-- A model's watched features side by side with their references: for each feature (the ones named
-- in :watched, or, when :watched is NULL, every feature a version of the model has a current
-- reference for), the newest production window before :to (the histograms of its newest window end,
-- all segments and sources, of the version that sent them) summed on the reference's buckets, the
-- reference itself, the window's scores against it, and what the latest drift decision said of the
-- feature (orchestrator.drift_evidence). Drifting features first, then the highest PSI; :limit rows.
-- Buckets follow the drift rule of V270: numeric bins when the edges are equal, categorical values
-- in the reference's order plus __outside__ for values the reference does not list; a window that
-- cannot be compared is returned as its newest histogram came (comparable false, raw_*).
WITH named AS (
    SELECT r.feature
      FROM orchestrator.reference_distribution r
      JOIN orchestrator.model_version mv ON mv.id = r.model_version_id
     WHERE mv.model_id = :model_id AND r.superseded_at IS NULL AND CAST(:watched AS text[]) IS NULL
    UNION
    SELECT unnest(CAST(:watched AS text[]))
), newest AS (
    SELECT n.feature, w.observed_at, w.model_version_id
      FROM named n
      LEFT JOIN LATERAL (
            SELECT d.observed_at, d.model_version_id
              FROM orchestrator.distribution_snapshot d
             WHERE d.model_id = :model_id AND d.feature = n.feature
               AND d.observed_at < coalesce(CAST(:to AS timestamptz), 'infinity')
             ORDER BY d.observed_at DESC, d.id DESC
             LIMIT 1) w ON true
), judged AS (
    -- the version whose reference the window is read against: the one that sent it, else the
    -- serving version, else the newest version with a reference for the feature
    SELECT n.feature, n.observed_at, coalesce(n.model_version_id, active.id, withref.id) AS model_version_id
      FROM newest n
      LEFT JOIN LATERAL (
            SELECT mv.id FROM orchestrator.model_version mv
             WHERE mv.model_id = :model_id AND mv.status = 'active'
               AND EXISTS (SELECT 1 FROM orchestrator.reference_distribution r
                            WHERE r.model_version_id = mv.id AND r.feature = n.feature AND r.superseded_at IS NULL)
             LIMIT 1) active ON true
      LEFT JOIN LATERAL (
            SELECT r.model_version_id AS id FROM orchestrator.reference_distribution r
              JOIN orchestrator.model_version mv ON mv.id = r.model_version_id
             WHERE mv.model_id = :model_id AND r.feature = n.feature AND r.superseded_at IS NULL
             ORDER BY mv.created_at DESC, mv.id DESC
             LIMIT 1) withref ON true
), windowed AS (
    SELECT j.feature, j.observed_at, j.model_version_id, r.id AS reference_id, r.kind AS reference_kind, r.edges AS reference_edges,
           r.categories AS reference_categories, orchestrator.drift_reference_counts(r.kind, r.counts) AS reference_counts,
           r.sample_count AS reference_samples, r.origin AS reference_origin, r.set_at AS reference_set_at,
           agg.histograms, agg.sample_count, agg.aligned, agg.comparable, raw.kind AS raw_kind, raw.edges AS raw_edges,
           raw.categories AS raw_categories, raw.counts AS raw_counts
      FROM judged j
      LEFT JOIN orchestrator.reference_distribution r
             ON r.model_version_id = j.model_version_id AND r.feature = j.feature AND r.superseded_at IS NULL
      LEFT JOIN LATERAL (
            SELECT count(*) AS histograms, sum(d.sample_count) AS sample_count,
                   orchestrator.sum_counts(a.counts) AS aligned,
                   r.id IS NOT NULL AND bool_and(a.counts IS NOT NULL) AS comparable,
                   max(d.id) AS newest_id
              FROM orchestrator.distribution_snapshot d
             CROSS JOIN LATERAL (SELECT orchestrator.drift_align(r.kind, r.edges, r.categories, d.kind, d.edges, d.categories,
                                                                 d.counts) AS counts) a
             WHERE d.model_id = :model_id AND d.feature = j.feature
               AND d.model_version_id = j.model_version_id AND d.observed_at = j.observed_at) agg ON j.observed_at IS NOT NULL
      LEFT JOIN orchestrator.distribution_snapshot raw ON raw.id = agg.newest_id
), evidence AS (
    SELECT w.*, e.drifted, e.method AS evidence_method, e.score AS evidence_score, e.p_value AS evidence_p_value,
           e.window_end AS evidence_window_end, e.policy AS evidence_policy, e.note AS evidence_note
      FROM windowed w
      LEFT JOIN LATERAL (
            SELECT de.drifted, de.method, de.score, de.p_value, de.window_end, de.note, p.name AS policy
              FROM orchestrator.policy_evaluation ev
              JOIN orchestrator.drift_evidence de ON de.evaluation_id = ev.id
              JOIN orchestrator.retrain_policy_version pv ON pv.id = ev.policy_version_id
              JOIN orchestrator.retrain_policy p ON p.id = pv.policy_id
             WHERE ev.model_id = :model_id AND de.feature = w.feature AND de.method <> 'estimated'
               AND ev.evaluated_at < coalesce(CAST(:to AS timestamptz), 'infinity')
             ORDER BY ev.evaluated_at DESC, ev.id DESC
             LIMIT 1) e ON true
)
SELECT ev.feature,
       mv.version,
       coalesce(ev.reference_kind, ev.raw_kind)                          AS kind,
       ev.observed_at,
       ev.reference_id,
       ev.reference_edges                                                AS edges,
       CASE WHEN ev.reference_kind = 'categorical'
            THEN ev.reference_categories || '__outside__'::text END       AS categories,
       ev.reference_counts,
       ev.reference_samples,
       ev.reference_origin,
       ev.reference_set_at,
       coalesce(ev.comparable, false)                                    AS comparable,
       ev.histograms,
       ev.sample_count,
       CASE WHEN ev.comparable THEN ev.aligned END                       AS counts,
       CASE WHEN NOT ev.comparable THEN ev.raw_edges END                 AS raw_edges,
       CASE WHEN NOT ev.comparable THEN ev.raw_categories END            AS raw_categories,
       CASE WHEN NOT ev.comparable THEN ev.raw_counts END                AS raw_counts,
       (sc.s).psi, (sc.s).jensen_shannon, (sc.s).wasserstein, (sc.s).chi_square_p,
       ev.drifted,
       ev.evidence_policy,
       ev.evidence_method,
       ev.evidence_score,
       ev.evidence_p_value,
       ev.evidence_window_end,
       ev.evidence_note
  FROM evidence ev
  LEFT JOIN orchestrator.model_version mv ON mv.id = ev.model_version_id
 CROSS JOIN LATERAL (SELECT CASE WHEN ev.comparable
                                 THEN orchestrator.drift_score(ev.reference_counts, ev.aligned, ev.reference_edges) END AS s) sc
 WHERE ev.reference_id IS NOT NULL OR ev.observed_at IS NOT NULL
 ORDER BY coalesce(ev.drifted, false) DESC, (sc.s).psi DESC NULLS LAST, ev.feature
 LIMIT :limit
