package org.visutility.orchestrator.experiment;

import java.time.Instant;
import java.util.Optional;

/**
 * An experiment as stored, the columns the engine decides on.
 *
 * @param retryRound how many times ops restart --retry-failed started a new round (0: never); each
 *                   round is its own Spring Batch job instance
 */
public record ExperimentRow(long id, String model, ExperimentStatus status, int version, Optional<String> owner,
                            Optional<Instant> heartbeatAt, String specJson, String specSha256,
                            Optional<Long> jobExecutionId, Optional<Instant> startedAt, int attempt,
                            String trigger, Optional<String> error, int retryRound) {
    public boolean isFinished() {
        return status.isFinal();
    }
}
