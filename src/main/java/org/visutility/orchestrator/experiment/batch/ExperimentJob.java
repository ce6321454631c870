package org.visutility.orchestrator.experiment.batch;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.visutility.orchestrator.experiment.ExperimentObserver;
import org.visutility.orchestrator.experiment.ExperimentRows;
import org.visutility.orchestrator.experiment.ExperimentSpec;
import org.visutility.orchestrator.experiment.RunControl;
import org.visutility.orchestrator.tuning.pruning.Pruner;
import org.visutility.orchestrator.tuning.pruning.Pruners;
import org.visutility.orchestrator.tuning.strategy.SearchStrategy;
import org.visutility.orchestrator.tuning.strategy.Strategies;
import org.visutility.orchestrator.tuning.trainer.RoundContext;
import org.visutility.orchestrator.tuning.trainer.Trainer;
import org.visutility.orchestrator.tuning.trainer.Trainers;

import java.nio.file.Path;

/**
 * The Spring Batch job of one experiment: prepare → trials → finalize → gate. One job instance per
 * experiment and retry round (identified by experiment_id, and retry_round from round 1 on); every
 * run of it, first or restart, is a new job execution of that instance, and Spring Batch resumes at
 * the step that did not complete, from its last committed checkpoint. A completed instance cannot
 * run again, so ops restart --retry-failed starts the next round: a new instance whose trials step
 * re-runs the failed trials and continues to the budget ({@link TrialsTasklet}).
 */
public final class ExperimentJob {
    public static final String JOB_NAME = "experiment";
    public static final String EXPERIMENT_ID = "experiment_id";
    public static final String SPEC_SHA256 = "spec_sha256";
    public static final String RETRY_ROUND = "retry_round";

    private ExperimentJob() {
    }

    /** The parameters of the experiment's run in round {@code retryRound} (orchestrator.experiment.retry_round). */
    public static JobParameters parameters(long experimentId, ExperimentSpec spec, int retryRound) {
        return identity(experimentId, retryRound).addString(SPEC_SHA256, spec.sha256(), false).toJobParameters();
    }

    /** The identifying parameters alone: they name the round's job instance. */
    public static JobParameters instance(long experimentId, int retryRound) {
        return identity(experimentId, retryRound).toJobParameters();
    }

    private static JobParametersBuilder identity(long experimentId, int retryRound) {
        JobParametersBuilder b = new JobParametersBuilder().addLong(EXPERIMENT_ID, experimentId);
        // round 0 keeps experiment_id alone, so the instances of runs from before rounds existed still match
        if (retryRound > 0) b.addLong(RETRY_ROUND, (long) retryRound);
        return b;
    }

    /**
     * Builds the job for one run: the strategy, trainer and pruner named by the spec (found by
     * name through their ServiceLoader SPIs), bound to this run's claim.
     *
     * @param parallel trials at once when they run on this node: budget.parallel, lowered to the node's max_parallel_trials
     * @param channels this node's trial channels, through which the trials may run across the cluster (the spec's placement)
     */
    public static Job build(BatchInfrastructure batch, RunControl run, ExperimentSpec spec, Path experimentFolder,
                            int parallel, ExperimentObserver observer, java.util.Optional<TrialChannels> channels) {
        SearchStrategy strategy = Strategies.all().find(spec.strategy().name()).orElseThrow()
                .create(spec.strategy().options(), spec.space(), spec.strategy().seed(), spec.objectives().objectives());
        Trainer trainer = Trainers.all().find(spec.trainer().name()).orElseThrow().create(spec.trainer().options(), spec.space());
        Pruner pruner = spec.pruning().map(p -> Pruners.all().find(p.name()).orElseThrow().create(p.options(), spec.objective()))
                .orElse(Pruner.NEVER);

        var jdbi = batch.transactionalJdbi();
        var tm = batch.transactionManager();
        var repository = FencedJobRepository.of(batch.repository(), run);
        RoundContext round = jdbi.withHandle(h -> RoundContextRows.load(h, run.experimentId()));
        TrialsTasklet trials = new TrialsTasklet(run, spec, strategy, trainer, pruner, jdbi,
                experimentFolder.resolve("trials"), parallel, observer, round, batch.checkpointInUnit(), channels);
        Step prepare = new StepBuilder("prepare", repository)
                .tasklet(new PrepareTasklet(run, spec, jdbi, experimentFolder, observer), tm).build();
        Step trialsStep = new StepBuilder("trials", repository).tasklet(trials, tm)
                .listener((StepExecutionListener) new SpecGuard(spec))
                .listener((StepExecutionListener) trials).build();
        Step finalize = new StepBuilder("finalize", repository)
                .tasklet(new FinalizeTasklet(run, spec, jdbi, observer), tm).build();
        Step gate = new StepBuilder("gate", repository)
                .tasklet(new GateTasklet(run, spec, jdbi, experimentFolder, observer), tm).build();
        return new JobBuilder(JOB_NAME, repository)
                .listener(new RecordJobExecution(batch, run))
                .start(prepare).next(trialsStep).next(finalize).next(gate).build();
    }

    /** Every job execution (first run or restart) is noted on the experiment, fenced. */
    private record RecordJobExecution(BatchInfrastructure batch, RunControl run) implements JobExecutionListener {
        @Override
        public void beforeJob(JobExecution jobExecution) {
            boolean ok = batch.transactionalJdbi().withHandle(h ->
                    ExperimentRows.recordJobExecution(h, run.experimentId(), run.version(), jobExecution.getId()));
            if (!ok) throw new LostOwnershipException(run);
        }
    }

    /** A restart replays the spec the run started with, or nothing: the trial numbers and params depend on it. */
    private record SpecGuard(ExperimentSpec spec) implements StepExecutionListener {
        @Override
        public void beforeStep(StepExecution stepExecution) {
            var context = stepExecution.getJobExecution().getExecutionContext();
            if (context.containsKey(PrepareTasklet.SPEC_SHA256)
                    && !spec.sha256().equals(context.getString(PrepareTasklet.SPEC_SHA256))) {
                throw new IllegalStateException("the experiment's spec changed since its run started (sha256 "
                        + context.getString(PrepareTasklet.SPEC_SHA256) + ", now " + spec.sha256() + "); it cannot be resumed");
            }
        }
    }
}
