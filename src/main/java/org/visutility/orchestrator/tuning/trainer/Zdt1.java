package org.visutility.orchestrator.tuning.trainer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ZDT1 (Zitzler, Deb and Thiele, 2000), the standard two-objective test function of
 * {@code trainer: {type: function, function: zdt1}}: on x ∈ [0, 1]ⁿ (n ≥ 2), minimise both
 * f1 = x1 and f2 = g·(1 − √(f1 / g)) with g = 1 + 9·Σᵢ₌₂ⁿ xᵢ / (n − 1). Its Pareto front is
 * f2 = 1 − √f1 (x2..xn all 0), so a two-objective search can be checked against it.
 */
public final class Zdt1 {
    public static final String SPELLING = "zdt1";
    public static final String FIRST = "f1";
    public static final String SECOND = "f2";
    public static final int MIN_DIMENSIONS = 2;

    private Zdt1() {
    }

    /** {f1, f2} at the point x of [0, 1]ⁿ, in that order. */
    public static Map<String, Double> metrics(double[] x) {
        if (x.length < MIN_DIMENSIONS) throw new IllegalArgumentException("zdt1 takes at least " + MIN_DIMENSIONS + " parameters");
        double rest = 0;
        for (int i = 1; i < x.length; i++) rest += x[i];
        double g = 1 + 9 * rest / (x.length - 1);
        double f1 = x[0];
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(FIRST, f1);
        m.put(SECOND, g * (1 - Math.sqrt(f1 / g)));
        return m;
    }
}
