package org.visutility.orchestrator.experiment.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.experiment.ExperimentRow;
import org.visutility.orchestrator.experiment.ExperimentRows;
import org.visutility.orchestrator.experiment.ExperimentSpec;
import org.visutility.orchestrator.store.SqlFiles;
import org.visutility.orchestrator.tuning.FinishedTrial;
import org.visutility.orchestrator.tuning.pruning.Pruner;
import org.visutility.orchestrator.tuning.pruning.Pruners;
import org.visutility.orchestrator.tuning.trainer.RoundContext;
import org.visutility.orchestrator.tuning.trainer.Trainer;
import org.visutility.orchestrator.tuning.trainer.Trainers;
import org.visutility.orchestrator.tuning.trainer.TrialResult;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A node's trial worker: takes trial requests from {@link TrialChannels} while it runs fewer than
 * {@code trials_per_node}, runs each with the experiment's own trainer and pruner and the same trial
 * protocol as the owner would ({@link TrialLauncher}: a fresh folder per attempt under this node's
 * home, the reports, the pruner against the trials recorded so far), and replies with the result.
 *
 * <p>A request is taken in the transaction that names this node the trial's worker, so either both
 * happen or the request stays for another node; a request for an attempt that is no longer running is
 * dropped. Every second the worker checks that its attempts are still wanted (the run was not
 * cancelled, taken over or stopped them) and stops those that are not. Its liveness, for the owners, is
 * the node's Quartz check-in: a node that dies mid-trial stops checking in, and the owner runs the
 * trial again elsewhere. A node that stops gives its running trials back.
 */
public final class TrialWorker implements AutoCloseable {
    public static final String RUNNING = "orchestrator.trials.running.node";
    private static final Logger LOG = LoggerFactory.getLogger(TrialWorker.class);
    private static final String STAMP = SqlFiles.load(TrialWorker.class, "StampTrialWorker");
    private static final String WANTED = SqlFiles.load(TrialWorker.class, "TrialsStillWanted");
    /** How long the worker sleeps when no notification comes: a safety net for notifications lost to a reconnect. */
    private static final long IDLE_MS = 2_000;
    private static final long WATCH_MS = 1_000;
    private static final long STOP_WAIT_MS = 30_000;

    private record Running(TrialMessages.Request request, AtomicBoolean stop) {
    }

    private final Jdbi jdbi;
    private final TrialChannels channels;
    private final String node;
    private final int capacity;
    private final Path home;
    private final TransactionTemplate takes;
    private final NamedParameterJdbcTemplate stamps;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final AtomicInteger busy = new AtomicInteger();
    private final Semaphore wake = new Semaphore(0);
    private final AtomicBoolean closing = new AtomicBoolean();
    private final ExecutorService trials;
    private final ScheduledExecutorService watch;
    private final Thread taker;
    private final AutoCloseable subscription;
    private final Gauge gauge;

    private TrialWorker(Jdbi jdbi, TrialChannels channels, String node, int capacity, Path home) {
        this.jdbi = jdbi;
        this.channels = channels;
        this.node = node;
        this.capacity = capacity;
        this.home = home;
        this.takes = new TransactionTemplate(channels.transactionManager());
        this.stamps = new NamedParameterJdbcTemplate(channels.pool());
        AtomicInteger threads = new AtomicInteger();
        this.trials = Executors.newFixedThreadPool(capacity, r -> {
            Thread t = new Thread(r, "worker-trial-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.watch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "worker-watch");
            t.setDaemon(true);
            return t;
        });
        this.gauge = Gauge.builder(RUNNING, busy, AtomicInteger::get).tag("node", node)
                .description("trials this node runs now as a trial worker, for any experiment's owner")
                .register(Metrics.globalRegistry);
        this.subscription = channels.onRequest(wake::release);
        this.taker = new Thread(this::takeWhileRoom, "worker-taker");
        this.taker.setDaemon(true);
    }

    /**
     * Starts the worker of node {@code node}; null when {@code capacity} is 0 (the node runs no trials for others).
     *
     * @param home the node's home: trial folders go to experiments/ID/trials/NUMBER-ATTEMPT under it
     */
    public static TrialWorker start(Jdbi jdbi, TrialChannels channels, String node, int capacity, Path home) {
        if (capacity <= 0) return null;
        TrialWorker w = new TrialWorker(jdbi, channels, node, capacity, home);
        w.watch.scheduleWithFixedDelay(w::stopUnwanted, WATCH_MS, WATCH_MS, TimeUnit.MILLISECONDS);
        w.taker.start();
        w.wake.release();
        LOG.info("Trial worker {} takes up to {} trials at once", node, capacity);
        return w;
    }

    /** Trials this node runs now. */
    public int running() {
        return busy.get();
    }

    private void takeWhileRoom() {
        while (!closing.get()) {
            try {
                wake.tryAcquire(IDLE_MS, TimeUnit.MILLISECONDS);
                wake.drainPermits();
                while (!closing.get() && busy.get() < capacity) {
                    Optional<TrialMessages.Request> taken = takeOne();
                    if (taken == null) break;
                    taken.ifPresent(this::launch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // a node closing its pool under the taker is not trouble: the taker is on its way out
                if (closing.get()) return;
                // the database is away: the request stays in the store; try again at the next wake
                LOG.warn("Trial worker could not take a request: {}", e.toString());
            }
        }
    }

    /** Null: no request waits; empty: one was taken and dropped (no longer wanted, or unreadable). */
    private Optional<TrialMessages.Request> takeOne() {
        return takes.execute(status -> {
            TrialMessages.Request r;
            try {
                r = channels.take();
            } catch (TrialMessages.Unreadable e) {
                LOG.error("A trial request that is not readable is dropped: {}", e.getMessage());
                return Optional.empty();
            }
            if (r == null) return null;
            Integer stamped = stamps.queryForObject(STAMP, new MapSqlParameterSource().addValue("worker", node)
                    .addValue("experiment", r.experimentId()).addValue("number", r.number()).addValue("attempt", r.attempt()), Integer.class);
            if (stamped == null || stamped == 0) {
                LOG.info("Experiment {} trial {} attempt {}: no longer running; its request is dropped", r.experimentId(), r.number(), r.attempt());
                return Optional.empty();
            }
            return Optional.of(r);
        });
    }

    private void launch(TrialMessages.Request r) {
        AtomicBoolean stop = new AtomicBoolean();
        String key = key(r.experimentId(), r.number());
        running.put(key, new Running(r, stop));
        busy.incrementAndGet();
        trials.execute(() -> {
            try {
                run(r, stop);
            } finally {
                running.remove(key);
                busy.decrementAndGet();
                wake.release();
            }
        });
    }

    private void run(TrialMessages.Request r, AtomicBoolean stop) {
        MDC.put("experiment", Long.toString(r.experimentId()));
        long started = System.nanoTime();
        TrialLauncher.Done done;
        try {
            done = launcher(r).attempt(r.number(), r.attempt(), r.params(), stop).call();
        } catch (Exception e) {
            LOG.warn("Trial {} could not be set up here: {}", r.number(), e.toString());
            done = new TrialLauncher.Done(r.number(), r.attempt(), r.params(),
                    TrialResult.failed("the trainer could not be set up: " + e.getMessage()), List.of(),
                    Duration.ofNanos(System.nanoTime() - started));
        } finally {
            MDC.remove("experiment");
        }
        if (stop.get()) return; // not wanted any more: its owner records nothing from it
        TrialResult result = done.result();
        boolean givenBack = closing.get() && result.outcome() == TrialResult.Outcome.STOPPED;
        if (result.outcome() == TrialResult.Outcome.FAILED) {
            // a program missing on this node fails the trial, saying where, not the experiment
            result = new TrialResult(result.outcome(), result.metrics(), result.artifactUri(), "on node " + node + ": " + result.error());
        }
        try {
            channels.reply(new TrialMessages.Reply(r.experimentId(), r.number(), r.attempt(), r.run(), node, givenBack, result,
                    done.reports(), done.took()));
        } catch (RuntimeException e) {
            // the owner sees this node's check-in and waits; if the node dies it runs the trial again
            LOG.error("Experiment {} trial {}: the result could not be sent: {}", r.experimentId(), r.number(), e.toString());
        }
    }

    /** The launcher of the experiment's run: its spec's trainer and pruner, the trials recorded so far, this node's folder. */
    private TrialLauncher launcher(TrialMessages.Request r) throws JsonProcessingException {
        long id = r.experimentId();
        ExperimentRow row = jdbi.withHandle(h -> ExperimentRows.find(h, id))
                .orElseThrow(() -> new IllegalStateException("experiment " + id + " does not exist"));
        ExperimentSpec spec = ExperimentSpec.parse(Json.MAPPER.readTree(row.specJson()), "experiment " + id);
        Trainer trainer = Trainers.all().find(spec.trainer().name()).orElseThrow().create(spec.trainer().options(), spec.space());
        Pruner pruner = spec.pruning().map(p -> Pruners.all().find(p.name()).orElseThrow().create(p.options(), spec.objective()))
                .orElse(Pruner.NEVER);
        History history = new History();
        if (pruner != Pruner.NEVER) {
            for (FinishedTrial t : jdbi.withHandle(h -> TrialRows.finished(h, id))) history.append(t);
        }
        RoundContext round = jdbi.withHandle(h -> RoundContextRows.load(h, id));
        Path folder = home.resolve("experiments").resolve(Long.toString(id)).resolve("trials");
        return new TrialLauncher(id, spec.objective(), trainer, pruner, history, new ExcludedTrials(jdbi, id, ExcludedTrials.REFRESH),
                round, folder, closing::get);
    }

    /** Stops the attempts whose run no longer wants them. */
    private void stopUnwanted() {
        if (running.isEmpty()) return;
        try {
            List<Running> now = new ArrayList<>(running.values());
            Set<String> wanted = new HashSet<>(jdbi.withHandle(h -> h.createQuery(WANTED)
                    .bindArray("experiments", Long.class, now.stream().map(x -> x.request().experimentId()).toList())
                    .bindArray("numbers", Integer.class, now.stream().map(x -> x.request().number()).toList())
                    .bindArray("attempts", Integer.class, now.stream().map(x -> x.request().attempt()).toList())
                    .bind("worker", node)
                    .map((rs, ctx) -> key(rs.getLong("experiment"), rs.getInt("number"))).list()));
            for (Running x : now) {
                if (!wanted.contains(key(x.request().experimentId(), x.request().number())) && !x.stop().getAndSet(true)) {
                    LOG.info("Experiment {} trial {} attempt {}: no longer wanted by its run; stopping it",
                            x.request().experimentId(), x.request().number(), x.request().attempt());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Trial worker could not check its trials: {}", e.toString());
        }
    }

    private static String key(long experiment, int number) {
        return experiment + "/" + number;
    }

    /** Takes no more requests, stops the running trials and gives them back to their owners. */
    @Override
    public void close() {
        closing.set(true);
        wake.release();
        try {
            subscription.close();
        } catch (Exception e) {
            LOG.debug("Closing the request subscription: {}", e.toString());
        }
        trials.shutdown();
        try {
            if (!trials.awaitTermination(STOP_WAIT_MS, TimeUnit.MILLISECONDS)) LOG.warn("Trials {} did not stop in time", running.keySet());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        watch.shutdownNow();
        taker.interrupt();
        try {
            // gone before the node closes its pool, so it never takes from a closed one
            taker.join(STOP_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Metrics.globalRegistry.remove(gauge);
    }
}
