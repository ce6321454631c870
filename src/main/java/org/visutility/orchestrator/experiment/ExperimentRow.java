package org.visutility.orchestrator.experiment;

import java.time.Instant;
import java.util.Optional;

/** An experiment as stored, the columns the engine decides on. */
public record ExperimentRow(long id, String model, String status, int version, Optional<String> owner,
                            Optional<Instant> heartbeatAt, String specJson, String specSha256,
                            Optional<Long> jobExecutionId, Optional<Instant> startedAt, int attempt,
                            String trigger, Optional<String> error) {
    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String CANCELLED = "cancelled";

    public boolean isFinished() {
        return !QUEUED.equals(status) && !RUNNING.equals(status);
    }
}
