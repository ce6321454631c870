package org.visutility.orchestrator.experiment.batch;

import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.visutility.orchestrator.experiment.ExperimentObserver;
import org.visutility.orchestrator.experiment.ExperimentSpec;
import org.visutility.orchestrator.experiment.RunControl;
import org.visutility.orchestrator.experiment.RunProvenance;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The prepare step (runs once per experiment; a restart skips it): proves ownership, records what
 * the run runs with on the experiment row ({@link RunProvenance}), makes the experiment's folder,
 * and records in the job's context which spec the run started with, so that a restart can refuse
 * to replay a different one. Observers hear that the experiment started once this commits.
 */
final class PrepareTasklet implements Tasklet {
    static final String SPEC_SHA256 = "experiment.spec_sha256";
    private static final Logger LOG = LoggerFactory.getLogger(PrepareTasklet.class);

    private final RunControl run;
    private final ExperimentSpec spec;
    private final Jdbi jdbi;
    private final Path folder;
    private final ExperimentObserver observer;

    PrepareTasklet(RunControl run, ExperimentSpec spec, Jdbi jdbi, Path folder, ExperimentObserver observer) {
        this.run = run;
        this.spec = spec;
        this.jdbi = jdbi;
        this.folder = folder;
        this.observer = observer;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
        // taken before the fence locks the row: hashing a large dataset must not hold up the heartbeat
        RunProvenance provenance = RunProvenance.of(spec);
        if (!jdbi.withHandle(h -> TrialRows.fence(h, run.experimentId(), run.version()))) {
            throw new LostOwnershipException(run);
        }
        jdbi.useHandle(h -> provenance.record(h, run.experimentId()));
        AfterCommit.run(() -> observer.experimentStarted(run.experimentId()));
        Files.createDirectories(folder);
        chunkContext.getStepContext().getStepExecution().getJobExecution().getExecutionContext()
                .putString(SPEC_SHA256, spec.sha256());
        LOG.info("Prepared: model {}, {} trials ({} at a time), strategy {}, trainer {}, folder {}", spec.model(),
                spec.budget().trials(), spec.budget().parallel(), spec.strategy().name(), spec.trainer().name(), folder);
        return RepeatStatus.FINISHED;
    }
}
