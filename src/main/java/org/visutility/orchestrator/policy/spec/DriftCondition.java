package org.visutility.orchestrator.policy.spec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.config.Durations;
import org.visutility.orchestrator.core.Json;

import java.time.Duration;
import java.util.List;

/**
 * Distribution drift: the window's production histograms of each feature (all segments, summed
 * bin-wise) measured against the model version's reference by {@code method}. A feature drifts when
 * its score is above the line (chi_square: its p-value below it); the condition holds when at least
 * {@code share} of the scored features drift, or any one when no share is given. A feature counts only
 * with at least {@code minSamples} predictions in the window and a comparable reference.
 *
 * @param features  the features to watch, or null for every feature the version has a reference for
 * @param share     the fraction of scored features that must drift (0 to 1), or null for "any one"
 * @param reconcile what a firing is later checked against, or null (it is then never reconciled)
 */
public record DriftCondition(List<String> features, DriftMethod method, double line, Double share, Duration window,
                             long minSamples, Reconcile reconcile) implements Condition {
    public static final String KEY = "drift";
    public static final String ALL = "all";

    public DriftCondition {
        features = features == null ? null : List.copyOf(features);
    }

    public boolean allFeatures() {
        return features == null;
    }

    /** Whether one feature's score (or, for chi_square, p-value) counts as drifted. */
    public boolean drifted(double value) {
        return method.onPValue() ? value < line : value > line;
    }

    /** Whether the count of drifted features among the scored ones makes the condition hold. */
    public boolean holds(int drifted, int scored) {
        if (scored == 0) return false;
        return share == null ? drifted > 0 : (double) drifted / scored >= share;
    }

    @Override
    public String describe() {
        String of = features == null ? "all features" : String.join(", ", features);
        String test = method.onPValue() ? "p below " + line : "above " + line;
        String inShare = share == null ? "" : " in " + DropCondition.percent(share) + " of features";
        return "drift(" + method.spelling() + " of " + of + ", " + Durations.format(window) + ") " + test + inShare;
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode outer = Json.MAPPER.createObjectNode();
        ObjectNode n = outer.putObject(KEY);
        if (features == null) {
            n.put("features", ALL);
        } else {
            ArrayNode list = n.putArray("features");
            features.forEach(list::add);
        }
        n.put("method", method.spelling());
        n.put(method.onPValue() ? "below" : "above", line);
        if (share != null) n.put("share", share);
        n.put("window", Durations.format(window));
        n.put("min_samples", minSamples);
        if (reconcile != null) n.set(Reconcile.KEY, reconcile.toJson());
        return outer;
    }
}
