package org.visutility.orchestrator.tuning.pruning;

import java.util.Arrays;

/**
 * Which Hyperband bracket each trial number belongs to. Bracket r (r = 0..s_max, its
 * {@code min_early_stopping_rate}) halves {@code s = s_max - r} times, and Li et al.'s Hyperband
 * gives it {@code n_r = ⌈(s_max + 1) · η^s / (s + 1)⌉} configurations. Trial numbers are dealt to
 * the brackets in those proportions, interleaved by smooth weighted round robin (each turn every
 * bracket gains its weight, the one with most credit, the lowest r on a tie, takes the trial and
 * pays the total). The assignment depends only on the trial number and the options, so a restart,
 * a retry or another node assigns every trial the same bracket.
 */
final class HyperbandBrackets {
    private final long[] weights;
    private final long total;
    private final long[] credit;
    private int[] assigned = new int[0];
    private int dealt;

    HyperbandBrackets(long reductionFactor, int sMax) {
        weights = new long[sMax + 1];
        long sum = 0;
        for (int r = 0; r <= sMax; r++) {
            int s = sMax - r;
            long power = 1;
            for (int i = 0; i < s; i++) power *= reductionFactor;
            long numerator = (sMax + 1L) * power;
            weights[r] = (numerator + s) / (s + 1);
            sum += weights[r];
        }
        total = sum;
        credit = new long[weights.length];
    }

    /** The number of brackets, s_max + 1. */
    int count() {
        return weights.length;
    }

    /** Li et al.'s n_r for bracket r. */
    long weight(int bracket) {
        return weights[bracket];
    }

    /** The bracket of trial {@code number} (trial numbers start at 0). */
    synchronized int of(int number) {
        if (number < 0) throw new IllegalArgumentException("trial numbers start at 0: " + number);
        if (number >= assigned.length) assigned = Arrays.copyOf(assigned, Math.max(number + 1, assigned.length * 2));
        while (dealt <= number) {
            int best = 0;
            for (int r = 0; r < weights.length; r++) {
                credit[r] += weights[r];
                if (credit[r] > credit[best]) best = r;
            }
            credit[best] -= total;
            assigned[dealt++] = best;
        }
        return assigned[number];
    }

    /** The largest s with min_resource · η^s ≤ max_resource. */
    static int sMax(long minResource, long reductionFactor, long maxResource) {
        int s = 0;
        long step = minResource;
        while (step <= maxResource / reductionFactor) {
            step *= reductionFactor;
            s++;
        }
        return s;
    }
}
