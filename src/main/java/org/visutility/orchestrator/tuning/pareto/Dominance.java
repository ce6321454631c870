package org.visutility.orchestrator.tuning.pareto;

/** Pareto dominance between points to minimise. */
public final class Dominance {
    private Dominance() {
    }

    /** True when {@code a} is no worse than {@code b} on every objective and better on at least one. */
    public static boolean dominates(double[] a, double[] b) {
        boolean better = false;
        for (int i = 0; i < a.length; i++) {
            if (a[i] > b[i]) return false;
            if (a[i] < b[i]) better = true;
        }
        return better;
    }
}
