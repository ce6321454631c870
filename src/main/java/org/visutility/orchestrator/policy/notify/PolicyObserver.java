package org.visutility.orchestrator.policy.notify;

import java.util.List;

/**
 * Hears what policy evaluation decided, after it is committed. Called on the evaluation thread:
 * an observer must return quickly and hand slow work (network) to a thread of its own.
 */
public interface PolicyObserver {
    default void stateChanged(StateChange change) {
    }

    default void experimentQueued(ExperimentQueued experiment) {
    }

    /** A retrain's post-deploy verification was decided (once, by one evaluator). */
    default void verificationDecided(VerificationDecided verification) {
    }

    PolicyObserver NONE = new PolicyObserver() {
    };

    /** All of the given observers, each shielded from the others' failures. */
    static PolicyObserver all(List<PolicyObserver> observers) {
        return new ObserverList(observers);
    }
}
