package org.visutility.orchestrator.experiment;

import org.visutility.orchestrator.tuning.TrialStatus;

import java.time.Duration;
import java.util.OptionalDouble;

/**
 * Told when something happens to an experiment, after it is committed: the run started, a trial
 * ended, the experiment ended. Notifications and measurements hang here; observers must be quick.
 */
public interface ExperimentObserver {
    /** The run was prepared (once per experiment; a restart does not prepare again): its provenance is recorded. */
    default void experimentStarted(long experimentId) {
    }

    default void trialEnded(long experimentId, int number, TrialStatus status, OptionalDouble score) {
    }

    /** As above, with how long the trial's attempt ran here; the engine calls this one. */
    default void trialEnded(long experimentId, int number, TrialStatus status, OptionalDouble score, Duration took) {
        trialEnded(experimentId, number, status, score);
    }

    default void experimentEnded(long experimentId, ExperimentStatus status) {
    }

    ExperimentObserver NONE = new ExperimentObserver() {
    };
}
