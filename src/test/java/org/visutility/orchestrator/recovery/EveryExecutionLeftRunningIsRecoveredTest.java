package org.visutility.orchestrator.recovery;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.visutility.orchestrator.experiment.ExperimentSpec;
import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.visutility.orchestrator.experiment.batch.BatchInfrastructure;
import org.visutility.orchestrator.experiment.batch.ExperimentJob;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two claims of one run racing on a node can each start a job execution before the later claim
 * fences the earlier out; a kill then leaves both STARTED. The chaos test found the older one left
 * running for good after the run had succeeded: the next owner recovered only the last execution.
 */
@ExtendWith(PostgresExtension.class)
class EveryExecutionLeftRunningIsRecoveredTest {

    @Test
    void aTakeoverRecoversEveryExecutionOfTheRoundLeftRunningNotOnlyTheLast(TestDatabase db, @TempDir Path home) throws Exception {
        String yaml = Experiments.spec("{type: function, function: sphere}");
        long id = Experiments.queue(db, yaml);
        JobParameters parameters = ExperimentJob.parameters(id, ExperimentSpec.parseYaml(yaml, "test spec"), 0);
        JobRepository repository = BatchInfrastructure.create(db.dataSource()).repository();
        JobInstance instance = repository.createJobInstance(ExperimentJob.JOB_NAME, parameters);
        JobExecution older = started(repository, instance, parameters);
        // Spring Batch refuses a second execution while one runs: the race got past that check
        older.setStatus(BatchStatus.FAILED);
        repository.update(older);
        JobExecution newer = started(repository, instance, parameters);
        db.jdbi().useHandle(h -> h.createUpdate("UPDATE batch.batch_job_execution SET status = 'STARTED', end_time = NULL WHERE job_execution_id = :id")
                .bind("id", older.getId()).execute());

        Experiments.runner(db, home).run(id, false);

        assertThat(Experiments.row(db, id).status()).isEqualTo(ExperimentStatus.SUCCEEDED);
        List<Long> running = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT je.job_execution_id FROM batch.batch_job_execution je
                 WHERE je.job_instance_id = :instance AND je.status IN ('STARTING', 'STARTED', 'STOPPING')""")
                .bind("instance", instance.getInstanceId()).mapTo(Long.class).list());
        assertThat(running).as("executions of experiment %d left running (older %d, newer %d)", id, older.getId(), newer.getId()).isEmpty();
    }

    private static JobExecution started(JobRepository repository, JobInstance instance, JobParameters parameters) throws Exception {
        JobExecution e = repository.createJobExecution(instance, parameters, new ExecutionContext());
        e.setStatus(BatchStatus.STARTED);
        e.setStartTime(LocalDateTime.now());
        repository.update(e);
        return e;
    }
}
