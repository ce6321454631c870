package org.visutility.orchestrator.reference;

import com.fasterxml.jackson.databind.JsonNode;
import org.visutility.orchestrator.collect.Histogram;
import org.visutility.orchestrator.collect.HistogramRules;
import org.visutility.orchestrator.collect.JsonDistributionReader;
import org.visutility.orchestrator.collect.SnapshotBatchValidator;
import org.visutility.orchestrator.collect.Violation;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a reference in its one JSON shape (a references file, a command trainer's final report
 * under {@code references}, the body of the HTTP route):
 * <pre>
 * {"features": [{"feature": "tenure", "kind": "numeric", "bins": [0, 6, 12], "counts": [40, 60]},
 *               {"feature": "plan", "kind": "categorical", "counts": {"monthly": 70, "__other__": 30}}],
 *  "calibration": {"edges": [0, 0.5, 1], "predicted_mean": [0.2, 0.8], "observed_rate": [0.25, 0.75],
 *                  "counts": [60, 40], "threshold": 0.5, "positive_class": "1"}}
 * </pre>
 * Histograms obey the rules of POST /api/v1/distributions; the calibration is optional. Every
 * broken rule is reported by field, and nothing is taken from an invalid document.
 */
public final class ReferenceDocument {
    private static final Set<String> TOP = Set.of("features", "calibration");
    private static final Set<String> FEATURE_FIELDS = Set.of("feature", "kind", "bins", "counts");
    private static final Set<String> CALIBRATION_FIELDS = Set.of("edges", "predicted_mean", "observed_rate", "counts", "threshold",
            "positive_class", "calibration_error");
    /** The CHECK on reference_calibration.edges. */
    static final int MAX_CALIBRATION_BINS = 1000;

    private ReferenceDocument() {
    }

    /** @throws InvalidReferencesException naming each field and rule broken */
    public static References read(JsonNode root, HistogramRules rules) {
        List<Violation> out = new ArrayList<>();
        References refs = read(root, rules, out);
        if (!out.isEmpty()) throw new InvalidReferencesException(out);
        return refs;
    }

    private static References read(JsonNode root, HistogramRules rules, List<Violation> out) {
        if (root == null || !root.isObject()) {
            out.add(Violation.ofInput("references", "must be a JSON object {\"features\": [...], \"calibration\": {...}}"));
            return null;
        }
        unknown(root, TOP, "", out);
        JsonNode list = root.get("features");
        if (list == null || !list.isArray() || list.isEmpty()) {
            out.add(Violation.ofInput("features", "must be a non-empty array of {feature, kind, bins, counts}"));
            return null;
        }
        Map<String, Histogram> features = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String prefix = "features[" + i + "].";
            JsonNode f = list.get(i);
            if (!f.isObject()) {
                out.add(Violation.ofInput("features[" + i + "]", "must be an object {feature, kind, bins, counts}"));
                continue;
            }
            unknown(f, FEATURE_FIELDS, prefix, out);
            JsonNode name = f.get("feature");
            String feature = name != null && name.isTextual() ? name.textValue() : null;
            if (feature == null || !SnapshotBatchValidator.isName(feature)) {
                out.add(Violation.ofInput(prefix + "feature", SnapshotBatchValidator.NAME_RULE));
            } else if (features.containsKey(feature)) {
                out.add(Violation.ofInput(prefix + "feature", "\"" + feature + "\" is given twice"));
            }
            Histogram h = JsonDistributionReader.histogram(rules, prefix, f, out);
            if (h != null && feature != null) features.put(feature, h);
        }
        Optional<Calibration> calibration = Optional.empty();
        JsonNode c = root.get("calibration");
        if (c != null && !c.isNull()) calibration = Optional.ofNullable(calibration(c, out));
        return new References(features, calibration);
    }

    private static Calibration calibration(JsonNode c, List<Violation> out) {
        if (!c.isObject()) {
            out.add(Violation.ofInput("calibration", "must be an object {edges, predicted_mean, observed_rate, counts, threshold, positive_class}"));
            return null;
        }
        int before = out.size();
        unknown(c, CALIBRATION_FIELDS, "calibration.", out);
        double[] edges = numbers(c, "edges", out);
        if (edges != null) {
            if (edges.length < 2 || edges.length > MAX_CALIBRATION_BINS + 1) {
                out.add(Violation.ofInput("calibration.edges", "must hold 2-" + (MAX_CALIBRATION_BINS + 1) + " edges, got " + edges.length));
            }
            for (int i = 0; i < edges.length; i++) {
                if (edges[i] < 0 || edges[i] > 1) out.add(Violation.ofInput("calibration.edges[" + i + "]", "must lie within [0, 1] (a probability)"));
                if (i > 0 && !(edges[i] > edges[i - 1])) out.add(Violation.ofInput("calibration.edges[" + i + "]", "must be greater than the edge before it"));
            }
        }
        double[] predicted = numbers(c, "predicted_mean", out);
        double[] observed = numbers(c, "observed_rate", out);
        double[] rawCounts = numbers(c, "counts", out);
        int bins = edges == null ? -1 : edges.length - 1;
        probabilities("predicted_mean", predicted, bins, out);
        probabilities("observed_rate", observed, bins, out);
        long[] counts = null;
        if (rawCounts != null) {
            counts = new long[rawCounts.length];
            long total = 0;
            for (int i = 0; i < rawCounts.length; i++) {
                if (rawCounts[i] < 0 || rawCounts[i] != Math.rint(rawCounts[i])) {
                    out.add(Violation.ofInput("calibration.counts[" + i + "]", "must be a non-negative whole number"));
                }
                counts[i] = (long) rawCounts[i];
                total += counts[i];
            }
            if (bins >= 0 && counts.length != bins) out.add(Violation.ofInput("calibration.counts", "must hold one count per bin: " + bins + ", got " + counts.length));
            if (total == 0) out.add(Violation.ofInput("calibration.counts", "must not all be 0 (the calibration error is weighted by them)"));
        }
        double threshold = Calibration.DEFAULT_THRESHOLD;
        JsonNode t = c.get("threshold");
        if (t != null && !t.isNull()) {
            if (!t.isNumber() || !(t.doubleValue() > 0 && t.doubleValue() < 1)) {
                out.add(Violation.ofInput("calibration.threshold", "must be a number strictly between 0 and 1"));
            } else {
                threshold = t.doubleValue();
            }
        }
        String positive = Calibration.DEFAULT_POSITIVE_CLASS;
        JsonNode p = c.get("positive_class");
        if (p != null && !p.isNull()) {
            String s = p.isValueNode() ? p.asText() : "";
            if (s.isEmpty() || s.length() > 250) out.add(Violation.ofInput("calibration.positive_class", "must be 1-250 characters"));
            else positive = s;
        }
        if (out.size() > before) return null;
        return new Calibration(edges, predicted, observed, counts, threshold, positive);
    }

    /** One probability per bin. */
    private static void probabilities(String field, double[] values, int bins, List<Violation> out) {
        if (values == null) return;
        if (bins >= 0 && values.length != bins) {
            out.add(Violation.ofInput("calibration." + field, "must hold one value per bin: " + bins + ", got " + values.length));
        }
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0 || values[i] > 1) out.add(Violation.ofInput("calibration." + field + "[" + i + "]", "must lie within [0, 1]"));
        }
    }

    private static double[] numbers(JsonNode node, String field, List<Violation> out) {
        JsonNode v = node.get(field);
        if (v == null || !v.isArray()) {
            out.add(Violation.ofInput("calibration." + field, "is required: an array of numbers"));
            return null;
        }
        double[] d = new double[v.size()];
        for (int i = 0; i < d.length; i++) {
            JsonNode e = v.get(i);
            if (!e.isNumber() || !Double.isFinite(e.doubleValue())) {
                out.add(Violation.ofInput("calibration." + field + "[" + i + "]", "must be a finite number"));
                return null;
            }
            d[i] = e.doubleValue();
        }
        return d;
    }

    private static void unknown(JsonNode node, Set<String> known, String prefix, List<Violation> out) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) out.add(Violation.ofInput(prefix + f, "is not a field here; the fields are " + String.join(", ", new java.util.TreeSet<>(known))));
        }
    }
}
