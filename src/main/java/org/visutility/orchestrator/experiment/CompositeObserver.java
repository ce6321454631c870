package org.visutility.orchestrator.experiment;

import org.visutility.orchestrator.tuning.TrialStatus;

import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;

/** Tells every observer in turn (metrics, OpenLineage export, ...). */
public final class CompositeObserver implements ExperimentObserver {
    private final List<ExperimentObserver> observers;

    public CompositeObserver(List<ExperimentObserver> observers) {
        this.observers = List.copyOf(observers);
    }

    @Override
    public void experimentStarted(long experimentId) {
        observers.forEach(o -> o.experimentStarted(experimentId));
    }

    @Override
    public void trialEnded(long experimentId, int number, TrialStatus status, OptionalDouble score, Duration took) {
        observers.forEach(o -> o.trialEnded(experimentId, number, status, score, took));
    }

    @Override
    public void experimentEnded(long experimentId, String status) {
        observers.forEach(o -> o.experimentEnded(experimentId, status));
    }
}
