package org.visutility.orchestrator.policy.notify;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Writes each state change, each enqueued experiment and each decided verification to the log,
 * with the model (and the experiment) in the MDC; a not_recovered verification is a warning that
 * suggests a rollback.
 */
public final class LogNotifier implements PolicyObserver {
    private static final Logger LOG = LoggerFactory.getLogger(LogNotifier.class);

    @Override
    public void stateChanged(StateChange c) {
        try (MDC.MDCCloseable ignored = MDC.putCloseable("model", c.model())) {
            LOG.info("Policy {} (v{}) for model {}: {} -> {} at {}: {} observed {} threshold {} ({} evidence snapshots, evaluation {})",
                    c.policy(), c.policyVersion(), c.model(), c.from(), c.to(), c.at(), c.condition(), c.observed(),
                    c.threshold(), c.evidenceSnapshotIds().size(), c.evaluationId());
        }
    }

    @Override
    public void experimentQueued(ExperimentQueued e) {
        try (MDC.MDCCloseable ignored = MDC.putCloseable("model", e.model());
             MDC.MDCCloseable ignored2 = MDC.putCloseable("experiment", Long.toString(e.experimentId()))) {
            LOG.info("Policy {} enqueued experiment {} for model {} (evaluation {})", e.policy(), e.experimentId(), e.model(),
                    e.evaluationId());
        }
    }

    @Override
    public void verificationDecided(VerificationDecided v) {
        try (MDC.MDCCloseable ignored = MDC.putCloseable("model", v.model());
             MDC.MDCCloseable ignored2 = MDC.putCloseable("experiment", Long.toString(v.experimentId()))) {
            if (v.rollbackSuggested()) {
                LOG.warn("Retrain of model {} by experiment {} (policy {}) did not recover: {} {} since {}, {}; {} (orchestrator models rollback {})",
                        v.model(), v.experimentId(), v.policy(), v.version(), v.outcome(), v.openedAt(), v.reason(),
                        VerificationDecided.ROLLBACK_SUGGESTED, v.model());
            } else {
                LOG.info("Retrain of model {} by experiment {} (policy {}): {} {}: {}", v.model(), v.experimentId(), v.policy(),
                        v.version(), v.outcome(), v.reason());
            }
        }
    }
}
