package org.visutility.orchestrator.tuning.trainer;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The built-in objectives of {@code trainer: {type: function}}: functions to minimise, with their
 * standard domains and known minima, so that search quality can be measured anywhere (no
 * training). Each parameter of the search space is placed on its axis of the domain by its
 * position in its own range (low → the axis' lower end, high → its upper end), so a space that
 * spells the standard domain (Branin: x1 in [-5, 10], x2 in [0, 15]) evaluates the function as
 * written in the literature.
 */
public enum BenchmarkFunction {
    /** Σ (u − 0.5)² over positions u in [0, 1]; any number of parameters; minimum 0 at the middle of every range. */
    SPHERE(OptionalInt.empty(), null, null, 0.0) {
        @Override
        public double value(double[] x) {
            double sum = 0;
            for (double u : x) sum += (u - 0.5) * (u - 0.5);
            return sum;
        }
    },
    /**
     * Branin-Hoo on x1 ∈ [−5, 10], x2 ∈ [0, 15]: a(x2 − b·x1² + c·x1 − r)² + s(1 − t)cos(x1) + s,
     * three global minima 0.397887 at (−π, 12.275), (π, 2.275), (9.42478, 2.475).
     */
    BRANIN(OptionalInt.of(2), new double[]{-5, 0}, new double[]{10, 15}, 0.397887) {
        private static final double B = 5.1 / (4 * Math.PI * Math.PI);
        private static final double C = 5 / Math.PI;
        private static final double T = 1 / (8 * Math.PI);

        @Override
        public double value(double[] x) {
            double a = x[1] - B * x[0] * x[0] + C * x[0] - 6;
            return a * a + 10 * (1 - T) * Math.cos(x[0]) + 10;
        }
    },
    /**
     * Hartmann 6-D on [0, 1]⁶: −Σᵢ αᵢ exp(−Σⱼ Aᵢⱼ (xⱼ − Pᵢⱼ)²), global minimum −3.32237 at
     * (0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573).
     */
    HARTMANN6(OptionalInt.of(6), new double[]{0, 0, 0, 0, 0, 0}, new double[]{1, 1, 1, 1, 1, 1}, -3.32237) {
        private static final double[] ALPHA = {1.0, 1.2, 3.0, 3.2};
        private static final double[][] A = {
                {10, 3, 17, 3.5, 1.7, 8},
                {0.05, 10, 17, 0.1, 8, 14},
                {3, 3.5, 1.7, 10, 17, 8},
                {17, 8, 0.05, 10, 0.1, 14}};
        private static final double[][] P = {
                {0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886},
                {0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991},
                {0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650},
                {0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381}};

        @Override
        public double value(double[] x) {
            double sum = 0;
            for (int i = 0; i < 4; i++) {
                double inner = 0;
                for (int j = 0; j < 6; j++) inner += A[i][j] * (x[j] - P[i][j]) * (x[j] - P[i][j]);
                sum += ALPHA[i] * Math.exp(-inner);
            }
            return -sum;
        }
    };

    private final OptionalInt dimensions;
    private final double[] lower;
    private final double[] upper;
    private final double minimum;

    BenchmarkFunction(OptionalInt dimensions, double[] lower, double[] upper, double minimum) {
        this.dimensions = dimensions;
        this.lower = lower;
        this.upper = upper;
        this.minimum = minimum;
    }

    /** The value at {@code x}, a point of the standard domain (for sphere: positions in [0, 1]). */
    public abstract double value(double[] x);

    /** How many parameters the function takes; empty when any number will do. */
    public OptionalInt dimensions() {
        return dimensions;
    }

    /** The known global minimum. */
    public double minimum() {
        return minimum;
    }

    /** The domain's lower end on axis i. */
    public double lower(int i) {
        return lower == null ? 0 : lower[i];
    }

    /** The domain's upper end on axis i. */
    public double upper(int i) {
        return upper == null ? 1 : upper[i];
    }

    /** The value at the point whose coordinates sit at {@code positions} (each in [0, 1]) along the domain's axes. */
    public double atPositions(double[] positions) {
        double[] x = new double[positions.length];
        for (int i = 0; i < x.length; i++) x[i] = lower(i) + positions[i] * (upper(i) - lower(i));
        return value(x);
    }

    /** As spelled in specs: {@code sphere}, {@code branin}, {@code hartmann6}. */
    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<BenchmarkFunction> find(String spelling) {
        return Arrays.stream(values()).filter(f -> f.spelling().equals(spelling)).findFirst();
    }

    public static String spellings() {
        return String.join(", ", Arrays.stream(values()).map(BenchmarkFunction::spelling).toList());
    }
}
