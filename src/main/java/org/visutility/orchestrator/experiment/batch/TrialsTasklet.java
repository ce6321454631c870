package org.visutility.orchestrator.experiment.batch;

import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.visutility.orchestrator.config.Durations;
import org.visutility.orchestrator.experiment.ExperimentObserver;
import org.visutility.orchestrator.experiment.ExperimentRows;
import org.visutility.orchestrator.experiment.ExperimentStatus;
import org.visutility.orchestrator.experiment.ExperimentSpec;
import org.visutility.orchestrator.experiment.RunControl;
import org.visutility.orchestrator.tuning.FinishedTrial;
import org.visutility.orchestrator.tuning.Params;
import org.visutility.orchestrator.tuning.RunningTrial;
import org.visutility.orchestrator.tuning.TrialStatus;
import org.visutility.orchestrator.tuning.pruning.Pruner;
import org.visutility.orchestrator.tuning.strategy.SearchStrategy;
import org.visutility.orchestrator.tuning.strategy.Strategies;
import org.visutility.orchestrator.tuning.strategy.StrategyProvider;
import org.visutility.orchestrator.tuning.strategy.WarmStartUse;
import org.visutility.orchestrator.tuning.strategy.WarmStartedStrategy;
import org.visutility.orchestrator.tuning.trainer.RoundContext;
import org.visutility.orchestrator.tuning.trainer.Trainer;
import org.visutility.orchestrator.tuning.trainer.TrialResult;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The trials step. Each call of {@link #execute} is one transaction of the step (Spring Batch
 * commits the step's checkpoint with it): it waits for the next trial to end, records it, proposes
 * the trials that refill the parallel budget (their rows committed as running before their
 * trainers start), and saves the checkpoint. Nothing else is held between calls but the running
 * trainers, so a crash loses only trials in flight, and those re-run with their attempt raised.
 *
 * <p>A restart (a new step execution of the same job instance) loads the finished trials from
 * the table, takes the next trial number from the checkpoint, and re-opens the trials left
 * running: they run again with the same parameters, attempt + 1.
 *
 * <p>A retry round (ops restart --retry-failed: a new job instance, job parameter retry_round > 0)
 * starts with no checkpoint: it takes the next number from the table, and the trials that failed in
 * the rounds before run again first, each with its number and parameters, attempt + 1, as the
 * parallel budget allows; then it continues to the budget. Those failures count no more: max_failed
 * counts the failures of this round, and budget.timeout runs from this round's start. The numbers
 * still to re-run are part of the checkpoint, so a crash in the round neither loses nor repeats one.
 */
final class TrialsTasklet implements Tasklet, StepExecutionListener {
    private static final Logger LOG = LoggerFactory.getLogger(TrialsTasklet.class);
    /** How often the step looks at the stop signal and the clock while trials run. */
    private static final long POLL_MS = 50;
    /** How long stopped trainers may take to return. */
    private static final long STOP_WAIT_MS = 30_000;

    static final String NEXT = "trials.next";
    static final String COMPLETE = "trials.complete";
    static final String FAILED = "trials.failed";
    static final String PRUNED = "trials.pruned";
    static final String BEST_NUMBER = "trials.best_number";
    static final String BEST_SCORE = "trials.best_score";
    /** A retry round's failed trials of earlier rounds that have not run again yet (numbers, comma-separated). */
    static final String RETRY = "trials.retry";
    /** When a retry round started (epoch milliseconds): its budget.timeout runs from there. */
    static final String ROUND_STARTED_AT = "trials.round_started_at";

    private enum Verdict { GOAL_REACHED, TIMED_OUT, TOO_MANY_FAILED }

    private record Pending(int number, Params params, int attempt) {
    }

    private record InFlight(Pending trial, AtomicBoolean stop) {
    }

    private final RunControl run;
    private final ExperimentSpec spec;
    /** The spec's strategy; wrapped in beforeStep when a warm start gives it earlier trials to learn from. */
    private SearchStrategy strategy;
    private final RoundContext round;
    /** The serving version's hyperparameters, proposed as trial 0 of a warm-started round when they fit. */
    private Optional<Params> baseline = Optional.empty();
    private final Jdbi jdbi;
    private final ExperimentObserver observer;
    /** Trials at once: budget.parallel lowered to the node's max_parallel_trials when they run here, budget.parallel across the cluster. */
    private int parallel;
    private final int localParallel;
    /** This node's ends of the trial channels; empty where the trials can only run here. */
    private final Optional<TrialChannels> channels;
    private final History history = new History();
    private final TrialLauncher launcher;
    /** This unit's fence, outcomes and proposals, sent as one statement before its checkpoint. */
    private final UnitWrites writes;
    private final CheckpointInUnit checkpoints;
    private final Deque<Pending> pending = new ArrayDeque<>();
    private final Map<Integer, InFlight> inFlight = new LinkedHashMap<>();
    /** Failed trials of earlier rounds waiting to run again, by number (a retry round only). */
    private final Map<Integer, Params> retries = new LinkedHashMap<>();
    private long retryRound;
    private Instant roundStartedAt;
    private Optional<Instant> deadline = Optional.empty();
    private TrialExecution trials;
    /** Attempts found lost while waiting (their worker's node gone, or given back): they run again in the next unit. */
    private final List<TrialExecution.Lost> lost = new ArrayList<>();
    private boolean reopened;
    private boolean exhausted;
    private Verdict verdict;
    private int next;
    private int complete;
    private int failed;
    private int pruned;
    private OptionalInt bestNumber = OptionalInt.empty();
    private OptionalDouble bestScore = OptionalDouble.empty();

    TrialsTasklet(RunControl run, ExperimentSpec spec, SearchStrategy strategy, Trainer trainer, Pruner pruner, Jdbi jdbi,
                  Path trialsFolder, int parallel, ExperimentObserver observer, RoundContext round, CheckpointInUnit checkpoints,
                  Optional<TrialChannels> channels) {
        this.run = run;
        this.spec = spec;
        this.strategy = strategy;
        this.round = round;
        this.jdbi = jdbi;
        this.observer = observer;
        this.parallel = parallel;
        this.localParallel = parallel;
        this.channels = channels;
        this.writes = new UnitWrites(jdbi, run);
        this.checkpoints = checkpoints;
        this.launcher = new TrialLauncher(run.experimentId(), spec.objective(), trainer, pruner, history,
                new ExcludedTrials(jdbi, run.experimentId(), ExcludedTrials.REFRESH), round, trialsFolder, run::stopRequested);
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        long id = run.experimentId();
        ExecutionContext checkpoint = stepExecution.getExecutionContext();
        retryRound = stepExecution.getJobParameters().getLong(ExperimentJob.RETRY_ROUND, 0L);
        boolean roundStarts = retryRound > 0 && !checkpoint.containsKey(NEXT);
        List<FinishedTrial> finished = jdbi.withHandle(h -> TrialRows.finished(h, id));
        Set<Integer> toRetry = roundStarts ? failedNumbers(finished) : savedRetries(checkpoint);
        for (FinishedTrial t : finished) {
            // a trial about to run again is not a finished one for the strategy, nor a failure of this round
            if (toRetry.contains(t.number())) retries.put(t.number(), t.params());
            else remember(t);
        }
        OptionalInt highest = jdbi.withHandle(h -> TrialRows.highestNumber(h, id));
        if (roundStarts) {
            next = highest.isPresent() ? highest.getAsInt() + 1 : 0;
            roundStartedAt = Instant.now();
            LOG.info("Retry round {} starts: failed trials {} run again, then new trials from {} up to the budget of {}",
                    retryRound, retries.keySet(), next, spec.budget().trials());
        } else {
            next = checkpoint.containsKey(NEXT) ? checkpoint.getInt(NEXT) : 0;
            if (highest.isPresent() && highest.getAsInt() >= next) {
                // the trial rows and the checkpoint commit together; this cannot happen unless someone edited them
                throw new IllegalStateException("experiment " + id + ": the checkpoint says the next trial is " + next
                        + " but trial " + highest.getAsInt() + " is recorded");
            }
            roundStartedAt = checkpoint.containsKey(ROUND_STARTED_AT)
                    ? Instant.ofEpochMilli(checkpoint.getLong(ROUND_STARTED_AT)) : run.startedAt();
        }
        deadline = spec.budget().timeout().map(roundStartedAt::plus);
        warmStart(retryRound == 0 && next == 0 && highest.isEmpty());
        if (acrossTheCluster()) {
            parallel = spec.budget().parallel();
            trials = new ClusterTrials(id, run.owner(), run.version(), channels.orElseThrow());
            LOG.info("Trials run across the cluster's trial workers, {} at once (placement {})", parallel, spec.placement().spelling());
        } else {
            parallel = localParallel;
            trials = new LocalTrials(id, launcher, parallel);
        }
        LOG.info("Trials step starts at trial {} ({} finished: {} complete, {} failed, {} pruned)", next, finished.size(),
                complete, failed, pruned);
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
        StepExecution step = chunkContext.getStepContext().getStepExecution();
        startPending();
        if (!reopened) {
            // first unit of this step execution: trials left running by a crash or a stop run again
            fence();
            writes.flush();
            for (TrialRows.OpenTrial t : jdbi.withHandle(h -> TrialRows.reopen(h, run.experimentId(), run.owner()))) {
                LOG.info("Trial {} was interrupted; running it again (attempt {})", t.number(), t.attempt());
                pending.add(new Pending(t.number(), t.params(), t.attempt()));
            }
            reopened = true;
            propose();
            return checkpoint(step);
        }
        if (inFlight.isEmpty()) {
            propose();
            if (pending.isEmpty()) {
                checkpoint(step);
                return RepeatStatus.FINISHED;
            }
            fence();
            return checkpoint(step);
        }

        TrialLauncher.Done done = awaitNext();
        if (done == null && !lost.isEmpty() && !run.stopRequested()) {
            runLostAgain();
            propose();
            return checkpoint(step);
        }
        List<TrialLauncher.Done> ended = new ArrayList<>();
        if (done != null) ended.add(done);
        if (run.stopRequested()) return stopRun(step, ended);
        if (done == null) {
            verdict = Verdict.TIMED_OUT;
            ended.addAll(stopAll());
        }

        fence();
        String stopReason = verdict == Verdict.TIMED_OUT
                ? "stopped: budget.timeout (" + Durations.format(spec.budget().timeout().orElseThrow()) + ") ran out" : null;
        for (TrialLauncher.Done d : ended) record(d, stopReason);
        if (verdict == Verdict.TIMED_OUT) LOG.info("budget.timeout ran out after {} trials", complete + failed + pruned);
        if (verdict == null && spec.budget().maxFailed().isPresent() && failed >= spec.budget().maxFailed().getAsInt()) {
            failExperiment();
        }
        propose();
        return checkpoint(step);
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        inFlight.values().forEach(f -> f.stop().set(true));
        if (trials != null) trials.close();
        return stepExecution.getExitStatus();
    }

    /** placement: local keeps the trials here, cluster sends them out, auto does when another node is alive. */
    private boolean acrossTheCluster() {
        if (channels.isEmpty()) return false;
        return switch (spec.placement()) {
            case LOCAL -> false;
            case CLUSTER -> true;
            case AUTO -> jdbi.withHandle(h -> TrialRows.liveNodes(h)) > 1;
        };
    }

    /**
     * Seeds the strategy with the recorded earlier trials (recorded now on the first start, read back on
     * a restart, so both give the strategy the same ones) and takes the baseline first trial.
     */
    private void warmStart(boolean freshStart) {
        if (spec.strategy().warmStart().isEmpty()) return;
        WarmStartUse use = Strategies.all().find(spec.strategy().name()).map(StrategyProvider::warmStartUse).orElse(WarmStartUse.IGNORES);
        WarmStartSeeds.Seeding seeding = WarmStartSeeds.load(jdbi, run.experimentId(), spec, use, round, freshStart);
        if (use == WarmStartUse.LEARNS && !seeding.prior().isEmpty()) strategy = new WarmStartedStrategy(strategy, seeding.prior());
        baseline = seeding.baseline();
        LOG.info("Warm start: {} earlier trial(s) seed strategy {}; {}", seeding.prior().size(), spec.strategy().name(),
                baseline.map(b -> "trial " + WarmStartSeeds.BASELINE_NUMBER + " is the serving version's hyperparameters " + b)
                        .orElse("no baseline trial"));
    }

    /** Starts the trainers of the trials whose running rows are committed. */
    private void startPending() {
        while (!pending.isEmpty()) {
            Pending p = pending.removeFirst();
            AtomicBoolean stop = new AtomicBoolean();
            inFlight.put(p.number(), new InFlight(p, stop));
            trials.start(p.number(), p.attempt(), p.params(), stop);
        }
    }

    /**
     * Fills the parallel budget: first with failed trials of earlier rounds that run again (a retry
     * round), then with new proposals until the trial budget is spent or the strategy has nothing left.
     */
    private void propose() {
        while (verdict == null && inFlight.size() + pending.size() < parallel && !retries.isEmpty() && !deadlinePassed()) {
            retryNext();
        }
        while (!exhausted && verdict == null && inFlight.size() + pending.size() < parallel && next < spec.budget().trials()
                && !deadlinePassed()) {
            // the baseline is trial 0 of a warm-started round: today's measurement of what serves now
            Optional<Params> params = next == WarmStartSeeds.BASELINE_NUMBER && baseline.isPresent()
                    ? baseline : strategy.suggest(next, history.view(), running());
            if (params.isEmpty()) {
                exhausted = true;
                LOG.info("Strategy {} has nothing more to propose after {} trials", spec.strategy().name(), next);
                break;
            }
            writes.open(next, params.get());
            pending.add(new Pending(next, params.get(), 1));
            next++;
        }
    }

    /** Re-opens the next failed trial of an earlier round (committed with this unit's checkpoint). */
    private void retryNext() {
        int number = retries.keySet().iterator().next();
        retries.remove(number);
        writes.flush();
        Optional<TrialRows.OpenTrial> reopened = jdbi.withHandle(h -> TrialRows.retryFailed(h, run.experimentId(), number, run.owner()));
        if (reopened.isEmpty()) {
            LOG.warn("Trial {} is no longer failed; not running it again", number);
            return;
        }
        TrialRows.OpenTrial t = reopened.get();
        LOG.info("Trial {} failed in an earlier round; running it again (attempt {})", t.number(), t.attempt());
        pending.add(new Pending(t.number(), t.params(), t.attempt()));
    }

    /** The trials proposed and not ended: in flight, committed but not started yet, and failed ones about to run again. */
    private List<RunningTrial> running() {
        List<RunningTrial> running = new ArrayList<>(inFlight.size() + pending.size() + retries.size());
        inFlight.values().forEach(f -> running.add(new RunningTrial(f.trial().number(), f.trial().params())));
        pending.forEach(p -> running.add(new RunningTrial(p.number(), p.params())));
        retries.forEach((number, params) -> running.add(new RunningTrial(number, params)));
        return running;
    }

    /**
     * Waits for a trial to end; null when the run must stop, the experiment's time ran out, or attempts
     * were found lost (in {@link #lost}).
     */
    private TrialLauncher.Done awaitNext() throws Exception {
        while (true) {
            TrialLauncher.Done done = trials.poll(POLL_MS);
            if (done != null) return take(done);
            if (run.stopRequested() || deadlinePassed()) return null;
            lost.addAll(trials.lost());
            if (!lost.isEmpty()) return null;
        }
    }

    private TrialLauncher.Done take(TrialLauncher.Done done) {
        inFlight.remove(done.number());
        return done;
    }

    /**
     * The lost attempts run again, attempt + 1, committed with this unit before they are sent again (the
     * trigger on orchestrator.trial closes the lost attempt as interrupted). A trial is still one row,
     * recorded once, whichever node ends it.
     */
    private void runLostAgain() {
        fence();
        writes.flush();
        for (TrialExecution.Lost l : lost) {
            InFlight was = inFlight.remove(l.number());
            Optional<TrialRows.OpenTrial> again = jdbi.withHandle(h -> TrialRows.runAgain(h, run.experimentId(), l.number(), l.attempt(), run.owner()));
            if (again.isEmpty() || was == null) {
                LOG.warn("Trial {} attempt {} was lost ({}) but is no longer running; left as it is", l.number(), l.attempt(), l.why());
                continue;
            }
            TrialRows.OpenTrial t = again.get();
            LOG.warn("Trial {} attempt {}: {}; running it again (attempt {})", l.number(), l.attempt(), l.why(), t.attempt());
            pending.add(new Pending(t.number(), t.params(), t.attempt()));
        }
        lost.clear();
    }

    /**
     * Stops every running trainer and collects what they return. Trials on other nodes are not waited
     * for: they end as stopped here (their workers see the row closed, or left open for a restart, and stop).
     */
    private List<TrialLauncher.Done> stopAll() throws Exception {
        inFlight.values().forEach(f -> f.stop().set(true));
        List<TrialLauncher.Done> ended = new ArrayList<>();
        if (trials.remote()) {
            for (InFlight f : inFlight.values()) {
                ended.add(new TrialLauncher.Done(f.trial().number(), f.trial().attempt(), f.trial().params(),
                        TrialResult.stopped("stopped by its run"), List.of(), java.time.Duration.ZERO));
            }
            inFlight.clear();
            return ended;
        }
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MS);
        while (!inFlight.isEmpty() && System.nanoTime() - until < 0) {
            TrialLauncher.Done done = trials.poll(POLL_MS);
            if (done != null) ended.add(take(done));
        }
        if (!inFlight.isEmpty()) LOG.warn("Trials {} did not stop within {} ms", inFlight.keySet(), STOP_WAIT_MS);
        return ended;
    }

    /** Cancelled, taken over, or the node stops; {@code ended} are trials that returned meanwhile. */
    private RepeatStatus stopRun(StepExecution step, List<TrialLauncher.Done> ended) throws Exception {
        RunControl.StopReason reason = run.stopReason().orElseThrow();
        ended.addAll(stopAll());
        switch (reason) {
            case LOST -> throw new LostOwnershipException(run);
            case CANCELLED -> LOG.info("Experiment cancelled: its trainers are stopped");
            case SHUTDOWN -> {
                // hand over cleanly: trials that ended are recorded, the ones stopped stay open and re-run on restart
                fence();
                for (TrialLauncher.Done d : ended) {
                    if (d.result().outcome() != TrialResult.Outcome.STOPPED) record(d, null);
                }
                LOG.info("Node stopping: trials step stops at trial {}; open trials will run again", next);
            }
        }
        step.setTerminateOnly();
        return checkpoint(step);
    }

    /** max_failed reached: the trials in flight are stopped and the experiment fails, with this unit's commit. */
    private void failExperiment() throws Exception {
        verdict = Verdict.TOO_MANY_FAILED;
        String reason = failed + " trials failed, budget.max_failed is " + spec.budget().maxFailed().getAsInt();
        for (TrialLauncher.Done d : stopAll()) record(d, "stopped: " + reason);
        writes.flush();
        jdbi.useHandle(h -> TrialRows.stopOpen(h, run.experimentId(), "stopped: " + reason));
        if (!jdbi.withHandle(h -> ExperimentRows.finish(h, run.experimentId(), run.version(), ExperimentStatus.FAILED, reason))) {
            throw new LostOwnershipException(run);
        }
        AfterCommit.run(() -> observer.experimentEnded(run.experimentId(), ExperimentStatus.FAILED));
        LOG.warn("Experiment fails: {}", reason);
    }

    private void record(TrialLauncher.Done d, String stopReason) {
        TrialJudge.Verdict v = TrialJudge.judge(d.result(), spec.objectives(), stopReason);
        // written with the unit's other writes before its checkpoint; a refusal fails the unit whole
        writes.finish(d.number(), v.status(), v.score(), v.metrics(), d.reports(), v.artifactUri(), v.error(), v.references());
        remember(new FinishedTrial(d.number(), d.params(), v.status(), v.score(), d.reports(), v.metrics()));
        if (v.status() == TrialStatus.FAILED) LOG.info("Trial {} failed: {}", d.number(), firstLine(v.error()));
        if (verdict == null && v.score().isPresent() && spec.budget().goal().isPresent()
                && spec.objective().direction().reaches(v.score().getAsDouble(), spec.budget().goal().getAsDouble())) {
            verdict = Verdict.GOAL_REACHED;
            LOG.info("Trial {} reached the goal {} with {}", d.number(), spec.budget().goal().getAsDouble(), v.score().getAsDouble());
        }
        AfterCommit.run(() -> observer.trialEnded(run.experimentId(), d.number(), v.status(), v.score(), d.took()));
    }

    private void remember(FinishedTrial t) {
        history.append(t);
        switch (t.status()) {
            case COMPLETE -> complete++;
            case FAILED -> failed++;
            case PRUNED -> pruned++;
            default -> {
            }
        }
        if (t.isComplete() && (bestScore.isEmpty()
                || spec.objective().direction().better(t.score().getAsDouble(), bestScore.getAsDouble()))) {
            bestScore = t.score();
            bestNumber = OptionalInt.of(t.number());
        }
    }

    /** The unit proves the run still owns the experiment: the first of its writes, checked when they are flushed. */
    private void fence() {
        writes.fence();
    }

    /** Writes the unit's trial rows and the checkpoint (committed together) and says whether the step is done. */
    private RepeatStatus checkpoint(StepExecution step) {
        ExecutionContext c = step.getExecutionContext();
        // kept to put back if the writes fail: Spring Batch stores the step's context once more when the step
        // fails, and that must be the last committed checkpoint, not this unit's rolled-back one
        ExecutionContext committed = new ExecutionContext(c);
        c.putInt(NEXT, next);
        c.putInt(COMPLETE, complete);
        c.putInt(FAILED, failed);
        c.putInt(PRUNED, pruned);
        bestNumber.ifPresent(n -> c.putInt(BEST_NUMBER, n));
        bestScore.ifPresent(s -> c.putDouble(BEST_SCORE, s));
        if (retryRound > 0) {
            c.putString(RETRY, String.join(",", retries.keySet().stream().map(String::valueOf).toList()));
            c.putLong(ROUND_STARTED_AT, roundStartedAt.toEpochMilli());
        }
        // the checkpoint and the step's row ride with the unit's trial writes (one statement); alone, Spring Batch writes them
        try {
            if (writes.pending()) writes.checkpoint(checkpoints.serialize(step), StepRowInUnit.Row.afterThisUnit(step));
            writes.flushAndCommit();
        } catch (RuntimeException e) {
            restore(c, committed);
            throw e;
        }
        boolean done = verdict != null && verdict != Verdict.GOAL_REACHED
                || (inFlight.isEmpty() && pending.isEmpty()
                    && (verdict != null || retries.isEmpty() && (exhausted || next >= spec.budget().trials())));
        return done && !step.isTerminateOnly() ? RepeatStatus.FINISHED : RepeatStatus.CONTINUABLE;
    }

    private static void restore(ExecutionContext context, ExecutionContext to) {
        for (String key : context.entrySet().stream().map(Map.Entry::getKey).toList()) {
            if (!to.containsKey(key)) context.remove(key);
        }
        to.entrySet().forEach(e -> context.put(e.getKey(), e.getValue()));
    }

    private static Set<Integer> failedNumbers(List<FinishedTrial> finished) {
        Set<Integer> numbers = new LinkedHashSet<>();
        finished.stream().filter(t -> t.status() == TrialStatus.FAILED).forEach(t -> numbers.add(t.number()));
        return numbers;
    }

    private static Set<Integer> savedRetries(ExecutionContext checkpoint) {
        Set<Integer> numbers = new LinkedHashSet<>();
        if (!checkpoint.containsKey(RETRY)) return numbers;
        for (String n : checkpoint.getString(RETRY).split(",")) {
            if (!n.isEmpty()) numbers.add(Integer.parseInt(n));
        }
        return numbers;
    }

    private boolean deadlinePassed() {
        return deadline.isPresent() && Instant.now().isAfter(deadline.get());
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
