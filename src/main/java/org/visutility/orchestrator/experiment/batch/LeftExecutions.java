package org.visutility.orchestrator.experiment.batch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.dao.OptimisticLockingFailureException;

import java.util.List;

/**
 * Before a run restarts its job, every execution of the job instance still marked running (its
 * process died) is recovered and every UNKNOWN one marked FAILED, so that Spring Batch restarts the
 * instance from its checkpoint.
 *
 * <p>Two claims of one run can meet here: a node that took the run over while an earlier claim on
 * another thread or node was still ending its execution. Each writes the same execution and step
 * rows, and Spring Batch's version check refuses the slower writer. That refusal says only that the
 * row moved under us: the execution is read again and, if it is still left behind, recovered from its
 * new version; if the other writer already ended it there is nothing left to do.
 */
public final class LeftExecutions {
    /** Reads and recoveries of one execution before a version conflict is given up on (another writer would have to move it every time). */
    static final int ATTEMPTS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(LeftExecutions.class);

    private LeftExecutions() {
    }

    /** Recovers the running and UNKNOWN executions of {@code instance} (null: the job never started). */
    public static void recover(JobRepository repository, JobOperator operator, JobInstance instance) {
        if (instance == null) return;
        // every execution of the instance, not only the last: two racing claims can each have started one
        List<JobExecution> executions = repository.findJobExecutions(instance);
        for (JobExecution found : executions) recoverOne(repository, operator, found.getId());
    }

    private static void recoverOne(JobRepository repository, JobOperator operator, long executionId) {
        for (int attempt = 1; ; attempt++) {
            // read again with its steps: marking an UNKNOWN execution FAILED must mark its steps too
            JobExecution left = repository.getJobExecution(executionId);
            try {
                if (left.getStatus().isRunning()) {
                    LOG.info("Job execution {} was left {}; recovering it", left.getId(), left.getStatus());
                    operator.recover(left);
                } else if (left.getStatus() == BatchStatus.UNKNOWN) {
                    // the database went away while it failed; our data commits with the checkpoint, so it is restartable
                    LOG.info("Job execution {} was left UNKNOWN (its bookkeeping could not be saved); marking it FAILED to restart it",
                            left.getId());
                    UnknownExecutions.markFailed(repository, left);
                }
                return;
            } catch (OptimisticLockingFailureException e) {
                if (attempt == ATTEMPTS) throw e;
                LOG.info("Job execution {} changed while it was recovered (another claim of the run is ending it); reading it again: {}",
                        executionId, e.getMessage());
            }
        }
    }
}
