package org.visutility.orchestrator.policy.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.config.Durations;
import org.visutility.orchestrator.core.Json;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether a firing (policy, model) may enqueue an experiment now: none open for it, no
 * post-deploy verification of its last retrain open, and its cooldown (counted from when its last
 * experiment ended, or was queued if still open) is over. The partial unique index on experiment
 * enforces the first rule again in the database.
 */
public final class EnqueueGuard {
    /** {@link Hold#by()} when an experiment of the policy and model is queued or running. */
    public static final String OPEN_EXPERIMENT = "open_experiment";
    /** {@link Hold#by()} when the last retrain's deployed version is being verified. */
    public static final String OPEN_VERIFICATION = "open_verification";
    /** {@link Hold#by()} while the cooldown after the last experiment runs. */
    public static final String COOLDOWN = "cooldown";

    private EnqueueGuard() {
    }

    /**
     * What held a firing back: {@code by} (one of the constants above), until when at the latest
     * (null while an experiment is open: until it ends), the experiment behind it (null when not
     * known), and why in words. Recorded in policy_evaluation.detail as {@code held_back} and
     * {@code guard}; lineage.policy_history shows it as columns.
     */
    public record Hold(String by, Instant until, Long experimentId, String note) {
        ObjectNode toJson() {
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("by", by);
            n.put("until", until == null ? null : until.toString());
            n.put("experiment_id", experimentId);
            return n;
        }
    }

    /** Why not to enqueue, or null when it may. */
    public static String reasonNotTo(Long openExperiment, Instant lastExperimentAt, Instant at, Duration cooldown) {
        Hold hold = holdOf(openExperiment, null, null, null, lastExperimentAt, at, cooldown);
        return hold == null ? null : hold.note();
    }

    /**
     * What holds the enqueue back, or null when it may enqueue; {@code verifyingExperiment} is the
     * experiment whose deployed version is being verified for this (policy, model), with its
     * verification's deadline; {@code lastExperiment} the one whose end (or queueing) was at
     * {@code lastExperimentAt}.
     */
    public static Hold holdOf(Long openExperiment, Long verifyingExperiment, Instant verificationDeadline,
                              Long lastExperiment, Instant lastExperimentAt, Instant at, Duration cooldown) {
        if (openExperiment != null) {
            return new Hold(OPEN_EXPERIMENT, null, openExperiment, "experiment " + openExperiment + " is open for this model and policy");
        }
        if (verifyingExperiment != null) {
            return new Hold(OPEN_VERIFICATION, verificationDeadline, verifyingExperiment, "verification of experiment "
                    + verifyingExperiment + " is open (its deployed version is judged until " + verificationDeadline + " at the latest)");
        }
        if (lastExperimentAt != null) {
            Instant until = lastExperimentAt.plus(cooldown);
            if (at.isBefore(until)) {
                return new Hold(COOLDOWN, until, lastExperiment,
                        "cooldown " + Durations.format(cooldown) + " after the last experiment, until " + until);
            }
        }
        return null;
    }
}
