package org.visutility.orchestrator.policy.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.config.Durations;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.policy.spec.DriftCondition;
import org.visutility.orchestrator.policy.spec.DriftMethod;
import org.visutility.orchestrator.policy.spec.Reconcile;
import org.visutility.orchestrator.store.SqlFiles;
import org.visutility.orchestrator.store.SqlValues;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Drift conditions, in a few statements whatever the number of models. DriftInstants counts, per
 * input whose window holds one instant of the model, the scored and drifted features from that
 * instant's one drift_instant row; DriftSummary counts the other inputs from their histograms'
 * distribution_score rows. Both use the scores each histogram got when it was written:
 * exact when the window holds one histogram per feature scored against today's references, which
 * is the usual case (histograms cut at the condition's cadence), and cheap (no bin is read). The
 * other inputs (several histograms of a feature in the window: segments, or a window longer than
 * the cadence; references replaced since) are scored exactly by DriftScores, which sums the bins.
 * Observed is the share of scored features that drifted when the condition has a share, else the
 * largest score (chi_square: the smallest p-value). Per-feature evidence of the fast path is read
 * when a decision is recorded ({@link #features}), so a pass that records nothing reads no feature.
 */
final class DriftKind implements ConditionKind {
    private static final String SQL = SqlFiles.load(DriftKind.class, "DriftScores");
    private static final String SUMMARY = SqlFiles.load(DriftKind.class, "DriftSummary");
    private static final String INSTANTS = SqlFiles.load(DriftKind.class, "DriftInstants");
    /** detail.conditions[].drift lists at most this many drifted features (drift_evidence has them all). */
    static final int LISTED_IN_DETAIL = 20;

    record Row(String feature, long versionId, Instant at, Instant since, int histograms, long samples, Long referenceId,
               String referenceKind, Double psi, Double jensenShannon, Double wasserstein, Double chiSquare, Double chiSquareP) {
    }

    record Summary(long versionId, long histograms, long features, long stale, int scored, int tooFew, int drifted, Double extreme,
                   List<String> driftedFeatures) {
        /** Whether the stored scores are the window's: one histogram per feature, scored against today's references. */
        boolean exact() {
            return histograms == features && stale == 0;
        }
    }

    @Override
    public Map<Integer, ConditionResult> evaluate(Handle handle, List<ConditionInput> inputs) {
        return verdicts(handle, inputs, summaries(handle, inputs));
    }

    /** The verdicts from the inputs' summaries: an inexact one is re-scored, a missing one means no histograms. */
    static Map<Integer, ConditionResult> verdicts(Handle handle, List<ConditionInput> inputs, Map<Integer, Summary> summaries) {
        Map<Integer, ConditionResult> out = new HashMap<>();
        List<ConditionInput> rescore = new ArrayList<>();
        for (ConditionInput in : inputs) {
            DriftCondition c = (DriftCondition) in.condition();
            Summary s = summaries.get(in.key());
            if (s == null) out.put(in.key(), ConditionResult.unknown(c, "no histograms in the window", List.of()).withFacts(facts(c, null)));
            else if (s.exact()) out.put(in.key(), judge(c, s));
            else rescore.add(in);
        }
        if (!rescore.isEmpty()) {
            Map<Integer, List<Row>> rows = scores(handle, rescore);
            for (ConditionInput in : rescore) {
                out.put(in.key(), judge((DriftCondition) in.condition(), rows.getOrDefault(in.key(), List.of())));
            }
        }
        return out;
    }

    /** Per input, every feature of its window as judged (for the evidence of recorded decisions). */
    static Map<Integer, List<FeatureScore>> features(Handle handle, List<ConditionInput> inputs) {
        Map<Integer, List<FeatureScore>> out = new HashMap<>();
        if (inputs.isEmpty()) return out;
        Map<Integer, List<Row>> rows = scores(handle, inputs);
        for (ConditionInput in : inputs) {
            out.put(in.key(), judge((DriftCondition) in.condition(), rows.getOrDefault(in.key(), List.of())).features());
        }
        return out;
    }

    /** Per input, its summary: from its window's one instant when it has one, else from the window's histograms. */
    static Map<Integer, Summary> summaries(Handle handle, List<ConditionInput> inputs) {
        Map<Integer, Summary> out = perInstant(handle, inputs);
        List<ConditionInput> rest = inputs.stream().filter(in -> !out.containsKey(in.key())).toList();
        if (!rest.isEmpty()) out.putAll(perHistogram(handle, rest));
        return out;
    }

    /** The inputs whose window holds exactly one instant of the model, every histogram of it known at the input's instant. */
    static Map<Integer, Summary> perInstant(Handle handle, List<ConditionInput> inputs) {
        return summaries(handle, inputs, INSTANTS);
    }

    /** Every input with a histogram in its window, from the histograms' rows. */
    static Map<Integer, Summary> perHistogram(Handle handle, List<ConditionInput> inputs) {
        return summaries(handle, inputs, SUMMARY);
    }

    private static Map<Integer, Summary> summaries(Handle handle, List<ConditionInput> inputs, String sql) {
        List<Integer> keys = new ArrayList<>();
        List<Long> models = new ArrayList<>();
        List<Long> atUs = new ArrayList<>();
        List<Long> windowUs = new ArrayList<>();
        List<Boolean> all = new ArrayList<>();
        List<String> methods = new ArrayList<>();
        List<Double> lines = new ArrayList<>();
        List<Boolean> onP = new ArrayList<>();
        List<Long> minSamples = new ArrayList<>();
        List<Integer> featureKeys = new ArrayList<>();
        List<String> featureNames = new ArrayList<>();
        for (ConditionInput in : inputs) {
            DriftCondition c = (DriftCondition) in.condition();
            keys.add(in.key());
            models.add(in.modelId());
            atUs.add(SqlValues.micros(in.at()));
            windowUs.add(c.window().toNanos() / 1000);
            all.add(c.allFeatures());
            methods.add(c.method().spelling());
            lines.add(c.line());
            onP.add(c.method().onPValue());
            minSamples.add(c.minSamples());
            if (!c.allFeatures()) {
                for (String f : c.features()) {
                    featureKeys.add(in.key());
                    featureNames.add(f);
                }
            }
        }
        Map<Integer, Summary> out = new HashMap<>();
        handle.createQuery(sql)
                .bindArray("keys", Integer.class, keys)
                .bindArray("model_ids", Long.class, models)
                .bindArray("at_us", Long.class, atUs)
                .bindArray("window_us", Long.class, windowUs)
                .bindArray("all_features", Boolean.class, all)
                .bindArray("methods", String.class, methods)
                .bindArray("lines", Double.class, lines)
                .bindArray("on_p", Boolean.class, onP)
                .bindArray("min_samples", Long.class, minSamples)
                .bindArray("feature_keys", Integer.class, featureKeys)
                .bindArray("feature_names", String.class, featureNames)
                .map((rs, ctx) -> {
                    java.sql.Array names = rs.getArray("drifted_features");
                    List<String> drifted = names == null ? List.of() : List.of((String[]) names.getArray());
                    out.put(rs.getInt("key"), new Summary(rs.getLong("model_version_id"), rs.getLong("histograms"), rs.getLong("features"),
                            rs.getLong("stale"), rs.getInt("scored"), rs.getInt("too_few"), rs.getInt("drifted"),
                            SqlValues.doubleOrNull(rs, "extreme"), drifted));
                    return null;
                })
                .forEach(x -> { });
        return out;
    }

    /** The fast path's verdict from the counts. */
    static ConditionResult judge(DriftCondition c, Summary s) {
        ObjectNode facts = facts(c, s.versionId(), (int) s.features(), s.scored(), s.drifted(), s.driftedFeatures());
        if (s.scored() == 0) {
            long notComparable = s.features() - s.tooFew();
            return ConditionResult.unknown(c, "no feature could be scored (" + notComparable + " not comparable with a reference, "
                    + s.tooFew() + " with fewer samples than min_samples " + c.minSamples() + ")", List.of()).withFacts(facts);
        }
        boolean holds = c.holds(s.drifted(), s.scored());
        double observed = c.share() != null ? (double) s.drifted() / s.scored() : s.extreme();
        Double threshold = c.share() != null ? c.share() : c.line();
        return new ConditionResult(c, holds, !holds, observed, threshold, List.of(),
                s.drifted() + " of " + s.scored() + " scored features drifted", facts);
    }

    static Map<Integer, List<Row>> scores(Handle handle, List<ConditionInput> inputs) {
        List<Integer> keys = new ArrayList<>();
        List<Long> models = new ArrayList<>();
        List<Long> atUs = new ArrayList<>();
        List<Long> windowUs = new ArrayList<>();
        List<Boolean> all = new ArrayList<>();
        List<Integer> featureKeys = new ArrayList<>();
        List<String> featureNames = new ArrayList<>();
        for (ConditionInput in : inputs) {
            DriftCondition c = (DriftCondition) in.condition();
            keys.add(in.key());
            models.add(in.modelId());
            atUs.add(SqlValues.micros(in.at()));
            windowUs.add(c.window().toNanos() / 1000);
            all.add(c.allFeatures());
            if (!c.allFeatures()) {
                for (String f : c.features()) {
                    featureKeys.add(in.key());
                    featureNames.add(f);
                }
            }
        }
        Map<Integer, List<Row>> rows = new HashMap<>();
        handle.createQuery(SQL)
                .bindArray("keys", Integer.class, keys)
                .bindArray("model_ids", Long.class, models)
                .bindArray("at_us", Long.class, atUs)
                .bindArray("window_us", Long.class, windowUs)
                .bindArray("all_features", Boolean.class, all)
                .bindArray("feature_keys", Integer.class, featureKeys)
                .bindArray("feature_names", String.class, featureNames)
                .map((rs, ctx) -> {
                    rows.computeIfAbsent(rs.getInt("key"), k -> new ArrayList<>()).add(new Row(rs.getString("feature"),
                            rs.getLong("model_version_id"), SqlValues.instant(rs, "at"), SqlValues.instant(rs, "since"),
                            rs.getInt("histograms"), rs.getLong("samples"), SqlValues.longOrNull(rs, "reference_id"),
                            rs.getString("reference_kind"), SqlValues.doubleOrNull(rs, "psi"), SqlValues.doubleOrNull(rs, "jensen_shannon"),
                            SqlValues.doubleOrNull(rs, "wasserstein"), SqlValues.doubleOrNull(rs, "chi_square"),
                            SqlValues.doubleOrNull(rs, "chi_square_p")));
                    return null;
                })
                .forEach(x -> { });
        return rows;
    }

    static ConditionResult judge(DriftCondition c, List<Row> rows) {
        List<FeatureScore> features = new ArrayList<>();
        Map<String, Row> byFeature = new LinkedHashMap<>();
        rows.stream().sorted(Comparator.comparing(Row::feature)).forEach(r -> byFeature.put(r.feature(), r));
        int scored = 0;
        int drifted = 0;
        Double extreme = null;
        List<String> driftedNames = new ArrayList<>();
        for (Row r : byFeature.values()) {
            Double score = score(c.method(), r);
            Double p = c.method() == DriftMethod.CHI_SQUARE ? r.chiSquareP() : null;
            Double judged = c.method().onPValue() ? p : score;
            String note = null;
            Boolean isDrifted = null;
            if (r.referenceId() == null) {
                note = "not comparable: the version has no reference for " + r.feature();
            } else if (c.method().numericOnly() && "categorical".equals(r.referenceKind())) {
                note = "not comparable: " + c.method().spelling() + " compares numeric histograms only";
            } else if (judged == null) {
                note = "not comparable: " + ("numeric".equals(r.referenceKind())
                        ? "its bin edges differ from the reference's" : "its kind differs from the reference's");
            } else if (r.samples() < c.minSamples()) {
                note = "too few samples (" + r.samples() + " < min_samples " + c.minSamples() + ")";
            } else {
                scored++;
                isDrifted = c.drifted(judged);
                if (isDrifted) {
                    drifted++;
                    driftedNames.add(r.feature());
                }
                if (extreme == null || (c.method().onPValue() ? judged < extreme : judged > extreme)) extreme = judged;
            }
            features.add(new FeatureScore(r.feature(), c.method().spelling(), score, p, r.samples(), r.histograms(), r.versionId(),
                    r.referenceId(), r.since(), r.at(), isDrifted, note));
        }
        ObjectNode facts = facts(c, rows.isEmpty() ? null : rows.get(0).versionId(), byFeature.size(), scored, drifted, driftedNames);
        if (scored == 0) {
            String why = rows.isEmpty() ? "no histograms in the window" : "no feature could be scored (" + features.get(0).note() + ")";
            return ConditionResult.unknown(c, why, List.of()).withFacts(facts).withFeatures(features);
        }
        boolean holds = c.holds(drifted, scored);
        double observed = c.share() != null ? (double) drifted / scored : extreme;
        Double threshold = c.share() != null ? c.share() : c.line();
        String note = drifted + " of " + scored + " scored features drifted";
        return new ConditionResult(c, holds, !holds, observed, threshold, List.of(), note, facts, features);
    }

    private static Double score(DriftMethod m, Row r) {
        return switch (m) {
            case PSI -> r.psi();
            case JENSEN_SHANNON -> r.jensenShannon();
            case WASSERSTEIN -> r.wasserstein();
            case CHI_SQUARE -> r.chiSquare();
        };
    }

    private static ObjectNode facts(DriftCondition c, Long versionId) {
        return facts(c, versionId, 0, 0, 0, List.of());
    }

    private static ObjectNode facts(DriftCondition c, Long versionId, int seen, int scored, int drifted, List<String> names) {
        ObjectNode facts = Json.MAPPER.createObjectNode();
        ObjectNode d = facts.putObject("drift");
        d.put("method", c.method().spelling());
        d.put("features_seen", seen);
        d.put("features_scored", scored);
        d.put("features_drifted", drifted);
        ArrayNode list = d.putArray("drifted");
        names.stream().limit(LISTED_IN_DETAIL).forEach(list::add);
        if (versionId != null) d.put("model_version_id", versionId);
        reconcileFacts(facts, c.reconcile(), c.window());
        return facts;
    }

    /** The realised check a later reconciliation applies, recorded with the decision (detail.conditions[].reconcile). */
    static void reconcileFacts(ObjectNode facts, Reconcile r, java.time.Duration window) {
        if (r == null) return;
        ObjectNode n = facts.putObject(Reconcile.KEY);
        n.put("metric", r.metric());
        n.put("direction", r.direction().spelling());
        n.put("line", r.line());
        n.put("window", Durations.format(window));
        n.put("window_seconds", window.toSeconds());
    }
}
