package org.visutility.orchestrator.tuning.builtin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The reference the built-in trainer records for the version it produces, in the JSON shape of
 * {@code orchestrator references set FILE}: a histogram of each feature over the training rows
 * ({@value #BINS} equal-width bins from the feature's minimum to its maximum), and the model's
 * output on the held-out rows as the feature {@code prediction}. For a binary classifier with
 * probabilities, that is the histogram of its predicted probability of the positive class over
 * [0, 1] and the calibration table on the same bins (mean predicted probability, share truly
 * positive, rows); otherwise the histogram of the predicted classes (no calibration).
 */
public final class TrainingReference {
    /** Bins of each numeric histogram. */
    public static final int BINS = 10;
    public static final String PREDICTION = "prediction";
    private static final int MAX_NAME = 250;

    private TrainingReference() {
    }

    /**
     * @param positive the positive class (the trainer's positive_label); by default the last of the two classes in sorted order
     */
    public static ObjectNode of(Table train, Table test, TrainedClassifier model, Optional<String> positive) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode out = json.objectNode();
        ArrayNode features = out.putArray("features");
        Set<String> names = new HashSet<>(Set.of(PREDICTION)); // the model's output owns this name
        for (int f = 0; f < train.features().size(); f++) {
            String name = featureName(train.features().get(f));
            if (!names.add(name)) continue; // a name already taken once cleaned (or "prediction"): its histogram would be ambiguous
            double[] values = new double[train.size()];
            for (int i = 0; i < values.length; i++) values[i] = train.value(i, f);
            features.add(numeric(name, values, train.size() == 0 ? 0 : min(values), train.size() == 0 ? 1 : max(values)));
        }
        Set<String> classes = new TreeSet<>(train.classes());
        classes.addAll(test.classes());
        boolean binary = classes.size() == 2 && model.model().generatesProbabilities();
        if (binary) {
            String pos = positive.orElse(((TreeSet<String>) classes).last());
            double[] p = new double[test.size()];
            for (int i = 0; i < p.length; i++) p[i] = model.probabilities(test.row(i)).getOrDefault(pos, 0.0);
            features.add(numeric(PREDICTION, p, 0, 1));
            out.set("calibration", calibration(p, test, pos));
        } else {
            Map<String, Long> predicted = new LinkedHashMap<>();
            for (String c : classes) predicted.put(c, 0L);
            for (String c : model.predict(test)) predicted.merge(c, 1L, Long::sum);
            ObjectNode h = features.addObject().put("feature", PREDICTION).put("kind", "categorical");
            ObjectNode counts = h.putObject("counts");
            predicted.forEach(counts::put);
        }
        return out;
    }

    /** Equal-width bins over [lo, hi], the last bin holding hi; a constant feature gets the one bin [lo, lo + 1]. */
    static ObjectNode numeric(String name, double[] values, double lo, double hi) {
        boolean constant = !(hi > lo);
        int bins = constant ? 1 : BINS;
        double top = constant ? lo + 1 : hi;
        double[] edges = new double[bins + 1];
        for (int i = 0; i <= bins; i++) edges[i] = i == bins ? top : lo + (top - lo) * i / bins;
        long[] counts = new long[bins];
        for (double v : values) counts[bin(v, lo, top, bins)]++;
        ObjectNode h = JsonNodeFactory.instance.objectNode().put("feature", name).put("kind", "numeric");
        ArrayNode e = h.putArray("bins");
        for (double x : edges) e.add(x);
        ArrayNode c = h.putArray("counts");
        for (long n : counts) c.add(n);
        return h;
    }

    private static int bin(double v, double lo, double hi, int bins) {
        int b = (int) Math.floor((v - lo) / (hi - lo) * bins);
        return Math.max(0, Math.min(bins - 1, b));
    }

    /**
     * The reliability table on {@value #BINS} bins over [0, 1]. A bin no held-out row fell in has
     * count 0 and weighs nothing in the calibration error; its mean and rate are written as the
     * bin's midpoint (the columns hold numbers, and no row says otherwise).
     */
    static ObjectNode calibration(double[] p, Table test, String positive) {
        double[] sumP = new double[BINS];
        long[] positives = new long[BINS];
        long[] counts = new long[BINS];
        for (int i = 0; i < p.length; i++) {
            int b = bin(p[i], 0, 1, BINS);
            counts[b]++;
            sumP[b] += p[i];
            if (positive.equals(test.label(i))) positives[b]++;
        }
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        ArrayNode edges = c.putArray("edges");
        ArrayNode mean = c.putArray("predicted_mean");
        ArrayNode rate = c.putArray("observed_rate");
        ArrayNode n = c.putArray("counts");
        for (int b = 0; b <= BINS; b++) edges.add((double) b / BINS);
        for (int b = 0; b < BINS; b++) {
            double mid = (b + 0.5) / BINS;
            mean.add(counts[b] == 0 ? mid : Math.min(1, Math.max(0, sumP[b] / counts[b])));
            rate.add(counts[b] == 0 ? mid : (double) positives[b] / counts[b]);
            n.add(counts[b]);
        }
        c.put("threshold", 0.5).put("positive_class", positive);
        return c;
    }

    /** A column name as a feature name: characters outside [A-Za-z0-9_.:/-] become _, at most 250. */
    static String featureName(String column) {
        StringBuilder b = new StringBuilder(Math.min(column.length(), MAX_NAME));
        for (int i = 0; i < column.length() && b.length() < MAX_NAME; i++) {
            char c = column.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == ':'
                    || c == '/' || c == '-';
            b.append(ok ? c : '_');
        }
        return b.isEmpty() ? "_" : b.toString();
    }

    private static double min(double[] v) {
        double m = Double.POSITIVE_INFINITY;
        for (double x : v) m = Math.min(m, x);
        return m;
    }

    private static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) m = Math.max(m, x);
        return m;
    }
}
