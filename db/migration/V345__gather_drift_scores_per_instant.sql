-- The drift pass read, per model, one distribution_score row per feature (50 rows per model, half a
-- million per pass at 10,000 models): some 2.4 s. Histograms are cut at a cadence, so a window
-- usually holds one instant of a model (every feature's histogram observed at the same time): this
-- table gathers, per (model, version, instant), its histograms' scores in one row, so the pass reads
-- one row per model and judges it with array arithmetic. Triggers on distribution_score keep it in
-- step; the pass falls back to the per-histogram rows when a window holds several instants or an
-- instant only partly ingested at the pass's instant (a backtest), and checks each row's reference
-- generations against reference_set itself, so a reference replaced since needs no upkeep here.
CREATE TABLE orchestrator.drift_instant (
    model_id                    bigint             NOT NULL,
    model_version_id            bigint             NOT NULL,
    observed_at                 timestamptz        NOT NULL,
    histograms                  integer            NOT NULL,
    distinct_features           integer            NOT NULL,
    first_ingested_at           timestamptz        NOT NULL,
    last_ingested_at            timestamptz        NOT NULL,
    oldest_generation           bigint             NOT NULL,
    newest_generation           bigint             NOT NULL,
    least_sample_count          bigint             NOT NULL,
    feature_names               text[]             NOT NULL,
    sample_counts               bigint[]           NOT NULL,
    reference_generations       bigint[]           NOT NULL,
    psi                         double precision[] NOT NULL,
    jensen_shannon              double precision[] NOT NULL,
    wasserstein                 double precision[] NOT NULL,
    chi_square_p                double precision[] NOT NULL,
    psi_sorted                  double precision[] NOT NULL,
    jensen_shannon_sorted       double precision[] NOT NULL,
    wasserstein_sorted          double precision[] NOT NULL,
    chi_square_p_negated_sorted double precision[] NOT NULL,
    PRIMARY KEY (model_id, observed_at, model_version_id)
) WITH (toast_tuple_target = 8160);  -- a 50-feature row (some 5 kB) stays in its page: no TOAST fetch per model
COMMENT ON TABLE orchestrator.drift_instant IS 'Per model, version and instant, the drift scores of the histograms observed then (orchestrator.distribution_score) gathered in one row, kept by triggers on distribution_score, so that a drift pass reads one row per model instead of one per feature. Array columns are aligned, one element per histogram in feature order; the *_sorted ones hold a method''s non-NULL scores in ascending order, so counting the scores past a line is a binary search (width_bucket).';
COMMENT ON COLUMN orchestrator.drift_instant.model_id IS 'The model (orchestrator.model.id).';
COMMENT ON COLUMN orchestrator.drift_instant.model_version_id IS 'The version that sent the histograms (orchestrator.model_version.id).';
COMMENT ON COLUMN orchestrator.drift_instant.observed_at IS 'The instant: the end of the histograms'' windows.';
COMMENT ON COLUMN orchestrator.drift_instant.histograms IS 'How many histograms were observed then (segments count apart).';
COMMENT ON COLUMN orchestrator.drift_instant.distinct_features IS 'How many distinct features they describe; fewer than histograms when a feature has several segments.';
COMMENT ON COLUMN orchestrator.drift_instant.first_ingested_at IS 'When the first of them was stored: a pass at an earlier instant knows none of them.';
COMMENT ON COLUMN orchestrator.drift_instant.last_ingested_at IS 'When the last of them was stored: a pass at an earlier instant knows only some of them and reads distribution_score instead.';
COMMENT ON COLUMN orchestrator.drift_instant.oldest_generation IS 'The smallest reference_set generation the histograms were scored under.';
COMMENT ON COLUMN orchestrator.drift_instant.newest_generation IS 'The largest; both equal to the version''s current generation means every stored score is against today''s references.';
COMMENT ON COLUMN orchestrator.drift_instant.least_sample_count IS 'The smallest sample count of the histograms: a min_samples at or below it excludes none.';
COMMENT ON COLUMN orchestrator.drift_instant.feature_names IS 'Each histogram''s feature, in feature order (then histogram id).';
COMMENT ON COLUMN orchestrator.drift_instant.sample_counts IS 'Each histogram''s sample count, aligned with feature_names.';
COMMENT ON COLUMN orchestrator.drift_instant.reference_generations IS 'The reference_set generation each histogram was scored under, aligned with feature_names.';
COMMENT ON COLUMN orchestrator.drift_instant.psi IS 'Each histogram''s PSI (NULL: not comparable), aligned with feature_names.';
COMMENT ON COLUMN orchestrator.drift_instant.jensen_shannon IS 'Each histogram''s Jensen-Shannon distance, aligned with feature_names.';
COMMENT ON COLUMN orchestrator.drift_instant.wasserstein IS 'Each histogram''s Wasserstein distance, aligned with feature_names.';
COMMENT ON COLUMN orchestrator.drift_instant.chi_square_p IS 'Each histogram''s chi-square p-value, aligned with feature_names.';
COMMENT ON COLUMN orchestrator.drift_instant.psi_sorted IS 'The non-NULL PSI scores, ascending.';
COMMENT ON COLUMN orchestrator.drift_instant.jensen_shannon_sorted IS 'The non-NULL Jensen-Shannon distances, ascending.';
COMMENT ON COLUMN orchestrator.drift_instant.wasserstein_sorted IS 'The non-NULL Wasserstein distances, ascending.';
COMMENT ON COLUMN orchestrator.drift_instant.chi_square_p_negated_sorted IS 'The non-NULL chi-square p-values negated, ascending (the smallest p-value last), so that "p below a line" is counted as the other methods'' "score above a line".';

-- Recomputes the given instants from distribution_score (deleting those left without a histogram).
-- Race: two transactions writing histograms of one instant would each gather only their own (the
-- other's are not committed yet) and the second would overwrite the first. So the instants' rows are
-- locked first, in key order (created if missing: a concurrent creator makes this wait for its
-- commit); the gathering is a later statement, whose snapshot sees what the lock holder committed.
CREATE FUNCTION orchestrator.refresh_drift_instants(model_ids bigint[], version_ids bigint[], instants timestamptz[])
    RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO orchestrator.drift_instant AS i (model_id, model_version_id, observed_at, histograms, distinct_features,
                                                 first_ingested_at, last_ingested_at, oldest_generation, newest_generation,
                                                 least_sample_count, feature_names, sample_counts, reference_generations, psi,
                                                 jensen_shannon, wasserstein, chi_square_p, psi_sorted, jensen_shannon_sorted,
                                                 wasserstein_sorted, chi_square_p_negated_sorted)
    SELECT k.model_id, k.version_id, k.observed_at, 0, 0, k.observed_at, k.observed_at, 0, 0, 0,
           '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}'
      FROM unnest(model_ids, version_ids, instants) AS k(model_id, version_id, observed_at)
     ORDER BY k.model_id, k.observed_at, k.version_id
        ON CONFLICT (model_id, observed_at, model_version_id) DO UPDATE SET histograms = i.histograms;

    UPDATE orchestrator.drift_instant i
       SET histograms = g.histograms, distinct_features = g.distinct_features, first_ingested_at = g.first_ingested_at,
           last_ingested_at = g.last_ingested_at, oldest_generation = g.oldest_generation, newest_generation = g.newest_generation,
           least_sample_count = g.least_sample_count, feature_names = g.feature_names, sample_counts = g.sample_counts,
           reference_generations = g.reference_generations, psi = g.psi, jensen_shannon = g.jensen_shannon,
           wasserstein = g.wasserstein, chi_square_p = g.chi_square_p, psi_sorted = g.psi_sorted,
           jensen_shannon_sorted = g.jensen_shannon_sorted, wasserstein_sorted = g.wasserstein_sorted,
           chi_square_p_negated_sorted = g.chi_square_p_negated_sorted
      FROM (SELECT s.model_id, s.model_version_id, s.observed_at,
                   count(*) AS histograms, count(DISTINCT s.feature) AS distinct_features,
                   min(s.ingested_at) AS first_ingested_at, max(s.ingested_at) AS last_ingested_at,
                   min(s.reference_generation) AS oldest_generation, max(s.reference_generation) AS newest_generation,
                   min(s.sample_count) AS least_sample_count,
                   array_agg(s.feature ORDER BY s.feature, s.distribution_id) AS feature_names,
                   array_agg(s.sample_count ORDER BY s.feature, s.distribution_id) AS sample_counts,
                   array_agg(s.reference_generation ORDER BY s.feature, s.distribution_id) AS reference_generations,
                   array_agg(s.psi ORDER BY s.feature, s.distribution_id) AS psi,
                   array_agg(s.jensen_shannon ORDER BY s.feature, s.distribution_id) AS jensen_shannon,
                   array_agg(s.wasserstein ORDER BY s.feature, s.distribution_id) AS wasserstein,
                   array_agg(s.chi_square_p ORDER BY s.feature, s.distribution_id) AS chi_square_p,
                   coalesce(array_agg(s.psi ORDER BY s.psi) FILTER (WHERE s.psi IS NOT NULL), '{}') AS psi_sorted,
                   coalesce(array_agg(s.jensen_shannon ORDER BY s.jensen_shannon) FILTER (WHERE s.jensen_shannon IS NOT NULL), '{}')
                       AS jensen_shannon_sorted,
                   coalesce(array_agg(s.wasserstein ORDER BY s.wasserstein) FILTER (WHERE s.wasserstein IS NOT NULL), '{}')
                       AS wasserstein_sorted,
                   coalesce(array_agg(-s.chi_square_p ORDER BY -s.chi_square_p) FILTER (WHERE s.chi_square_p IS NOT NULL), '{}')
                       AS chi_square_p_negated_sorted
              FROM unnest(model_ids, version_ids, instants) AS k(model_id, version_id, observed_at)
              JOIN orchestrator.distribution_score s
                ON s.model_id = k.model_id AND s.observed_at = k.observed_at AND s.model_version_id = k.version_id
             GROUP BY s.model_id, s.model_version_id, s.observed_at) g
     WHERE i.model_id = g.model_id AND i.observed_at = g.observed_at AND i.model_version_id = g.model_version_id;

    DELETE FROM orchestrator.drift_instant i
     USING unnest(model_ids, version_ids, instants) AS k(model_id, version_id, observed_at)
     WHERE i.model_id = k.model_id AND i.observed_at = k.observed_at AND i.model_version_id = k.version_id
       AND NOT EXISTS (SELECT 1 FROM orchestrator.distribution_score s
                        WHERE s.model_id = k.model_id AND s.observed_at = k.observed_at AND s.model_version_id = k.version_id);
END $$;
COMMENT ON FUNCTION orchestrator.refresh_drift_instants(bigint[], bigint[], timestamptz[]) IS 'Recomputes the given (model, version, instant) rows of drift_instant from distribution_score, locking them first so that concurrent writers of one instant gather each other''s histograms.';

-- Statement triggers of distribution_score: the instants of the rows written and of the rows
-- replaced or removed are recomputed.
CREATE FUNCTION orchestrator.regather_drift_instants() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM orchestrator.refresh_drift_instants(array_agg(model_id), array_agg(model_version_id), array_agg(observed_at))
           FROM (SELECT DISTINCT model_id, model_version_id, observed_at FROM written) k;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM orchestrator.refresh_drift_instants(array_agg(model_id), array_agg(model_version_id), array_agg(observed_at))
           FROM (SELECT DISTINCT model_id, model_version_id, observed_at FROM replaced) k;
    ELSE
        PERFORM orchestrator.refresh_drift_instants(array_agg(model_id), array_agg(model_version_id), array_agg(observed_at))
           FROM (SELECT model_id, model_version_id, observed_at FROM written
                  UNION SELECT model_id, model_version_id, observed_at FROM replaced) k;
    END IF;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION orchestrator.regather_drift_instants() IS 'Statement trigger of distribution_score (insert, update, delete): recomputes the drift_instant rows of the histograms written, replaced or removed.';

CREATE TRIGGER distribution_score_gathered AFTER INSERT ON orchestrator.distribution_score
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION orchestrator.regather_drift_instants();
CREATE TRIGGER distribution_score_regathered AFTER UPDATE ON orchestrator.distribution_score
    REFERENCING OLD TABLE AS replaced NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION orchestrator.regather_drift_instants();
CREATE TRIGGER distribution_score_ungathered AFTER DELETE ON orchestrator.distribution_score
    REFERENCING OLD TABLE AS replaced FOR EACH STATEMENT EXECUTE FUNCTION orchestrator.regather_drift_instants();

-- Existing histograms, gathered once.
SELECT orchestrator.refresh_drift_instants(array_agg(model_id), array_agg(model_version_id), array_agg(observed_at))
  FROM (SELECT DISTINCT model_id, model_version_id, observed_at FROM orchestrator.distribution_score) k;

INSERT INTO orchestrator.reader_table (table_name, why) VALUES
    ('orchestrator.drift_instant', 'per model, version and instant, the drift scores of its histograms gathered in one row');
