package org.visutility.orchestrator.policy;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import org.visutility.orchestrator.policy.eval.PolicyEvaluator;
import org.visutility.orchestrator.policy.notify.ExperimentQueued;
import org.visutility.orchestrator.policy.notify.PolicyObserver;
import org.visutility.orchestrator.policy.notify.StateChange;
import org.visutility.orchestrator.policy.notify.VerificationDecided;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Policy evaluation in Micrometer's global registry (GET /metrics):
 * {@code orchestrator_policy_passes_total{outcome}} and {@code orchestrator_policy_pass_seconds}
 * (the clustered job's passes), {@code orchestrator_policy_evaluations_total} ((policy, model) pairs
 * evaluated), {@code orchestrator_policy_state_changes_total{from,to}} and
 * {@code orchestrator_policy_experiments_queued_total}; post-deploy verification as
 * {@code orchestrator_policy_verifications_open} (a gauge, as of the last pass) and
 * {@code orchestrator_policy_verifications_total{outcome}} (outcomes decided by this node);
 * {@code orchestrator_policy_decisions_reviewed_total} (decisions this node re-checked on today's
 * values after their evidence was revised).
 */
public final class PolicyMetrics implements PolicyObserver {
    public static final String PASSES = "orchestrator.policy.passes";
    public static final String PASS_TIME = "orchestrator.policy.pass";
    public static final String EVALUATIONS = "orchestrator.policy.evaluations";
    public static final String STATE_CHANGES = "orchestrator.policy.state.changes";
    public static final String EXPERIMENTS_QUEUED = "orchestrator.policy.experiments.queued";
    public static final String VERIFICATIONS_OPEN = "orchestrator.policy.verifications.open";
    public static final String VERIFICATIONS = "orchestrator.policy.verifications";
    public static final String DECISIONS_REVIEWED = "orchestrator.policy.decisions.reviewed";

    /** One gauge per JVM (the registry is global), set by whichever evaluator passed last. */
    private static final AtomicLong OPEN_VERIFICATIONS = new AtomicLong();

    static {
        Gauge.builder(VERIFICATIONS_OPEN, OPEN_VERIFICATIONS, AtomicLong::get)
                .description("Post-deploy verifications open, as of this node's last policy pass")
                .strongReference(true)
                .register(Metrics.globalRegistry);
    }

    private final Timer passTime = Timer.builder(PASS_TIME).description("How long a policy evaluation pass took")
            .register(Metrics.globalRegistry);

    void passEnded(PolicyEvaluator.PassResult result, Duration took) {
        passTime.record(took);
        Metrics.counter(PASSES, "outcome", "ok").increment();
        Metrics.counter(EVALUATIONS).increment(result.evaluated());
        Metrics.counter(DECISIONS_REVIEWED).increment(result.reviewed());
        if (result.openVerifications() >= 0) OPEN_VERIFICATIONS.set(result.openVerifications());
    }

    void passFailed() {
        Metrics.counter(PASSES, "outcome", "failed").increment();
    }

    @Override
    public void stateChanged(StateChange change) {
        Metrics.counter(STATE_CHANGES, "from", change.from() == null ? "none" : change.from(), "to", change.to()).increment();
    }

    @Override
    public void experimentQueued(ExperimentQueued experiment) {
        Metrics.counter(EXPERIMENTS_QUEUED).increment();
    }

    @Override
    public void verificationDecided(VerificationDecided verification) {
        Metrics.counter(VERIFICATIONS, "outcome", verification.outcome()).increment();
    }
}
