package org.visutility.orchestrator.tuning.pareto;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The hypervolume a set of points to minimise dominates up to a reference point, exactly: two
 * objectives by one sweep, more by slicing along the last objective (each slab the hypervolume of
 * the points at or below it in one objective fewer). Fine for the fronts MOTPE splits (tens of
 * points, at most {@link Objectives#MAX} objectives).
 */
public final class Hypervolume {
    private Hypervolume() {
    }

    /** The volume dominated by {@code points} and bounded by {@code reference}; points not below the reference add nothing. */
    public static double of(List<double[]> points, double[] reference) {
        List<double[]> inside = new ArrayList<>();
        for (double[] p : points) {
            boolean below = true;
            for (int i = 0; i < p.length && below; i++) below = p[i] < reference[i];
            if (below) inside.add(p);
        }
        return volume(inside, reference, reference.length);
    }

    private static double volume(List<double[]> points, double[] reference, int dims) {
        if (points.isEmpty()) return 0;
        if (dims == 1) {
            double best = reference[0];
            for (double[] p : points) best = Math.min(best, p[0]);
            return reference[0] - best;
        }
        int last = dims - 1;
        List<double[]> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.comparingDouble(p -> p[last]));
        if (dims == 2) {
            double total = 0;
            double bestX = reference[0];
            for (int i = 0; i < sorted.size(); i++) {
                bestX = Math.min(bestX, sorted.get(i)[0]);
                double top = i + 1 < sorted.size() ? sorted.get(i + 1)[1] : reference[1];
                total += (reference[0] - bestX) * (top - sorted.get(i)[1]);
            }
            return total;
        }
        double total = 0;
        for (int i = 0; i < sorted.size(); i++) {
            double top = i + 1 < sorted.size() ? sorted.get(i + 1)[last] : reference[last];
            double height = top - sorted.get(i)[last];
            if (height > 0) total += height * volume(sorted.subList(0, i + 1), reference, last);
        }
        return total;
    }

    /** What each point alone adds: the volume of all minus the volume without it. */
    public static double[] contributions(List<double[]> points, double[] reference) {
        double all = of(points, reference);
        double[] c = new double[points.size()];
        for (int i = 0; i < c.length; i++) {
            List<double[]> others = new ArrayList<>(points);
            others.remove(i);
            c[i] = all - of(others, reference);
        }
        return c;
    }
}
