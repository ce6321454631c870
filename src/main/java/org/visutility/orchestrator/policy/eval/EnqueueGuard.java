package org.visutility.orchestrator.policy.eval;

import org.visutility.orchestrator.config.Durations;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether a firing (policy, model) may enqueue an experiment now: none open for it, and its
 * cooldown (counted from when its last experiment ended, or was queued if still open) is over.
 * The partial unique index on experiment enforces the first rule again in the database.
 */
public final class EnqueueGuard {
    private EnqueueGuard() {
    }

    /** Why not to enqueue, or null when it may. */
    public static String reasonNotTo(Long openExperiment, Instant lastExperimentAt, Instant at, Duration cooldown) {
        if (openExperiment != null) return "experiment " + openExperiment + " is open for this model and policy";
        if (lastExperimentAt != null) {
            Instant until = lastExperimentAt.plus(cooldown);
            if (at.isBefore(until)) return "cooldown " + Durations.format(cooldown) + " after the last experiment, until " + until;
        }
        return null;
    }
}
