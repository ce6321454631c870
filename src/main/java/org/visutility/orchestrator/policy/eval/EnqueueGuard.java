package org.visutility.orchestrator.policy.eval;

import org.visutility.orchestrator.config.Durations;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether a firing (policy, model) may enqueue an experiment now: none open for it, no
 * post-deploy verification of its last retrain open, and its cooldown (counted from when its last
 * experiment ended, or was queued if still open) is over. The partial unique index on experiment
 * enforces the first rule again in the database.
 */
public final class EnqueueGuard {
    private EnqueueGuard() {
    }

    /** Why not to enqueue, or null when it may. */
    public static String reasonNotTo(Long openExperiment, Instant lastExperimentAt, Instant at, Duration cooldown) {
        return reasonNotTo(openExperiment, null, null, lastExperimentAt, at, cooldown);
    }

    /**
     * Why not to enqueue, or null when it may; {@code verifyingExperiment} is the experiment whose
     * deployed version is being verified for this (policy, model), with its verification's deadline.
     */
    public static String reasonNotTo(Long openExperiment, Long verifyingExperiment, Instant verificationDeadline,
                                     Instant lastExperimentAt, Instant at, Duration cooldown) {
        if (openExperiment != null) return "experiment " + openExperiment + " is open for this model and policy";
        if (verifyingExperiment != null) {
            return "verification of experiment " + verifyingExperiment + " is open (its deployed version is judged until "
                    + verificationDeadline + " at the latest)";
        }
        if (lastExperimentAt != null) {
            Instant until = lastExperimentAt.plus(cooldown);
            if (at.isBefore(until)) return "cooldown " + Durations.format(cooldown) + " after the last experiment, until " + until;
        }
        return null;
    }
}
