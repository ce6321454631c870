package org.visutility.orchestrator.tuning.pruning;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.tuning.Fields;
import org.visutility.orchestrator.tuning.Violations;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * The options the rules {@code asha} and {@code hyperband} share, read from the {@code pruning}
 * mapping: {@code min_resource}, {@code reduction_factor}, {@code max_resource} and (asha only)
 * {@code min_early_stopping_rate}. Problems name the field and the rule.
 */
record HalvingOptions(long minResource, long reductionFactor, OptionalLong maxResource, int earlyStoppingRate) {
    static final long DEFAULT_MIN_RESOURCE = 1;
    static final long DEFAULT_REDUCTION_FACTOR = 3;
    static final long MAX_REDUCTION_FACTOR = 1000;
    static final int MAX_EARLY_STOPPING_RATE = 40;

    /** The options, or empty after recording every problem in {@code v}. */
    static Optional<HalvingOptions> read(ObjectNode options, String rule, boolean maxRequired, boolean rateAllowed, Violations v) {
        int before = v.size();
        Optional<Long> min = Fields.wholeNumber(options, "min_resource", "pruning", v, false, 1, Rungs.MAX_STEP);
        Optional<Long> eta = Fields.wholeNumber(options, "reduction_factor", "pruning", v, false, 2, MAX_REDUCTION_FACTOR);
        Optional<Long> max = Fields.wholeNumber(options, "max_resource", "pruning", v, maxRequired, 1, Rungs.MAX_STEP);
        Optional<Long> rate = rateAllowed
                ? Fields.wholeNumber(options, "min_early_stopping_rate", "pruning", v, false, 0, MAX_EARLY_STOPPING_RATE)
                : Optional.of(0L);
        if (v.size() > before) return Optional.empty();
        long r = min.orElse(DEFAULT_MIN_RESOURCE);
        long factor = eta.orElse(DEFAULT_REDUCTION_FACTOR);
        int s = rate.orElse(0L).intValue();
        if (max.isPresent() && max.get() < r) {
            v.add("pruning.max_resource", "must be at least pruning.min_resource (" + r + ") for rule " + rule + " (is " + max.get() + ")");
            return Optional.empty();
        }
        if (Rungs.firstStep(r, factor, s).isEmpty()) {
            v.add("pruning.min_early_stopping_rate", "puts the first rung, min_resource * reduction_factor^rate, past "
                    + Rungs.MAX_STEP + " steps for rule " + rule + " (is " + s + ")");
            return Optional.empty();
        }
        OptionalLong maxResource = max.map(OptionalLong::of).orElse(OptionalLong.empty());
        if (Rungs.of(r, factor, s, maxResource).count() == 0) {
            // a rule that could never prune is a mistake in the spec, not a choice
            String field = rateAllowed && s > 0 ? "pruning.min_early_stopping_rate" : "pruning.max_resource";
            v.add(field, "leaves no rung below pruning.max_resource (" + maxResource.getAsLong() + ") for rule " + rule
                    + ": the first rung is at step " + Rungs.firstStep(r, factor, s).getAsLong() + ", so nothing would ever be pruned");
            return Optional.empty();
        }
        return Optional.of(new HalvingOptions(r, factor, maxResource, s));
    }
}
