package org.visutility.orchestrator.experiment.batch;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.dao.OptimisticLockingFailureException;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.LocalDateTime;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A node that takes a run over recovers the job execution the run's earlier claim left running. When
 * that earlier claim (a thread fenced out on the same node, or a slow node) writes the same execution
 * between the recovery's read and its write, Spring Batch's version check refuses the recovery. The
 * run must not fail for it ("the job could not run: Attempt to update step execution ... with wrong
 * version"): the execution is read again and recovered from its new version, or left alone if the
 * other claim already ended it.
 */
@ExtendWith(PostgresExtension.class)
class RecoveryReadsAgainWhenAnotherClaimMovesTheExecutionTest {
    /** The class shares one database: each test its own job instance. */
    private static final AtomicLong EXPERIMENTS = new AtomicLong();
    private JobRepository repository;
    private JobOperator operator;
    private JobInstance instance;
    private long executionId;

    @BeforeEach
    void aJobExecutionWasLeftRunningWithItsStep(TestDatabase db) {
        BatchInfrastructure batch = BatchInfrastructure.create(db.dataSource());
        repository = batch.repository();
        operator = batch.operator();
        JobParameters parameters = new JobParametersBuilder().addLong("experiment_id", EXPERIMENTS.incrementAndGet()).toJobParameters();
        instance = repository.createJobInstance(ExperimentJob.JOB_NAME, parameters);
        JobExecution execution = repository.createJobExecution(instance, parameters, new ExecutionContext());
        execution.setStatus(BatchStatus.STARTED);
        execution.setStartTime(LocalDateTime.now());
        repository.update(execution);
        StepExecution step = repository.createStepExecution("trials", execution);
        step.setStatus(BatchStatus.STARTED);
        step.setStartTime(LocalDateTime.now());
        repository.update(step);
        executionId = execution.getId();
    }

    @Test
    void theConflictIsRealWithoutReadingAgain() {
        JobExecution stale = repository.getJobExecution(executionId);
        otherClaimWritesTheStep(BatchStatus.STARTED);
        assertThatThrownBy(() -> operator.recover(stale)).isInstanceOf(OptimisticLockingFailureException.class);
    }

    @Test
    void anExecutionTheOtherClaimEndedMeanwhileIsLeftAsItEnded() {
        AtomicInteger recoveries = new AtomicInteger();
        LeftExecutions.recover(repository, racing(recoveries, () -> otherClaimEnds()), instance);

        JobExecution after = repository.getJobExecution(executionId);
        assertThat(after.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(after.getStepExecutions()).allSatisfy(s -> assertThat(s.getStatus()).isEqualTo(BatchStatus.FAILED));
        assertThat(recoveries).as("one recovery refused, then nothing left to recover").hasValue(1);
    }

    @Test
    void anExecutionStillRunningAfterTheOtherWriteIsRecoveredFromItsNewVersion() {
        AtomicInteger recoveries = new AtomicInteger();
        LeftExecutions.recover(repository, racing(recoveries, () -> otherClaimWritesTheStep(BatchStatus.STARTED)), instance);

        JobExecution after = repository.getJobExecution(executionId);
        assertThat(after.getStatus().isRunning()).as("recovered, so restartable").isFalse();
        assertThat(after.getStepExecutions()).allSatisfy(s -> assertThat(s.getStatus().isRunning()).isFalse());
        assertThat(recoveries).as("the refused recovery and the one from the new version").hasValue(2);
    }

    @Test
    void aRowThatMovesUnderEveryRecoveryIsGivenUpOnWithTheConflict() {
        AtomicInteger recoveries = new AtomicInteger();
        JobOperator alwaysRacing = racing(recoveries, Integer.MAX_VALUE, () -> otherClaimWritesTheStep(BatchStatus.STARTED));
        assertThatThrownBy(() -> LeftExecutions.recover(repository, alwaysRacing, instance))
                .isInstanceOf(OptimisticLockingFailureException.class);
        assertThat(recoveries).hasValue(LeftExecutions.ATTEMPTS);
    }

    /** The other claim writes the step (as its trials step would, version bumped), leaving it {@code status}. */
    private void otherClaimWritesTheStep(BatchStatus status) {
        StepExecution step = repository.getJobExecution(executionId).getStepExecutions().iterator().next();
        step.setStatus(status);
        step.setCommitCount(step.getCommitCount() + 1);
        repository.update(step);
    }

    /** The other claim's job ends: its step and execution marked failed. */
    private void otherClaimEnds() {
        UnknownExecutions.markFailed(repository, repository.getJobExecution(executionId));
    }

    private JobOperator racing(AtomicInteger recoveries, Runnable otherWrite) {
        return racing(recoveries, 1, otherWrite);
    }

    /** The real operator, with {@code otherWrite} run just before each of the first {@code races} recoveries reach the database. */
    private JobOperator racing(AtomicInteger recoveries, int races, Runnable otherWrite) {
        return (JobOperator) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {JobOperator.class}, (proxy, method, args) -> {
            if (method.getName().equals("recover") && recoveries.incrementAndGet() <= races) otherWrite.run();
            try {
                return method.invoke(operator, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }
}
