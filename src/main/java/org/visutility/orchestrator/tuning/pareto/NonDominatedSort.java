package org.visutility.orchestrator.tuning.pareto;

import java.util.ArrayList;
import java.util.List;

/**
 * The fast non-dominated sort of NSGA-II (Deb, Pratap, Agarwal, Meyarivan 2002): rank 0 is the
 * Pareto front, rank 1 the front of what is left without it, and so on. O(M·N²) for N points of M
 * objectives. Equal points share a rank (neither dominates the other).
 */
public final class NonDominatedSort {
    private NonDominatedSort() {
    }

    /** Each point's rank, 0 for the non-dominated ones. */
    public static int[] ranks(List<double[]> points) {
        int n = points.size();
        int[] rank = new int[n];
        int[] dominatedBy = new int[n];
        List<List<Integer>> dominates = new ArrayList<>(n);
        for (int i = 0; i < n; i++) dominates.add(new ArrayList<>());
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (Dominance.dominates(points.get(i), points.get(j))) {
                    dominates.get(i).add(j);
                    dominatedBy[j]++;
                } else if (Dominance.dominates(points.get(j), points.get(i))) {
                    dominates.get(j).add(i);
                    dominatedBy[i]++;
                }
            }
        }
        List<Integer> front = new ArrayList<>();
        for (int i = 0; i < n; i++) if (dominatedBy[i] == 0) front.add(i);
        int r = 0;
        while (!front.isEmpty()) {
            List<Integer> next = new ArrayList<>();
            for (int i : front) {
                rank[i] = r;
                for (int j : dominates.get(i)) {
                    if (--dominatedBy[j] == 0) next.add(j);
                }
            }
            front = next;
            r++;
        }
        return rank;
    }

    /** The positions (in {@code points}) of the non-dominated points, in their order. */
    public static List<Integer> front(List<double[]> points) {
        List<Integer> front = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            boolean dominated = false;
            for (int j = 0; j < points.size() && !dominated; j++) {
                dominated = j != i && Dominance.dominates(points.get(j), points.get(i));
            }
            if (!dominated) front.add(i);
        }
        return front;
    }
}
