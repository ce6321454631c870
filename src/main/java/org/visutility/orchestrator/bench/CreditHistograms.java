package org.visutility.orchestrator.bench;

import org.visutility.orchestrator.collect.Histogram;

import java.util.List;

/**
 * The histograms a credit-scoring model reports, shared by {@code bench lineage}'s drift models and
 * the tests' real-command history: three inputs and the predicted score, each with the bins of its
 * training rows ({@link #usual()}) and the bins of an episode in which it moved ({@link #moved()}).
 * Age never moves; a moved score is pushed towards the middle, so a calibrated estimate of accuracy falls.
 */
public enum CreditHistograms {
    INCOME("income", new double[] {0, 20, 40, 60, 80, 100}, new long[] {100, 250, 300, 250, 100}, new long[] {300, 300, 200, 150, 50}),
    UTILIZATION("utilization", new double[] {0, 0.2, 0.4, 0.6, 0.8, 1.0}, new long[] {200, 300, 250, 150, 100},
            new long[] {50, 150, 250, 300, 250}),
    AGE("age", new double[] {18, 30, 45, 60, 75, 100}, new long[] {200, 300, 250, 150, 100}, new long[] {200, 300, 250, 150, 100}),
    /** The score on tenths (0.5, the threshold, is an edge): confident at both ends, or pushed to the middle. */
    PREDICTION(Histogram.PREDICTION, new double[] {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0},
            new long[] {450, 200, 50, 20, 20, 20, 20, 20, 50, 150}, new long[] {100, 100, 150, 200, 150, 100, 80, 50, 30, 40});

    /** The input features, in the order a policy lists them. */
    public static final List<String> INPUTS = List.of(INCOME.feature, UTILIZATION.feature, AGE.feature);

    private final String feature;
    private final double[] edges;
    private final long[] usual;
    private final long[] moved;

    CreditHistograms(String feature, double[] edges, long[] usual, long[] moved) {
        this.feature = feature;
        this.edges = edges;
        this.usual = usual;
        this.moved = moved;
    }

    public String feature() {
        return feature;
    }

    /** The bin edges (one more than the counts). */
    public double[] edges() {
        return edges.clone();
    }

    /** The counts of the training rows, which the reference holds. */
    public long[] usual() {
        return usual.clone();
    }

    /** The counts during an episode in which the feature moved. */
    public long[] moved() {
        return moved.clone();
    }

    /** {@link #moved()} when {@code moving}, else {@link #usual()}. */
    public long[] counts(boolean moving) {
        return moving ? moved() : usual();
    }

    /** The midpoints of the score's bins, rounded to hundredths: a calibrated model's positive share in each bin. */
    public static double[] predictionMidpoints() {
        double[] e = PREDICTION.edges;
        double[] mids = new double[e.length - 1];
        for (int b = 0; b < mids.length; b++) mids[b] = Math.round((e[b] + e[b + 1]) * 50) / 100.0;
        return mids;
    }
}
