package org.visutility.orchestrator.experiment.batch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.visutility.orchestrator.experiment.RunControl;
import org.visutility.orchestrator.tuning.trainer.TrainerText;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Optional;
import java.util.Set;

/**
 * The job repository one run writes its Spring Batch bookkeeping through: once the run has lost
 * its experiment to another node (a slow node waking up after it was rescued), its updates of job
 * and step executions are dropped. Without this, Spring Batch would re-read the execution's
 * version and overwrite what the rescuer wrote (the recovered execution's status). Inside a
 * trials unit the step's own update commits with the unit, which the version fence guards already.
 *
 * <p>Exit descriptions are cleaned of control characters on the way ({@link TrainerText}): Spring
 * Batch stores a failure's stack trace there, whose messages may quote a trainer's output, and a
 * NUL in it made the bookkeeping write fail and left the execution unknown, never restartable.
 *
 * <p>A trials unit writes its step's context ({@link CheckpointInUnit}) and its step execution row
 * ({@link StepRowInUnit}) with its trial rows; the repository's writes of the same context and row
 * in the same transaction are then left out.
 */
final class FencedJobRepository {
    private static final Logger LOG = LoggerFactory.getLogger(FencedJobRepository.class);
    /** The repository's writes of existing executions. */
    private static final Set<String> UPDATES = Set.of("update", "updateExecutionContext");

    private FencedJobRepository() {
    }

    static JobRepository of(JobRepository delegate, RunControl run) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (UPDATES.contains(method.getName()) && run.stopReason().equals(Optional.of(RunControl.StopReason.LOST))) {
                LOG.debug("This run lost experiment {}: its Spring Batch {} is not written", run.experimentId(), method.getName());
                return null;
            }
            if ("updateExecutionContext".equals(method.getName()) && args[0] instanceof StepExecution step
                    && CheckpointInUnit.takeWritten(step)) {
                return null; // the trials unit wrote this context with its trial rows, in this transaction
            }
            if ("update".equals(method.getName()) && args[0] instanceof StepExecution step && StepRowInUnit.takeWritten(step)) {
                return null; // the trials unit wrote this row with its trial rows, in this transaction, fenced by its version
            }
            if (UPDATES.contains(method.getName()) || "add".equals(method.getName())) cleanExitDescriptions(args);
            try {
                return method.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (JobRepository) Proxy.newProxyInstance(JobRepository.class.getClassLoader(), new Class<?>[]{JobRepository.class}, handler);
    }

    private static void cleanExitDescriptions(Object[] args) {
        if (args == null) return;
        for (Object arg : args) {
            if (arg instanceof StepExecution step) step.setExitStatus(cleaned(step.getExitStatus()));
            if (arg instanceof JobExecution job) job.setExitStatus(cleaned(job.getExitStatus()));
        }
    }

    private static ExitStatus cleaned(ExitStatus status) {
        if (status == null) return null;
        String description = status.getExitDescription();
        String clean = TrainerText.clean(description);
        return clean == null || clean.equals(description) ? status : new ExitStatus(status.getExitCode(), clean);
    }
}
