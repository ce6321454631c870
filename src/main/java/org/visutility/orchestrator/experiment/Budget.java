package org.visutility.orchestrator.experiment;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * How much an experiment may spend: at most {@code trials} trials, {@code parallel} at a time;
 * {@code maxFailed} failed trials fail the experiment; {@code timeout} bounds its wall-clock time
 * from its first start; reaching {@code goal} (the objective's value) stops it early.
 */
public record Budget(int trials, int parallel, OptionalInt maxFailed, Optional<Duration> timeout, OptionalDouble goal) {
    public static final int MAX_TRIALS = 100_000;
    public static final int MAX_PARALLEL = 256;
}
