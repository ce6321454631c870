package org.visutility.orchestrator.schedule;

import java.time.Instant;
import java.util.Optional;

/** A job's last successful and last failed run, whichever node ran them (a row of orchestrator.job_run). */
public record JobRuns(Optional<Instant> lastSuccessAt, Optional<String> lastSuccessNode, Optional<Instant> lastFailureAt,
                      Optional<String> lastFailureNode, Optional<String> lastError) {
    public static final JobRuns NONE = new JobRuns(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty());
}
