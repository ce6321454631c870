package org.visutility.orchestrator.experiment;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import org.visutility.orchestrator.tuning.TrialStatus;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Counts ended trials and experiments in Micrometer's global registry (GET /metrics):
 * {@code orchestrator_trials_total{status}}, {@code orchestrator_trial_duration_seconds{status}}
 * (a histogram, for percentiles across nodes) and {@code orchestrator_experiments_ended_total{status}}.
 */
public final class ExperimentMetrics implements ExperimentObserver {
    public static final String TRIALS = "orchestrator.trials";
    public static final String TRIAL_DURATION = "orchestrator.trial.duration";
    public static final String EXPERIMENTS_ENDED = "orchestrator.experiments.ended";
    /** The histogram's range: from a built-in objective's milliseconds to a long training run. */
    private static final Duration SHORTEST_TRIAL = Duration.ofMillis(1);
    private static final Duration LONGEST_TRIAL = Duration.ofHours(12);

    private final Map<TrialStatus, Counter> trials = new EnumMap<>(TrialStatus.class);
    private final Map<TrialStatus, Timer> durations = new EnumMap<>(TrialStatus.class);

    public ExperimentMetrics() {
        for (TrialStatus s : TrialStatus.values()) {
            if (s == TrialStatus.RUNNING) continue; // counted when they end
            trials.put(s, Counter.builder(TRIALS).description("Trials ended on this node, by status")
                    .tag("status", s.spelling()).register(Metrics.globalRegistry));
            durations.put(s, Timer.builder(TRIAL_DURATION).description("How long trial attempts ran, by status")
                    .tag("status", s.spelling()).publishPercentileHistogram()
                    .minimumExpectedValue(SHORTEST_TRIAL).maximumExpectedValue(LONGEST_TRIAL)
                    .register(Metrics.globalRegistry));
        }
    }

    @Override
    public void trialEnded(long experimentId, int number, TrialStatus status, OptionalDouble score, Duration took) {
        if (!trials.containsKey(status)) return;
        trials.get(status).increment();
        durations.get(status).record(took);
    }

    @Override
    public void experimentEnded(long experimentId, ExperimentStatus status) {
        Metrics.counter(EXPERIMENTS_ENDED, "status", status.sql()).increment();
    }
}
