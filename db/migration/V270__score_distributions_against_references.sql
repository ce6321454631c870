-- Drift and estimated performance, scored once per histogram when it is written.
--
-- A policy pass must judge thousands of models x tens of features in well under a second; scoring
-- 20 bins per feature in SQL costs some 40 microseconds per histogram, so a pass that summed and
-- scored every window's bins would take tens of seconds. Instead a statement trigger scores each
-- new production histogram against its version's current reference (and, for the feature
-- prediction, its current calibration) as it is inserted, into orchestrator.distribution_score,
-- and a pass reads those scalars. A window that holds more than one histogram of a feature (or a
-- histogram scored against a reference since superseded) is summed bin-wise and scored at
-- evaluation, exactly, by the same functions: correct always, fast when the window matches the
-- histograms' cadence.
--
-- Comparison rule (docs/policies.md, Drift):
--   numeric histograms are comparable with the reference only when their edges are equal; then
--   bins are compared one to one. Otherwise the feature is "not comparable" (reported, not scored).
--   categorical ones are compared by value: every reference value in the reference's order (a
--   value missing in production counts 0), then one bucket __outside__ for the production values
--   the reference does not list (the production __other__ included, unless the reference lists
--   __other__ itself, in which case the two __other__ are the same value).
--   Buckets empty on both sides carry no information and are dropped.
-- Methods (proportions p = production, q = reference, each bucket's count over its side's total):
--   psi            sum (p - q) ln(p / q) with p and q floored at 1e-4 (an empty bucket would be infinite)
--   jensen_shannon sqrt(JSD) with base-2 logarithms, in [0, 1]; 0 log 0 = 0, no floor needed
--   wasserstein    numeric only: earth mover's distance between the two histograms with each bin's
--                  mass at its midpoint, sum over i < n of |P_i - Q_i| (mid_{i+1} - mid_i) with P, Q
--                  cumulative, divided by the reference's range (last edge - first edge): in [0, 1]
--   chi_square     Pearson's goodness-of-fit of the production counts against the reference's
--                  proportions: X2 = sum (O - E)^2 / E with E = N max(q, 1e-4), N the production
--                  count, df = buckets - 1; p-value = Q(df/2, X2/2), the regularized upper
--                  incomplete gamma. X2 grows with N, so a small window does not reach a small p.

-- ln Gamma(x) for x > 0 (Lanczos, g = 7, 9 terms; relative error below 1e-13).
CREATE FUNCTION orchestrator.ln_gamma(x double precision) RETURNS double precision
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    c double precision[] := ARRAY[0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
                                  -176.61502916214059, 12.507343278686905, -0.13857109526572012,
                                  9.9843695780195716e-6, 1.5056327351493116e-7];
    a double precision;
    t double precision;
BEGIN
    IF x < 0.5 THEN
        RETURN ln(pi() / abs(sin(pi() * x))) - orchestrator.ln_gamma(1 - x);
    END IF;
    x := x - 1;
    a := c[1];
    t := x + 7.5;
    FOR i IN 1..8 LOOP
        a := a + c[i + 1] / (x + i);
    END LOOP;
    RETURN 0.5 * ln(2 * pi()) + (x + 0.5) * ln(t) - t + ln(a);
END $$;
COMMENT ON FUNCTION orchestrator.ln_gamma(double precision) IS 'The natural logarithm of the gamma function (Lanczos approximation), for the chi-square p-value.';

-- P(X2 >= x) for a chi-square variable with df degrees of freedom: Q(df/2, x/2), by the series
-- for x < a + 1 and by the continued fraction (modified Lentz) otherwise.
CREATE FUNCTION orchestrator.chi_square_p(x double precision, df integer) RETURNS double precision
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    a double precision := df / 2.0;
    z double precision := x / 2.0;
    lg double precision;
    s double precision; term double precision; ap double precision;
    b double precision; c double precision; d double precision; h double precision; an double precision; del double precision;
BEGIN
    IF df < 1 THEN RETURN NULL; END IF;
    IF z <= 0 THEN RETURN 1; END IF;
    lg := orchestrator.ln_gamma(a);
    IF z < a + 1 THEN
        ap := a; s := 1 / a; term := s;
        FOR n IN 1..1000 LOOP
            ap := ap + 1; term := term * z / ap; s := s + term;
            EXIT WHEN abs(term) < abs(s) * 1e-15;
        END LOOP;
        RETURN greatest(0, 1 - s * exp(greatest(-700, -z + a * ln(z) - lg)));
    END IF;
    b := z + 1 - a; c := 1e300; d := 1 / b; h := d;
    FOR n IN 1..1000 LOOP
        an := -n * (n - a); b := b + 2;
        d := an * d + b; IF abs(d) < 1e-300 THEN d := 1e-300; END IF;
        c := b + an / c; IF abs(c) < 1e-300 THEN c := 1e-300; END IF;
        d := 1 / d; del := d * c; h := h * del;
        EXIT WHEN abs(del - 1) < 1e-15;
    END LOOP;
    -- exp underflows (an error in PostgreSQL) below e^-745: such a p-value is 0 for any purpose
    IF -z + a * ln(z) - lg + ln(h) < -700 THEN RETURN 0; END IF;
    RETURN least(1, exp(-z + a * ln(z) - lg) * h);
END $$;
COMMENT ON FUNCTION orchestrator.chi_square_p(double precision, integer) IS 'The p-value of a chi-square statistic with df degrees of freedom: the regularized upper incomplete gamma Q(df/2, x/2).';

-- A production histogram's counts on the reference's buckets (the comparison rule above), or NULL
-- when it cannot be compared (another kind, or numeric edges that differ).
CREATE FUNCTION orchestrator.drift_align(ref_kind text, ref_edges double precision[], ref_categories text[],
                                         kind text, edges double precision[], categories text[], counts bigint[])
    RETURNS bigint[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    out bigint[];
    pos integer;
    n integer;
BEGIN
    IF ref_kind IS DISTINCT FROM kind THEN RETURN NULL; END IF;
    IF kind = 'numeric' THEN
        RETURN CASE WHEN edges = ref_edges THEN counts END;
    END IF;
    n := cardinality(ref_categories);
    out := array_fill(0::bigint, ARRAY[n + 1]);
    FOR i IN 1..cardinality(categories) LOOP
        pos := array_position(ref_categories, categories[i]);
        IF pos IS NULL THEN pos := n + 1; END IF;
        out[pos] := out[pos] + counts[i];
    END LOOP;
    RETURN out;
END $$;
COMMENT ON FUNCTION orchestrator.drift_align(text, double precision[], text[], text, double precision[], text[], bigint[]) IS 'A production histogram''s counts on the reference''s buckets: numeric with equal edges as they are; categorical in the reference''s value order plus a last bucket for values the reference does not list; NULL when not comparable.';

-- The reference's counts on the same buckets (categorical: a zero for the outside bucket).
CREATE FUNCTION orchestrator.drift_reference_counts(ref_kind text, ref_counts bigint[]) RETURNS bigint[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN ref_kind = 'categorical' THEN ref_counts || 0::bigint ELSE ref_counts END
$$;
COMMENT ON FUNCTION orchestrator.drift_reference_counts(text, bigint[]) IS 'The reference''s counts on the buckets drift_align puts production counts on.';

-- Bin-wise sums of aligned counts (a window's histograms): the first array, then each next one added.
CREATE FUNCTION orchestrator.add_counts(a bigint[], b bigint[]) RETURNS bigint[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT array_agg(x + y ORDER BY i) FROM unnest(a, b) WITH ORDINALITY u(x, y, i)
$$;
COMMENT ON FUNCTION orchestrator.add_counts(bigint[], bigint[]) IS 'Two aligned count arrays added bin by bin.';
CREATE AGGREGATE orchestrator.sum_counts(bigint[]) (SFUNC = orchestrator.add_counts, STYPE = bigint[]);
COMMENT ON AGGREGATE orchestrator.sum_counts(bigint[]) IS 'Aligned count arrays summed bin by bin (NULL inputs are skipped; callers check comparability apart).';

CREATE TYPE orchestrator.drift_scores AS (
    psi            double precision,
    jensen_shannon double precision,
    wasserstein    double precision,
    chi_square     double precision,
    chi_square_df  integer,
    chi_square_p   double precision
);
COMMENT ON TYPE orchestrator.drift_scores IS 'The four drift measures of one production histogram (or window sum) against its reference.';

-- Every measure in one pass over the buckets. ref and prod are aligned counts (drift_align);
-- edges are the reference's numeric edges (NULL for categorical: no wasserstein).
CREATE FUNCTION orchestrator.drift_score(ref bigint[], prod bigint[], edges double precision[])
    RETURNS orchestrator.drift_scores LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    eps constant double precision := 1e-4;
    nr double precision := 0; np double precision := 0;
    p double precision; q double precision; m double precision; pf double precision; qf double precision;
    psi double precision := 0; jsd double precision := 0; x2 double precision := 0; e double precision;
    cp double precision := 0; cq double precision := 0; w double precision := 0;
    kept integer := 0;
    r orchestrator.drift_scores;
BEGIN
    IF ref IS NULL OR prod IS NULL OR cardinality(ref) <> cardinality(prod) THEN RETURN NULL; END IF;
    FOR i IN 1..cardinality(ref) LOOP
        nr := nr + ref[i]; np := np + prod[i];
    END LOOP;
    IF nr = 0 OR np = 0 THEN RETURN NULL; END IF;
    FOR i IN 1..cardinality(ref) LOOP
        p := prod[i] / np; q := ref[i] / nr;
        IF edges IS NOT NULL AND i < cardinality(ref) THEN
            cp := cp + p; cq := cq + q;
            w := w + abs(cp - cq) * (edges[i + 2] - edges[i]) / 2;  -- mid_{i+1} - mid_i
        END IF;
        CONTINUE WHEN ref[i] = 0 AND prod[i] = 0;
        kept := kept + 1;
        pf := greatest(p, eps); qf := greatest(q, eps);
        psi := psi + (pf - qf) * ln(pf / qf);
        m := (p + q) / 2;
        IF p > 0 THEN jsd := jsd + 0.5 * p * ln(p / m) / ln(2.0); END IF;
        IF q > 0 THEN jsd := jsd + 0.5 * q * ln(q / m) / ln(2.0); END IF;
        e := np * qf;
        x2 := x2 + (prod[i] - e) ^ 2 / e;
    END LOOP;
    r.psi := psi;
    r.jensen_shannon := sqrt(least(1, greatest(0, jsd)));
    r.wasserstein := CASE WHEN edges IS NOT NULL THEN w / (edges[cardinality(edges)] - edges[1]) END;
    r.chi_square := x2;
    r.chi_square_df := kept - 1;
    r.chi_square_p := CASE WHEN kept > 1 THEN orchestrator.chi_square_p(x2, kept - 1) END;
    RETURN r;
END $$;
COMMENT ON FUNCTION orchestrator.drift_score(bigint[], bigint[], double precision[]) IS 'PSI (proportions floored at 1e-4), Jensen-Shannon distance (base 2), Wasserstein-1 over bin midpoints divided by the reference''s range (numeric only) and Pearson''s chi-square with its p-value, of aligned production counts against aligned reference counts.';

-- CBPE (confidence-based performance estimation) quantities of one prediction histogram on the
-- calibration's bins: expected correct predictions, expected true positives, predicted positives
-- and expected positives; NULL when the edges differ from the calibration's. A bin is predicted
-- positive when its lower edge is at or above the threshold (apply refuses a calibration whose
-- threshold is not one of its edges), and its calibrated probability is the calibration's observed rate.
CREATE FUNCTION orchestrator.cbpe_counts(edges double precision[], counts bigint[], cal_edges double precision[],
                                         observed_rate double precision[], threshold double precision)
    RETURNS double precision[] LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    correct double precision := 0; tp double precision := 0; pp double precision := 0; pos double precision := 0;
BEGIN
    IF edges IS NULL OR edges IS DISTINCT FROM cal_edges THEN RETURN NULL; END IF;
    FOR i IN 1..cardinality(counts) LOOP
        pos := pos + counts[i] * observed_rate[i];
        IF edges[i] >= threshold THEN
            correct := correct + counts[i] * observed_rate[i];
            tp := tp + counts[i] * observed_rate[i];
            pp := pp + counts[i];
        ELSE
            correct := correct + counts[i] * (1 - observed_rate[i]);
        END IF;
    END LOOP;
    RETURN ARRAY[correct, tp, pp, pos];
END $$;
COMMENT ON FUNCTION orchestrator.cbpe_counts(double precision[], bigint[], double precision[], double precision[], double precision) IS 'Expected correct, expected true positives, predicted positives and expected positives of a prediction-score histogram on its calibration''s bins (CBPE); NULL when the edges differ.';

-- A counter per model version bumped by every change of its references: a histogram scored under
-- an older generation was scored against a reference since replaced, so the pass re-scores it.
CREATE TABLE orchestrator.reference_set (
    model_version_id bigint      PRIMARY KEY REFERENCES orchestrator.model_version (id),
    generation       bigint      NOT NULL,
    changed_at       timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE orchestrator.reference_set IS 'Per model version, a counter bumped (by a trigger) whenever its reference distributions change, so that a policy pass can tell a histogram scored against today''s references from one scored against replaced ones without looking each reference up.';
COMMENT ON COLUMN orchestrator.reference_set.model_version_id IS 'The model version.';
COMMENT ON COLUMN orchestrator.reference_set.generation IS 'How many statements have changed the version''s references.';
COMMENT ON COLUMN orchestrator.reference_set.changed_at IS 'When they last changed.';

CREATE FUNCTION orchestrator.bump_reference_set() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO orchestrator.reference_set AS rs (model_version_id, generation)
    SELECT DISTINCT model_version_id, 1 FROM changed_rows ORDER BY 1
    ON CONFLICT (model_version_id) DO UPDATE SET generation = rs.generation + 1, changed_at = now();
    RETURN NULL;
END $$;
COMMENT ON FUNCTION orchestrator.bump_reference_set() IS 'Statement trigger of reference_distribution: bumps the generation of every version whose references the statement changed.';
CREATE TRIGGER reference_distribution_inserted AFTER INSERT ON orchestrator.reference_distribution
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION orchestrator.bump_reference_set();
CREATE TRIGGER reference_distribution_updated AFTER UPDATE ON orchestrator.reference_distribution
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION orchestrator.bump_reference_set();

CREATE TABLE orchestrator.distribution_score (
    distribution_id    bigint           PRIMARY KEY REFERENCES orchestrator.distribution_snapshot (id) ON DELETE CASCADE,
    model_id           bigint           NOT NULL,
    model_version_id   bigint           NOT NULL,
    feature            text             NOT NULL,
    observed_at        timestamptz      NOT NULL,
    ingested_at        timestamptz      NOT NULL,
    sample_count       bigint           NOT NULL,
    reference_id       bigint           REFERENCES orchestrator.reference_distribution (id),
    reference_generation bigint         NOT NULL,
    psi                double precision,
    jensen_shannon     double precision,
    wasserstein        double precision,
    chi_square         double precision,
    chi_square_df      integer,
    chi_square_p       double precision,
    calibration_id     bigint           REFERENCES orchestrator.reference_calibration (id),
    expected_correct   double precision,
    expected_true_pos  double precision,
    predicted_pos      double precision,
    expected_pos       double precision,
    scored_at          timestamptz      NOT NULL DEFAULT now()
);
COMMENT ON TABLE orchestrator.distribution_score IS 'Each production histogram scored, when it was written, against its version''s reference then current (drift) and, for the feature prediction, its calibration then current (estimated performance). The policy pass reads these scalars; a window of several histograms, or one scored against a reference since superseded, is re-scored from the summed bins at evaluation.';
COMMENT ON COLUMN orchestrator.distribution_score.distribution_id IS 'The histogram (orchestrator.distribution_snapshot.id).';
COMMENT ON COLUMN orchestrator.distribution_score.model_id IS 'Its model (copied for the pass''s index scan).';
COMMENT ON COLUMN orchestrator.distribution_score.model_version_id IS 'Its model version.';
COMMENT ON COLUMN orchestrator.distribution_score.feature IS 'Its feature; prediction for the model''s output.';
COMMENT ON COLUMN orchestrator.distribution_score.observed_at IS 'The end of its window.';
COMMENT ON COLUMN orchestrator.distribution_score.ingested_at IS 'When the histogram was stored: a pass at an instant reads only histograms known then.';
COMMENT ON COLUMN orchestrator.distribution_score.sample_count IS 'How many predictions it describes.';
COMMENT ON COLUMN orchestrator.distribution_score.reference_id IS 'The reference it was scored against (orchestrator.reference_distribution.id); NULL when the version had none for the feature.';
COMMENT ON COLUMN orchestrator.distribution_score.reference_generation IS 'The version''s reference_set generation when it was scored (0: no references yet); an older one than today''s means its scores are re-computed at evaluation.';
COMMENT ON COLUMN orchestrator.distribution_score.psi IS 'Population stability index against the reference (proportions floored at 1e-4); NULL when not comparable (no reference, another kind, numeric edges that differ).';
COMMENT ON COLUMN orchestrator.distribution_score.jensen_shannon IS 'Jensen-Shannon distance (base 2, 0 to 1); NULL when not comparable.';
COMMENT ON COLUMN orchestrator.distribution_score.wasserstein IS 'Wasserstein-1 distance over bin midpoints divided by the reference''s range (numeric only); NULL for categorical or not comparable.';
COMMENT ON COLUMN orchestrator.distribution_score.chi_square IS 'Pearson''s chi-square statistic of the counts against the reference''s proportions (floored at 1e-4); NULL when not comparable.';
COMMENT ON COLUMN orchestrator.distribution_score.chi_square_df IS 'Its degrees of freedom: buckets non-empty on either side, less one.';
COMMENT ON COLUMN orchestrator.distribution_score.chi_square_p IS 'Its p-value (the chi-square distribution''s upper tail); NULL with fewer than two buckets.';
COMMENT ON COLUMN orchestrator.distribution_score.calibration_id IS 'prediction only: the calibration the CBPE quantities used (orchestrator.reference_calibration.id); NULL when none or the edges differ.';
COMMENT ON COLUMN orchestrator.distribution_score.expected_correct IS 'CBPE: expected correct predictions, sum of n_b p_b over bins at or above the threshold and n_b (1 - p_b) below it, p_b the calibration''s observed rate.';
COMMENT ON COLUMN orchestrator.distribution_score.expected_true_pos IS 'CBPE: expected true positives, sum of n_b p_b over bins at or above the threshold.';
COMMENT ON COLUMN orchestrator.distribution_score.predicted_pos IS 'CBPE: predictions at or above the threshold, sum of n_b there.';
COMMENT ON COLUMN orchestrator.distribution_score.expected_pos IS 'CBPE: expected positives, sum of n_b p_b over all bins.';
COMMENT ON COLUMN orchestrator.distribution_score.scored_at IS 'When it was scored.';
-- The pass's scan: a model's histograms in a window, newest first.
CREATE INDEX distribution_score_model_time ON orchestrator.distribution_score (model_id, observed_at DESC);

-- Scores the statement's new histograms set-wise (one INSERT for the whole statement).
CREATE FUNCTION orchestrator.score_new_distributions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO orchestrator.distribution_score (distribution_id, model_id, model_version_id, feature, observed_at, ingested_at, sample_count,
                                                 reference_id, reference_generation, psi, jensen_shannon, wasserstein, chi_square, chi_square_df,
                                                 chi_square_p, calibration_id, expected_correct, expected_true_pos, predicted_pos,
                                                 expected_pos)
    SELECT d.id, d.model_id, d.model_version_id, d.feature, d.observed_at, d.ingested_at, d.sample_count, r.id,
           coalesce(g.generation, 0),
           (s).psi, (s).jensen_shannon, (s).wasserstein, (s).chi_square, (s).chi_square_df, (s).chi_square_p,
           CASE WHEN e IS NOT NULL THEN c.id END, e[1], e[2], e[3], e[4]
      FROM new_rows d
      LEFT JOIN orchestrator.reference_set g ON g.model_version_id = d.model_version_id
      LEFT JOIN orchestrator.reference_distribution r
             ON r.model_version_id = d.model_version_id AND r.feature = d.feature AND r.superseded_at IS NULL
      LEFT JOIN orchestrator.reference_calibration c
             ON d.feature = 'prediction' AND c.model_version_id = d.model_version_id AND c.superseded_at IS NULL
     CROSS JOIN LATERAL (SELECT orchestrator.drift_score(orchestrator.drift_reference_counts(r.kind, r.counts),
                                                         orchestrator.drift_align(r.kind, r.edges, r.categories, d.kind, d.edges,
                                                                                  d.categories, d.counts),
                                                         r.edges) AS s,
                                orchestrator.cbpe_counts(d.edges, d.counts, c.edges, c.observed_rate, c.threshold) AS e) x;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION orchestrator.score_new_distributions() IS 'Statement trigger of distribution_snapshot: scores the new histograms against their versions'' current references and calibrations into distribution_score.';
CREATE TRIGGER distribution_snapshot_scored AFTER INSERT ON orchestrator.distribution_snapshot
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION orchestrator.score_new_distributions();

-- What each drift or estimated decision read, feature by feature.
CREATE TABLE orchestrator.drift_evidence (
    evaluation_id    bigint           NOT NULL REFERENCES orchestrator.policy_evaluation (id) ON DELETE CASCADE,
    condition_index  integer          NOT NULL CHECK (condition_index >= 0),
    feature          text             NOT NULL,
    method           text             NOT NULL CHECK (method IN ('psi', 'jensen_shannon', 'wasserstein', 'chi_square', 'estimated')),
    score            double precision,
    p_value          double precision,
    sample_count     bigint           NOT NULL,
    histograms       integer          NOT NULL,
    model_version_id bigint           NOT NULL REFERENCES orchestrator.model_version (id),
    reference_id     bigint           REFERENCES orchestrator.reference_distribution (id),
    window_start     timestamptz      NOT NULL,
    window_end       timestamptz      NOT NULL,
    drifted          boolean,
    note             text,
    PRIMARY KEY (evaluation_id, condition_index, feature)
);
COMMENT ON TABLE orchestrator.drift_evidence IS 'Per feature, what a recorded policy decision with a drift condition read: the window''s histograms summed, scored against the version''s reference, and whether the feature counted as drifted. One row per (decision, condition, feature); so analysts see which features moved.';
COMMENT ON COLUMN orchestrator.drift_evidence.evaluation_id IS 'The decision (orchestrator.policy_evaluation.id).';
COMMENT ON COLUMN orchestrator.drift_evidence.condition_index IS 'Which of the policy''s conditions (0-based, in the order of the policy''s when).';
COMMENT ON COLUMN orchestrator.drift_evidence.feature IS 'The feature scored; prediction for the model''s output.';
COMMENT ON COLUMN orchestrator.drift_evidence.method IS 'The condition''s method: psi, jensen_shannon, wasserstein or chi_square.';
COMMENT ON COLUMN orchestrator.drift_evidence.score IS 'The method''s score of the window against the reference (chi_square: the statistic); NULL when not comparable.';
COMMENT ON COLUMN orchestrator.drift_evidence.p_value IS 'chi_square only: the test''s p-value (the condition compares it with below); NULL otherwise.';
COMMENT ON COLUMN orchestrator.drift_evidence.sample_count IS 'Predictions in the window''s histograms of the feature (all segments).';
COMMENT ON COLUMN orchestrator.drift_evidence.histograms IS 'How many histograms the window summed.';
COMMENT ON COLUMN orchestrator.drift_evidence.model_version_id IS 'The version judged: the one that sent the window''s newest histogram.';
COMMENT ON COLUMN orchestrator.drift_evidence.reference_id IS 'The reference compared with (orchestrator.reference_distribution.id); NULL when the version has none for the feature.';
COMMENT ON COLUMN orchestrator.drift_evidence.window_start IS 'The window''s start (exclusive).';
COMMENT ON COLUMN orchestrator.drift_evidence.window_end IS 'The window''s end (inclusive): the decision''s instant.';
COMMENT ON COLUMN orchestrator.drift_evidence.drifted IS 'Whether the feature counted as drifted (score above the line, or chi_square p-value below it); NULL when not scored (not comparable, or fewer samples than min_samples).';
COMMENT ON COLUMN orchestrator.drift_evidence.note IS 'Why a feature was not scored: not comparable (and why) or too few samples.';

INSERT INTO orchestrator.reader_table (table_name, why) VALUES
    ('orchestrator.reference_set', 'when each version''s references last changed'),
    ('orchestrator.distribution_score', 'each production histogram''s drift scores and CBPE quantities, computed when it was written'),
    ('orchestrator.drift_evidence', 'per feature, what each drift decision read and whether the feature drifted');

CREATE VIEW lineage.feature_drift AS
SELECT m.name              AS model,
       v.version           AS model_version,
       s.feature,
       d.segment,
       s.observed_at,
       s.sample_count,
       s.psi,
       s.jensen_shannon,
       s.wasserstein,
       s.chi_square_p,
       s.reference_id IS NOT NULL AND s.psi IS NOT NULL AS comparable,
       s.reference_id,
       s.distribution_id,
       s.model_id,
       s.model_version_id
  FROM orchestrator.distribution_score s
  JOIN orchestrator.distribution_snapshot d ON d.id = s.distribution_id
  JOIN orchestrator.model m ON m.id = s.model_id
  JOIN orchestrator.model_version v ON v.id = s.model_version_id;
COMMENT ON VIEW lineage.feature_drift IS 'Per production histogram, its drift scores against its version''s reference as scored when it was written: the drift of each feature over time.';
COMMENT ON COLUMN lineage.feature_drift.model IS 'The model''s name.';
COMMENT ON COLUMN lineage.feature_drift.model_version IS 'The version''s label.';
COMMENT ON COLUMN lineage.feature_drift.feature IS 'The feature; prediction for the model''s output.';
COMMENT ON COLUMN lineage.feature_drift.segment IS 'The histogram''s segment; empty for all traffic.';
COMMENT ON COLUMN lineage.feature_drift.observed_at IS 'The end of the histogram''s window.';
COMMENT ON COLUMN lineage.feature_drift.sample_count IS 'Predictions the histogram describes.';
COMMENT ON COLUMN lineage.feature_drift.psi IS 'Population stability index against the reference.';
COMMENT ON COLUMN lineage.feature_drift.jensen_shannon IS 'Jensen-Shannon distance (base 2).';
COMMENT ON COLUMN lineage.feature_drift.wasserstein IS 'Wasserstein-1 over bins divided by the reference''s range (numeric only).';
COMMENT ON COLUMN lineage.feature_drift.chi_square_p IS 'The chi-square test''s p-value against the reference''s proportions.';
COMMENT ON COLUMN lineage.feature_drift.comparable IS 'Whether the histogram could be compared with a reference (one existed, same kind, equal numeric edges).';
COMMENT ON COLUMN lineage.feature_drift.reference_id IS 'The reference scored against (orchestrator.reference_distribution.id).';
COMMENT ON COLUMN lineage.feature_drift.distribution_id IS 'The histogram (orchestrator.distribution_snapshot.id).';
COMMENT ON COLUMN lineage.feature_drift.model_id IS 'The model''s id.';
COMMENT ON COLUMN lineage.feature_drift.model_version_id IS 'The version''s id.';
