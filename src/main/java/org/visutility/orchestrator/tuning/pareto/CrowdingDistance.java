package org.visutility.orchestrator.tuning.pareto;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * NSGA-II's crowding distance within one front: per objective, the points sorted by it, the two
 * ends get infinity and every other point the gap between its neighbours divided by the
 * objective's range; the distances of all objectives are summed. Larger means lonelier, and
 * lonelier points are kept first so the front stays spread. Ties in an objective are ordered by
 * position, so the result depends only on the input.
 */
public final class CrowdingDistance {
    private CrowdingDistance() {
    }

    public static double[] of(List<double[]> front) {
        int n = front.size();
        double[] distance = new double[n];
        if (n == 0) return distance;
        int m = front.get(0).length;
        Integer[] order = new Integer[n];
        for (int k = 0; k < m; k++) {
            int objective = k;
            for (int i = 0; i < n; i++) order[i] = i;
            Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> front.get(i)[objective]).thenComparingInt(i -> i));
            double low = front.get(order[0])[k];
            double high = front.get(order[n - 1])[k];
            distance[order[0]] = Double.POSITIVE_INFINITY;
            distance[order[n - 1]] = Double.POSITIVE_INFINITY;
            if (high == low) continue;
            for (int i = 1; i < n - 1; i++) {
                distance[order[i]] += (front.get(order[i + 1])[k] - front.get(order[i - 1])[k]) / (high - low);
            }
        }
        return distance;
    }
}
