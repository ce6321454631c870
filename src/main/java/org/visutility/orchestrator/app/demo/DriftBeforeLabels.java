package org.visutility.orchestrator.app.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.tuning.builtin.ClassificationScores;
import org.visutility.orchestrator.tuning.builtin.Datasets;
import org.visutility.orchestrator.tuning.builtin.Table;
import org.visutility.orchestrator.tuning.builtin.TrainedClassifier;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The example of examples/drift-before-labels: the demo's model v1 (logistic regression on the
 * seeded training third of the breast cancer data) and its drifted production windows
 * ({@link DriftSimulator}), told as a model server and a label pipeline would tell the orchestrator:
 * the version's references from its training rows (a histogram per watched feature on fixed edges,
 * the predicted probability of malignant on tenths, and its calibration), each window's histograms
 * on those edges (POST /api/v1/distributions, at once), and each window's realised accuracy once its
 * labels land (POST /api/v1/snapshots, later).
 */
public final class DriftBeforeLabels {
    public static final String MODEL = "breast-cancer-drift";
    public static final String VERSION = "v1";
    /** Three size features that drift and one (texture) that does not. */
    public static final List<String> FEATURES = List.of("mean_radius", "mean_area", "worst_perimeter", "mean_texture");
    public static final String PREDICTION = "prediction";
    public static final String SOURCE = "example";
    /** Bins of a feature's reference: the training deciles between 0 and twice the training maximum. */
    static final int FEATURE_BINS = 10;
    /** The predicted probability's bins: tenths, so the threshold 0.5 is an edge. */
    static final int SCORE_BINS = 10;
    static final double THRESHOLD = 0.5;

    private final Table training;
    private final DriftSimulator drift;
    private final TrainedClassifier v1;
    private final List<double[]> edges = new ArrayList<>();
    private final double[] scoreEdges = new double[SCORE_BINS + 1];

    private DriftBeforeLabels(Table training, DriftSimulator drift, TrainedClassifier v1) {
        this.training = training;
        this.drift = drift;
        this.v1 = v1;
        for (String f : FEATURES) edges.add(featureEdges(column(training, f)));
        for (int i = 0; i <= SCORE_BINS; i++) scoreEdges[i] = i / (double) SCORE_BINS;
    }

    /** The demo's seeded split and its v1, trained here as the demo trains it. */
    public static DriftBeforeLabels seeded() {
        Table all = Datasets.shipped(DemoRun.DATASET);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) order.add(i);
        Collections.shuffle(order, new Random(DemoRun.SEED));
        int third = all.size() / 3;
        Table training = all.subset(order.subList(0, third), DemoRun.DATASET + " (training before the drift)");
        Table stream = all.subset(order.subList(2 * third, all.size()), DemoRun.DATASET + " (production stream)");
        return new DriftBeforeLabels(training, new DriftSimulator(stream), DemoRun.trainV1(training));
    }

    public TrainedClassifier v1() {
        return v1;
    }

    /** A production window at drift level {@code w}: the demo's rows for it. */
    public Table window(int w) {
        return drift.window(w, DemoRun.ROWS_PER_WINDOW, DemoRun.SEED);
    }

    /** The body of {@code references set MODEL v1 FILE}: the training rows' histograms and the calibration of v1's scores on them. */
    public ObjectNode references() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode features = root.putArray("features");
        for (int f = 0; f < FEATURES.size(); f++) {
            features.add(histogram(FEATURES.get(f), edges.get(f), counts(column(training, FEATURES.get(f)), edges.get(f))));
        }
        double[] scores = scores(training);
        features.add(histogram(PREDICTION, scoreEdges, counts(scores, scoreEdges)));
        root.set("calibration", calibration(scores));
        return root;
    }

    /** The body of POST /api/v1/distributions for window {@code w} ending at {@code at}: each watched feature and v1's scores, on the reference's edges. */
    public ObjectNode distributions(int w, Instant at) {
        Table rows = window(w);
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode list = root.putArray("distributions");
        for (int f = 0; f < FEATURES.size(); f++) {
            list.add(keyed(histogram(FEATURES.get(f), edges.get(f), counts(column(rows, FEATURES.get(f)), edges.get(f))), at));
        }
        list.add(keyed(histogram(PREDICTION, scoreEdges, counts(scores(rows), scoreEdges)), at));
        return root;
    }

    /** The body of POST /api/v1/snapshots for window {@code w}: v1's realised accuracy, precision and recall, once the labels land. */
    public ObjectNode realised(int w, Instant at) {
        Table rows = window(w);
        ClassificationScores s = v1.score(rows);
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode snapshot = root.putArray("snapshots").addObject();
        snapshot.put("model", MODEL).put("version", VERSION).put("observed_at", at.toString()).put("sample_count", rows.size())
                .put("source", SOURCE);
        snapshot.putObject("metrics").put("accuracy", s.accuracy()).put("precision", s.precision()).put("recall", s.recall());
        return root;
    }

    private ObjectNode keyed(ObjectNode histogram, Instant at) {
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("model", MODEL).put("version", VERSION).put("observed_at", at.toString()).put("source", SOURCE);
        d.setAll(histogram);
        return d;
    }

    private static ObjectNode histogram(String feature, double[] edges, long[] counts) {
        ObjectNode h = Json.MAPPER.createObjectNode();
        h.put("feature", feature).put("kind", "numeric");
        ArrayNode bins = h.putArray("bins");
        for (double e : edges) bins.add(e);
        ArrayNode c = h.putArray("counts");
        for (long n : counts) c.add(n);
        return h;
    }

    /** v1's calibration on its training rows: per tenth of the score, the mean score, the share malignant and the rows. */
    private ObjectNode calibration(double[] scores) {
        double[] sum = new double[SCORE_BINS];
        long[] positives = new long[SCORE_BINS];
        long[] counts = new long[SCORE_BINS];
        for (int i = 0; i < scores.length; i++) {
            int b = bin(scores[i], scoreEdges);
            sum[b] += scores[i];
            counts[b]++;
            if (DemoRun.POSITIVE.equals(training.label(i))) positives[b]++;
        }
        ObjectNode c = Json.MAPPER.createObjectNode();
        ArrayNode e = c.putArray("edges");
        for (double v : scoreEdges) e.add(v);
        ArrayNode mean = c.putArray("predicted_mean");
        ArrayNode rate = c.putArray("observed_rate");
        ArrayNode n = c.putArray("counts");
        for (int b = 0; b < SCORE_BINS; b++) {
            // an empty bin weighs nothing in the calibration error; its midpoint keeps both in [0, 1]
            double mid = (scoreEdges[b] + scoreEdges[b + 1]) / 2;
            mean.add(counts[b] == 0 ? mid : sum[b] / counts[b]);
            rate.add(counts[b] == 0 ? mid : positives[b] / (double) counts[b]);
            n.add(counts[b]);
        }
        c.put("threshold", THRESHOLD).put("positive_class", DemoRun.POSITIVE);
        return c;
    }

    private double[] scores(Table rows) {
        double[] out = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) out[i] = v1.probabilities(rows.row(i)).getOrDefault(DemoRun.POSITIVE, 0.0);
        return out;
    }

    private static double[] column(Table rows, String feature) {
        int j = rows.features().indexOf(feature);
        if (j < 0) throw new IllegalArgumentException("no feature " + feature + " in " + rows.source());
        double[] out = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) out[i] = rows.value(i, j);
        return out;
    }

    /** 0, the deciles of the training values, twice their maximum: the reference spreads evenly, drifted values still land inside. */
    static double[] featureEdges(double[] training) {
        double[] sorted = training.clone();
        Arrays.sort(sorted);
        List<Double> edges = new ArrayList<>();
        edges.add(Math.min(0, sorted[0]));
        for (int k = 1; k < FEATURE_BINS; k++) {
            double q = sorted[(int) Math.floor(k * (sorted.length - 1) / (double) FEATURE_BINS)];
            if (q > edges.get(edges.size() - 1)) edges.add(q);
        }
        edges.add(2 * sorted[sorted.length - 1]);
        return edges.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Counts per bin [e_i, e_i+1), the last bin closed; a value beyond the ends counts in the bin at that end. */
    static long[] counts(double[] values, double[] edges) {
        long[] counts = new long[edges.length - 1];
        for (double v : values) counts[bin(v, edges)]++;
        return counts;
    }

    private static int bin(double v, double[] edges) {
        int i = Arrays.binarySearch(edges, v);
        int b = i >= 0 ? i : -i - 2;
        return Math.max(0, Math.min(edges.length - 2, b));
    }

    /** How many windows the demo draws. */
    public static int windows() {
        return DemoRun.WINDOWS;
    }
}
