package org.visutility.orchestrator.tuning.pruning;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The rungs of successive halving: the steps {@code min_resource · reduction_factor^(k + rate)}
 * for k = 0, 1, ..., below {@code max_resource} when there is one (a trial that gets there simply
 * completes) and never past {@link #MAX_STEP}.
 */
public final class Rungs {
    /** The largest step a rung may sit at (the same bound as the median rule's step options). */
    public static final long MAX_STEP = 1L << 40;

    private final long[] steps;

    private Rungs(long[] steps) {
        this.steps = steps;
    }

    /** The rungs for these options; empty when the first one would reach {@code max} or {@link #MAX_STEP}. */
    public static Rungs of(long minResource, long reductionFactor, int earlyStoppingRate, OptionalLong maxResource) {
        long limit = maxResource.isPresent() ? Math.min(maxResource.getAsLong() - 1, MAX_STEP) : MAX_STEP;
        List<Long> found = new ArrayList<>();
        OptionalLong step = firstStep(minResource, reductionFactor, earlyStoppingRate);
        while (step.isPresent() && step.getAsLong() <= limit) {
            found.add(step.getAsLong());
            step = step.getAsLong() > MAX_STEP / reductionFactor ? OptionalLong.empty() : OptionalLong.of(step.getAsLong() * reductionFactor);
        }
        return new Rungs(found.stream().mapToLong(Long::longValue).toArray());
    }

    /** {@code min_resource · reduction_factor^rate}, or empty past {@link #MAX_STEP}. */
    public static OptionalLong firstStep(long minResource, long reductionFactor, int earlyStoppingRate) {
        long step = minResource;
        for (int i = 0; i < earlyStoppingRate; i++) {
            if (step > MAX_STEP / reductionFactor) return OptionalLong.empty();
            step *= reductionFactor;
        }
        return step > MAX_STEP ? OptionalLong.empty() : OptionalLong.of(step);
    }

    public int count() {
        return steps.length;
    }

    /** The step of rung {@code k}. */
    public long step(int k) {
        return steps[k];
    }
}
