package org.visutility.orchestrator.experiment;

import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * While a run lives, its owner updates experiment.heartbeat_at every heartbeat_interval, fenced by
 * the run's version. When the update matches no row the run has lost the experiment: cancelled
 * (the trainers are stopped) or taken over by another node (the run writes nothing more).
 */
final class Heartbeat implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Heartbeat.class);

    private final ScheduledExecutorService timer;

    private Heartbeat(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    static Heartbeat start(Jdbi jdbi, RunControl run, Duration interval) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "heartbeat-" + run.experimentId());
            t.setDaemon(true);
            return t;
        });
        long ms = interval.toMillis();
        // the beats log with the run's model and experiment, as the thread that starts them does
        Map<String, String> context = MDC.getCopyOfContextMap();
        timer.scheduleWithFixedDelay(() -> {
            if (context != null) MDC.setContextMap(context);
            beat(jdbi, run);
        }, ms, ms, TimeUnit.MILLISECONDS);
        return new Heartbeat(timer);
    }

    private static void beat(Jdbi jdbi, RunControl run) {
        if (run.stopRequested()) return;
        MDC.put("experiment", Long.toString(run.experimentId()));
        try {
            if (jdbi.withHandle(h -> ExperimentRows.heartbeat(h, run.experimentId(), run.version()))) return;
            Optional<ExperimentRow> row = jdbi.withHandle(h -> ExperimentRows.find(h, run.experimentId()));
            Optional<ExperimentStatus> status = row.map(ExperimentRow::status);
            if (status.equals(Optional.of(ExperimentStatus.CANCELLED))) {
                LOG.info("Experiment cancelled; stopping its trainers");
                run.stop(RunControl.StopReason.CANCELLED);
                return;
            }
            if (row.isPresent() && row.get().isFinished() && row.get().owner().equals(Optional.of(run.owner()))) {
                // this run ended it (its job is writing its last bookkeeping): nothing is lost
                LOG.debug("The experiment ended ({}); the heartbeat stops", status.get());
                return;
            }
            LOG.warn("This node no longer owns the experiment (now {}, owner {}); stopping without writing", status,
                    row.flatMap(ExperimentRow::owner).orElse("none"));
            run.stop(RunControl.StopReason.LOST);
        } catch (RuntimeException e) {
            // the database is unreachable: the next beat tries again; fencing keeps us from doing harm meanwhile
            LOG.warn("Heartbeat failed: {}", e.getMessage());
        } finally {
            MDC.remove("experiment");
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
