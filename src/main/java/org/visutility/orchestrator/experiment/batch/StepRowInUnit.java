package org.visutility.orchestrator.experiment.batch;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.visutility.orchestrator.tuning.trainer.TrainerText;

import java.time.LocalDateTime;
import java.util.Objects;

/**
 * The trials step's execution row (batch_step_execution), which Spring Batch updates after every
 * unit, written instead by the unit's own statement ({@link UnitWrites}): the columns Spring Batch
 * writes, with the commit count it is about to reach, version + 1 only from the version this run
 * read, so a stale owner still fails. The repository's own update of that row in the same
 * transaction is then left out ({@link FencedJobRepository}) and its effects on the step and job
 * executions in memory are made here: the new version, the time written, the job's status as the
 * statement read it (a stop requested through Spring Batch still ends the step).
 */
final class StepRowInUnit {
    /** Spring Batch's JDBC repository cuts exit descriptions to this length. */
    static final int EXIT_MESSAGE_LENGTH = 2500;
    private static final Object WRITTEN = new Object();

    /** The row as Spring Batch writes it after a unit, read at {@code version}; the time it was written apart. */
    record Row(long stepExecutionId, long jobExecutionId, int version, LocalDateTime startTime, LocalDateTime endTime,
               String status, long commitCount, long readCount, long filterCount, long writeCount, long readSkipCount,
               long processSkipCount, long writeSkipCount, long rollbackCount, String exitCode, String exitMessage) {

        /** What Spring Batch will write once this unit ends well: the same, with one more commit. */
        static Row afterThisUnit(StepExecution step) {
            return of(step, step.getCommitCount() + 1);
        }

        private static Row of(StepExecution step, long commitCount) {
            String message = TrainerText.clean(step.getExitStatus().getExitDescription());
            if (message != null && message.length() > EXIT_MESSAGE_LENGTH) message = message.substring(0, EXIT_MESSAGE_LENGTH);
            return new Row(step.getId(), step.getJobExecutionId(), step.getVersion(), step.getStartTime(), step.getEndTime(),
                    step.getStatus().toString(), commitCount, step.getReadCount(), step.getFilterCount(), step.getWriteCount(),
                    step.getReadSkipCount(), step.getProcessSkipCount(), step.getWriteSkipCount(), step.getRollbackCount(),
                    step.getExitStatus().getExitCode(), message);
        }
    }

    /** What the unit's statement wrote and read: the row, when, and the job execution's version and status. */
    record Written(Row row, LocalDateTime lastUpdated, Integer jobVersion, String jobStatus) {
    }

    private StepRowInUnit() {
    }

    /** The current transaction has written this row (until it ends, whatever its outcome). */
    static void markWritten(Written written) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            throw new IllegalStateException("the step execution row can only be written inside the unit's transaction");
        }
        TransactionSynchronizationManager.unbindResourceIfPossible(WRITTEN);
        TransactionSynchronizationManager.bindResource(WRITTEN, written);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(WRITTEN);
            }
        });
    }

    /**
     * Called for the repository's update of {@code step}: true when this transaction's unit wrote the
     * very row Spring Batch is about to write (the step and job executions in memory are then brought
     * to what the database holds); false when the repository must write it (nothing written, or the
     * step changed since: its version is then the one the unit wrote, so that write is fenced too).
     */
    static boolean takeWritten(StepExecution step) {
        if (!(TransactionSynchronizationManager.getResource(WRITTEN) instanceof Written w)) return false;
        if (w.row().stepExecutionId() != step.getId() || w.row().version() != step.getVersion()) return false;
        TransactionSynchronizationManager.unbindResource(WRITTEN);
        if (!w.row().equals(Row.of(step, step.getCommitCount()))) {
            step.setVersion(w.row().version() + 1);
            return false;
        }
        step.setLastUpdated(w.lastUpdated());
        step.incrementVersion();
        // as the repository's update does after writing: the job's status, read in the same statement
        JobExecution job = step.getJobExecution();
        if (w.jobStatus() != null && !Objects.equals(job.getVersion(), w.jobVersion())) {
            job.upgradeStatus(BatchStatus.valueOf(w.jobStatus()));
            job.setVersion(w.jobVersion());
        }
        if (job.isStopped() || job.isStopping()) step.setTerminateOnly();
        return true;
    }
}
