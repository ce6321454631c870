package org.visutility.orchestrator.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.StepExecution;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.config.Durations;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.config.RescueAction;
import org.visutility.orchestrator.experiment.batch.BatchInfrastructure;
import org.visutility.orchestrator.experiment.batch.ExperimentJob;
import org.visutility.orchestrator.experiment.batch.TrialChannels;
import org.visutility.orchestrator.experiment.batch.LeftExecutions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs one experiment on this node, whoever queued it: claims it (or, for a run whose node died,
 * takes it over once its heartbeat is stale), runs or restarts its Spring Batch job while
 * heart-beating, and settles the experiment's status from how the job ended. Every write is fenced
 * by the version the claim returned.
 */
public final class ExperimentRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ExperimentRunner.class);

    private final Jdbi jdbi;
    private final BatchInfrastructure batch;
    private final OrchestratorConfig config;
    private final String owner;
    private final ExperimentObserver observer;
    private final Map<Long, RunControl> active = new ConcurrentHashMap<>();
    private final Optional<TrialChannels> channels;

    /** A runner whose trials always run on this node. */
    public ExperimentRunner(Jdbi jdbi, BatchInfrastructure batch, OrchestratorConfig config, String owner,
                            ExperimentObserver observer) {
        this(jdbi, batch, config, owner, observer, Optional.empty());
    }

    /** A runner that sends its runs' trials through {@code channels} to the cluster's trial workers, as their specs' placement says. */
    public ExperimentRunner(Jdbi jdbi, BatchInfrastructure batch, OrchestratorConfig config, String owner,
                            ExperimentObserver observer, Optional<TrialChannels> channels) {
        this.channels = channels;
        this.jdbi = jdbi;
        this.batch = batch;
        this.config = config;
        this.owner = owner;
        this.observer = observer;
    }

    public String owner() {
        return owner;
    }

    /**
     * Runs the experiment if it is queued; with {@code recovering} (Quartz re-fired the job of a
     * node that died) also takes a running one over, once its owner has been silent for
     * {@link StuckRuns#staleAfter} (rescue_action RECOVER_AND_RESTART, fewer than rescue_max_attempts rescues).
     * Returns when the run ended here (or there was nothing to run).
     */
    public void run(long experimentId, boolean recovering) {
        MDC.put("experiment", Long.toString(experimentId));
        try {
            Optional<RunControl> claimed = claim(experimentId, recovering);
            if (claimed.isEmpty()) return;
            RunControl run = claimed.get();
            active.put(experimentId, run);
            try {
                execute(run);
            } finally {
                active.remove(experimentId);
            }
        } finally {
            // Quartz reuses this thread for other jobs: leave no experiment or model behind in its MDC
            MDC.remove("experiment");
            MDC.remove("model");
        }
    }

    /** Asks every run on this node to hand its experiment back (node shutdown). */
    public void stopAll() {
        active.values().forEach(r -> r.stop(RunControl.StopReason.SHUTDOWN));
    }

    /** Whether this node runs experiment {@code id} now (its trial folders are in use). */
    boolean runs(long id) {
        return active.containsKey(id);
    }

    public int activeRuns() {
        return active.size();
    }

    private Optional<RunControl> claim(long id, boolean recovering) {
        Duration silence = StuckRuns.staleAfter(config);
        Duration patience = silence.plus(config.heartbeatInterval().multipliedBy(3));
        long giveUpAt = System.nanoTime() + patience.toNanos();
        while (true) {
            Optional<ExperimentRow> row = jdbi.withHandle(h -> ExperimentRows.find(h, id));
            if (row.isEmpty()) {
                LOG.warn("No experiment {}; nothing to run", id);
                return Optional.empty();
            }
            ExperimentRow r = row.get();
            MDC.put("model", r.model());
            if (ExperimentStatus.QUEUED == r.status()) {
                Optional<ExperimentRows.Claim> c = jdbi.withHandle(h -> ExperimentRows.claim(h, id, owner));
                if (c.isPresent()) {
                    LOG.info("Claimed the experiment (attempt {})", c.get().attempt());
                    return Optional.of(new RunControl(id, owner, c.get()));
                }
                continue; // someone changed it meanwhile; look again
            }
            if (ExperimentStatus.RUNNING != r.status() || !recovering) {
                LOG.info("Experiment is {}; nothing to run here", r.status());
                return Optional.empty();
            }
            if (config.rescueAction() != RescueAction.RECOVER_AND_RESTART) {
                // rescue_action MARK_FAILED: the clustered rescuer marks the run failed once its owner is gone
                LOG.info("The run's node is gone; rescue_action is {}, so the rescuer settles it", config.rescueAction());
                return Optional.empty();
            }
            Optional<ExperimentRows.Claim> c = jdbi.withHandle(h ->
                    ExperimentRows.takeOver(h, id, owner, r.version(), silence, config.rescueMaxAttempts()));
            if (c.isPresent()) {
                LOG.warn("Took over the experiment from {} (silent for over {}); attempt {}", r.owner().orElse("?"),
                        Durations.format(silence), c.get().attempt());
                return Optional.of(new RunControl(id, owner, c.get()));
            }
            if (System.nanoTime() - giveUpAt > 0) {
                LOG.info("Not taken over: the owner {} keeps its heartbeat (it lives, so it keeps the experiment),"
                        + " or the run was rescued rescue_max_attempts times (the rescuer marks it failed)", r.owner().orElse("?"));
                return Optional.empty();
            }
            sleep(config.heartbeatInterval());
        }
    }

    private void execute(RunControl run) {
        long id = run.experimentId();
        ExperimentRow row = jdbi.withHandle(h -> ExperimentRows.find(h, id)).orElseThrow();
        ExperimentSpec spec;
        try {
            spec = ExperimentSpec.parse(Json.MAPPER.readTree(row.specJson()), "experiment " + id);
        } catch (InvalidSpecException | JsonProcessingException e) {
            // a spec queued by a policy or an older version that does not hold: fail it, saying why
            finish(run, ExperimentStatus.FAILED, e.getMessage());
            return;
        }
        JobExecution execution;
        try (Heartbeat ignored = Heartbeat.start(jdbi, run, config.heartbeatInterval())) {
            execution = launch(run, spec, row.retryRound());
        } catch (Exception e) {
            LOG.error("The experiment's job could not run: {}", e.toString());
            finish(run, ExperimentStatus.FAILED, "the job could not run: " + e.getMessage());
            return;
        }
        settle(run, execution);
    }

    private JobExecution launch(RunControl run, ExperimentSpec spec, int retryRound) throws Exception {
        JobParameters parameters = ExperimentJob.parameters(run.experimentId(), spec, retryRound);
        // Every execution of this round left running or UNKNOWN, not only the last: two claims of one
        // run racing on a node (the later one fences the earlier out) can each start an execution,
        // and a kill then leaves the older one STARTED behind the newer one.
        JobInstance instance = batch.repository().getJobInstance(ExperimentJob.JOB_NAME, parameters);
        LeftExecutions.recover(batch.repository(), batch.operator(), instance);
        int parallel = Math.min(spec.budget().parallel(), config.maxParallelTrials());
        Path folder = config.home().resolve("experiments").resolve(Long.toString(run.experimentId()));
        Job job = ExperimentJob.build(batch, run, spec, folder, parallel, observer, channels);
        JobExecution execution = batch.operator().start(job, parameters);
        LOG.info("Job execution {} ended {}", execution.getId(), execution.getStatus());
        return execution;
    }

    /** Sets the experiment's status from how its job ended, unless the run already did or lost it. */
    private void settle(RunControl run, JobExecution execution) {
        long id = run.experimentId();
        ExperimentRow now = jdbi.withHandle(h -> ExperimentRows.find(h, id)).orElseThrow();
        if (ExperimentStatus.CANCELLED == now.status()) {
            int stopped = jdbi.withHandle(h -> ExperimentRows.stopOpenTrialsOfCancelled(h, id, "stopped: the experiment was cancelled"));
            abandon(execution);
            LOG.info("Experiment cancelled; {} open trials stopped", stopped);
            observer.experimentEnded(id, ExperimentStatus.CANCELLED);
            return;
        }
        if (ExperimentStatus.RUNNING != now.status() || now.version() != run.version()) {
            return; // finished by the job itself, or no longer ours
        }
        BatchStatus status = execution.getStatus();
        if (status == BatchStatus.STOPPED && run.stopReason().orElse(null) == RunControl.StopReason.SHUTDOWN) {
            if (jdbi.withHandle(h -> ExperimentRows.release(h, id, run.version()))) {
                LOG.info("Experiment handed back to the queue; it resumes from trial checkpoint on the next node");
            }
            return;
        }
        String error = status == BatchStatus.COMPLETED
                ? "the job completed without deciding the experiment" : failureOf(execution);
        finish(run, ExperimentStatus.FAILED, error);
    }

    private void finish(RunControl run, ExperimentStatus status, String error) {
        if (jdbi.withHandle(h -> ExperimentRows.finish(h, run.experimentId(), run.version(), status, error))) {
            LOG.warn("Experiment {}: {}", status, error);
            observer.experimentEnded(run.experimentId(), status);
        }
    }

    private void abandon(JobExecution execution) {
        try {
            if (!execution.getStatus().isRunning() && execution.getStatus() != BatchStatus.COMPLETED) {
                batch.operator().abandon(execution);
            }
        } catch (Exception e) {
            LOG.debug("Could not abandon job execution {}: {}", execution.getId(), e.getMessage());
        }
    }

    private static String failureOf(JobExecution execution) {
        for (StepExecution step : execution.getStepExecutions()) {
            if (!step.getFailureExceptions().isEmpty()) {
                Throwable t = step.getFailureExceptions().get(0);
                return "step " + step.getStepName() + " failed: " + (t.getMessage() == null ? t.toString() : t.getMessage());
            }
        }
        if (!execution.getAllFailureExceptions().isEmpty()) {
            Throwable t = execution.getAllFailureExceptions().get(0);
            return t.getMessage() == null ? t.toString() : t.getMessage();
        }
        return "the job ended " + execution.getStatus() + " (" + execution.getExitStatus().getExitDescription() + ")";
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the owner's heartbeat", e);
        }
    }
}
