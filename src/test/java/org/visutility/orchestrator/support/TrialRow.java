package org.visutility.orchestrator.support;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

/** A trial as stored, typed, for assertions ({@link Experiments#trialRows}). */
public record TrialRow(int number, String status, int attempt, OptionalDouble score, String params,
                       Optional<Instant> finishedAt, Optional<String> error, String reports) {
    /** {@code number:status}, the shape most assertions compare. */
    public String numberAndStatus() {
        return number + ":" + status;
    }

    /** {@code number:status:attempt}. */
    public String numberStatusAndAttempt() {
        return number + ":" + status + ":" + attempt;
    }
}
