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
 * Drift conditions: one DriftScores statement for all of them (every model, every feature), then
 * each feature judged against the condition's line. Observed is the share of scored features that
 * drifted when the condition has a share, else the largest score (chi_square: the smallest p-value).
 */
final class DriftKind implements ConditionKind {
    private static final String SQL = SqlFiles.load(DriftKind.class, "DriftScores");
    /** detail.conditions[].drift lists at most this many drifted features (drift_evidence has them all). */
    static final int LISTED_IN_DETAIL = 20;

    record Row(String feature, long versionId, Instant at, Instant since, int histograms, long samples, Long referenceId,
               String referenceKind, Double psi, Double jensenShannon, Double wasserstein, Double chiSquare, Double chiSquareP) {
    }

    @Override
    public Map<Integer, ConditionResult> evaluate(Handle handle, List<ConditionInput> inputs) {
        Map<Integer, List<Row>> rows = scores(handle, inputs);
        Map<Integer, ConditionResult> out = new HashMap<>();
        for (ConditionInput in : inputs) {
            out.put(in.key(), judge((DriftCondition) in.condition(), rows.getOrDefault(in.key(), List.of())));
        }
        return out;
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
        ObjectNode facts = facts(c, rows, scored, drifted, driftedNames, byFeature.size());
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

    private static ObjectNode facts(DriftCondition c, List<Row> rows, int scored, int drifted, List<String> names, int seen) {
        ObjectNode facts = Json.MAPPER.createObjectNode();
        ObjectNode d = facts.putObject("drift");
        d.put("method", c.method().spelling());
        d.put("features_seen", seen);
        d.put("features_scored", scored);
        d.put("features_drifted", drifted);
        ArrayNode list = d.putArray("drifted");
        names.stream().limit(LISTED_IN_DETAIL).forEach(list::add);
        if (!rows.isEmpty()) d.put("model_version_id", rows.get(0).versionId());
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
