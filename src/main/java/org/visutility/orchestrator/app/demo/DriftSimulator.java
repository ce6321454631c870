package org.visutility.orchestrator.app.demo;

import org.visutility.orchestrator.tuning.builtin.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The demo's documented, seeded drift: production windows drawn from held-back rows of the
 * breast cancer data, in which the size measurements (every feature named *radius*, *perimeter*
 * or *area*) read {@link #DRIFT_PER_WINDOW} larger per window than the training data, as after a
 * scanner recalibration, plus a little measurement noise. A model trained before the drift sees
 * tumours as bigger than they are and calls benign ones malignant more and more often.
 */
public final class DriftSimulator {
    /** How much larger the size features read in each later window (window w reads ×(1 + w·0.06)). */
    public static final double DRIFT_PER_WINDOW = 0.06;
    /** Measurement noise: Gaussian with this fraction of each feature's standard deviation. */
    public static final double NOISE_FRACTION = 0.02;

    private final Table pool;
    private final double[] stdDev;
    private final boolean[] drifting;

    public DriftSimulator(Table pool) {
        this.pool = pool;
        int d = pool.features().size();
        this.stdDev = new double[d];
        this.drifting = new boolean[d];
        for (int j = 0; j < d; j++) {
            String name = pool.features().get(j).toLowerCase(Locale.ROOT);
            drifting[j] = name.contains("radius") || name.contains("perimeter") || name.contains("area");
            double mean = 0;
            for (int i = 0; i < pool.size(); i++) mean += pool.row(i)[j];
            mean /= pool.size();
            double var = 0;
            for (int i = 0; i < pool.size(); i++) var += Math.pow(pool.row(i)[j] - mean, 2);
            stdDev[j] = Math.sqrt(var / Math.max(1, pool.size() - 1));
        }
    }

    /** The names of the features that drift. */
    public List<String> driftingFeatures() {
        List<String> names = new ArrayList<>();
        for (int j = 0; j < drifting.length; j++) if (drifting[j]) names.add(pool.features().get(j));
        return names;
    }

    /** The factor the size features read at drift level {@code window}. */
    public static double factor(int window) {
        return 1 + DRIFT_PER_WINDOW * window;
    }

    /** {@code rows} rows drawn with replacement from the pool, seen at drift level {@code window}. */
    public Table window(int window, int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + window);
        double factor = factor(window);
        List<double[]> values = new ArrayList<>(rows);
        List<String> labels = new ArrayList<>(rows);
        for (int n = 0; n < rows; n++) {
            int i = random.nextInt(pool.size());
            double[] source = pool.row(i);
            double[] row = new double[source.length];
            for (int j = 0; j < source.length; j++) {
                double noisy = source[j] + gaussian(random) * NOISE_FRACTION * stdDev[j];
                row[j] = drifting[j] ? noisy * factor : noisy;
            }
            values.add(row);
            labels.add(pool.label(i));
        }
        return new Table(pool.source() + " window " + window, pool.features(), values, labels);
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller: SplittableRandom has no nextGaussian on Java 17
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
