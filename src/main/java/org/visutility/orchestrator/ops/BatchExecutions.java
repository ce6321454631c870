package org.visutility.orchestrator.ops;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.visutility.orchestrator.experiment.ExperimentRow;
import org.visutility.orchestrator.experiment.ExperimentRows;
import org.visutility.orchestrator.experiment.batch.BatchInfrastructure;
import org.visutility.orchestrator.experiment.batch.ExperimentJob;

import java.util.Optional;

/**
 * The Spring Batch side of an experiment for ops: the last execution of its current round's job
 * instance, marked FAILED when a dead node left it running ({@code JobOperator.recover}), or ABANDONED.
 */
final class BatchExecutions {
    private static final Logger LOG = LoggerFactory.getLogger(BatchExecutions.class);

    private final BatchInfrastructure batch;

    BatchExecutions(BatchInfrastructure batch) {
        this.batch = batch;
    }

    /**
     * The last execution of the experiment's job in its current retry round (one job instance per
     * experiment and round), if that round ever started one.
     */
    Optional<JobExecution> last(long experimentId) {
        int round = batch.transactionalJdbi().withHandle(h -> ExperimentRows.find(h, experimentId))
                .map(ExperimentRow::retryRound).orElse(0);
        JobInstance instance = batch.repository().getJobInstance(ExperimentJob.JOB_NAME, ExperimentJob.instance(experimentId, round));
        return instance == null ? Optional.empty() : Optional.ofNullable(batch.repository().getLastJobExecution(instance));
    }

    /**
     * Marks the last execution FAILED if it was left running (its node is gone), so that it can be
     * restarted; returns the execution as it is now.
     */
    Optional<JobExecution> recoverIfLeftRunning(long experimentId) {
        Optional<JobExecution> last = last(experimentId);
        if (last.isPresent() && last.get().getStatus().isRunning()) {
            LOG.info("Job execution {} was left {}; marking it FAILED (JobOperator.recover)", last.get().getId(), last.get().getStatus());
            return Optional.of(batch.operator().recover(last.get()));
        }
        return last;
    }

    /** Marks the last execution ABANDONED (recovering it first if it was left running); a completed one stays. */
    Optional<JobExecution> abandon(long experimentId) {
        Optional<JobExecution> last = recoverIfLeftRunning(experimentId);
        if (last.isEmpty()) return last;
        BatchStatus status = last.get().getStatus();
        if (status == BatchStatus.COMPLETED || status == BatchStatus.ABANDONED) return last;
        try {
            return Optional.of(batch.operator().abandon(last.get()));
        } catch (JobExecutionAlreadyRunningException e) {
            throw new IllegalStateException("job execution " + last.get().getId() + " is still running: " + e.getMessage(), e);
        }
    }
}
