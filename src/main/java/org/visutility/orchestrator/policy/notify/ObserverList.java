package org.visutility.orchestrator.policy.notify;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Consumer;

/** Several observers as one; one observer's exception is logged and does not keep the others from hearing. */
final class ObserverList implements PolicyObserver {
    private static final Logger LOG = LoggerFactory.getLogger(ObserverList.class);
    private final List<PolicyObserver> observers;

    ObserverList(List<PolicyObserver> observers) {
        this.observers = List.copyOf(observers);
    }

    @Override
    public void stateChanged(StateChange change) {
        each(o -> o.stateChanged(change));
    }

    @Override
    public void experimentQueued(ExperimentQueued experiment) {
        each(o -> o.experimentQueued(experiment));
    }

    @Override
    public void verificationDecided(VerificationDecided verification) {
        each(o -> o.verificationDecided(verification));
    }

    private void each(Consumer<PolicyObserver> call) {
        for (PolicyObserver o : observers) {
            try {
                call.accept(o);
            } catch (RuntimeException e) {
                LOG.warn("Policy observer {} failed: {}", o.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
