package org.visutility.orchestrator.support;

import org.visutility.orchestrator.policy.notify.ExperimentQueued;
import org.visutility.orchestrator.policy.notify.PolicyObserver;
import org.visutility.orchestrator.policy.notify.StateChange;
import org.visutility.orchestrator.policy.notify.VerificationDecided;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers what it heard. */
public final class RecordingObserver implements PolicyObserver {
    public final List<StateChange> changes = new CopyOnWriteArrayList<>();
    public final List<ExperimentQueued> experiments = new CopyOnWriteArrayList<>();
    public final List<VerificationDecided> verifications = new CopyOnWriteArrayList<>();

    @Override
    public void stateChanged(StateChange change) {
        changes.add(change);
    }

    @Override
    public void experimentQueued(ExperimentQueued experiment) {
        experiments.add(experiment);
    }

    @Override
    public void verificationDecided(VerificationDecided verification) {
        verifications.add(verification);
    }
}
