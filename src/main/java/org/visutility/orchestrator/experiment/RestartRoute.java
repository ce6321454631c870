package org.visutility.orchestrator.experiment;

import org.springframework.batch.core.BatchStatus;

import java.util.Optional;

/**
 * How a failed experiment can run again, decided by how its last Spring Batch job execution ended:
 * the one rule that ops restart, ops failed and the dashboard share, so that what they offer works.
 */
public enum RestartRoute {
    /** Its job did not complete: ops restart resumes it at the step that failed, from its last checkpoint. */
    RESUME,
    /**
     * Its job completed and the experiment failed by its own rules (budget.max_failed, no trial
     * completed): resuming would end the same way, so a new round re-runs the failed trials and
     * continues to the budget (ops restart --retry-failed).
     */
    RETRY_FAILED,
    /** Not failed, or its job execution was abandoned: nothing restarts it. */
    NONE;

    /** The option of ops restart that takes this route. */
    public static final String RETRY_FAILED_OPTION = "--retry-failed";

    /**
     * The route for an experiment in {@code status} whose last job execution ended {@code jobStatus}
     * (empty: it never started one).
     */
    public static RestartRoute of(ExperimentStatus status, Optional<BatchStatus> jobStatus) {
        if (status != ExperimentStatus.FAILED) return NONE;
        if (jobStatus.isEmpty()) return RESUME;
        return switch (jobStatus.get()) {
            case COMPLETED -> RETRY_FAILED;
            case ABANDONED -> NONE;
            default -> RESUME;
        };
    }

    /** As {@link #of(ExperimentStatus, Optional)}, from the status columns as stored (job status NULL: none). */
    public static RestartRoute of(String status, String jobStatus) {
        return of(ExperimentStatus.of(status), Optional.ofNullable(jobStatus).map(BatchStatus::valueOf));
    }

    /** The ops command line (without the launcher) that restarts experiment {@code id}, if any. */
    public Optional<String> command(long id) {
        return switch (this) {
            case RESUME -> Optional.of("ops restart " + id);
            case RETRY_FAILED -> Optional.of("ops restart " + id + " " + RETRY_FAILED_OPTION);
            case NONE -> Optional.empty();
        };
    }
}
