package org.visutility.orchestrator.experiment.batch;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;

import java.time.LocalDateTime;

/**
 * Spring Batch leaves an execution UNKNOWN when it could not save its bookkeeping after a failure
 * (the database went away mid-commit), and then refuses to restart it: with an arbitrary writer the
 * data might not match the checkpoint. The experiment job's data does: a trial's row and the trials
 * step's checkpoint commit in one transaction, and finalize's writes commit with its step, so
 * whatever the last commit did, the database is consistent. Marking the execution FAILED makes it
 * restartable from that checkpoint.
 */
public final class UnknownExecutions {
    private UnknownExecutions() {
    }

    /** Marks an UNKNOWN execution and its UNKNOWN or running steps FAILED; returns it. */
    public static JobExecution markFailed(JobRepository repository, JobExecution execution) {
        LocalDateTime now = LocalDateTime.now();
        for (StepExecution step : execution.getStepExecutions()) {
            if (step.getStatus() == BatchStatus.UNKNOWN || step.getStatus().isRunning()) {
                step.setStatus(BatchStatus.FAILED);
                if (step.getEndTime() == null) step.setEndTime(now);
                repository.update(step);
            }
        }
        execution.setStatus(BatchStatus.FAILED);
        if (execution.getEndTime() == null) execution.setEndTime(now);
        repository.update(execution);
        return execution;
    }
}
