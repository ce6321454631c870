package org.visutility.orchestrator.ops;

import org.visutility.orchestrator.experiment.ExperimentStatus;
import io.micrometer.core.instrument.Metrics;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.visutility.orchestrator.config.Durations;
import org.visutility.orchestrator.config.RescueAction;
import org.visutility.orchestrator.experiment.ExperimentRows;
import org.visutility.orchestrator.store.SqlFiles;
import org.visutility.orchestrator.experiment.batch.BatchInfrastructure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rescues runs whose owner is provably gone (heartbeat older than the stale window AND the owner's
 * Quartz check-in stale or absent; see orchestrator.owner_is_gone). A rescue is three steps, the
 * first and last fenced by the experiment's version:
 * <ol>
 *   <li>hold the run ({@code owner = 'rescuer:ACTOR'}, version + 1: the old owner, should it wake
 *       up, finds its next write matching no row and stops without writing);</li>
 *   <li>mark the Spring Batch execution the dead node left STARTED as FAILED ({@code JobOperator.recover});</li>
 *   <li>{@link RescueAction#RECOVER_AND_RESTART}: back to the queue (a node restarts it from its last
 *       committed trial); {@link RescueAction#MARK_FAILED}, or rescue_max_attempts reached: failed.
 *       The intervention is logged in the same transaction.</li>
 * </ol>
 * A rescuer that dies between the steps leaves a hold whose owner is gone: the next rescuer takes it.
 */
public final class StaleRunRescuer {
    public static final String RESCUES = "orchestrator.rescues";
    private static final Logger LOG = LoggerFactory.getLogger(StaleRunRescuer.class);
    private static final String ORPHANS = SqlFiles.load(StaleRunRescuer.class, "OrphanedRuns");
    private static final String LEFT_RUNNING = SqlFiles.load(StaleRunRescuer.class, "ExecutionsLeftRunning");
    private static final String HOLD_PREFIX = "rescuer:";

    /** A Spring Batch execution a gone node left running though its experiment had ended, now settled. */
    public record SettledExecution(long experimentId, String experimentStatus, long jobExecutionId, String batchStatus) {
    }

    /** What became of one orphan. */
    public record Rescue(long experimentId, String model, String outcome, Optional<String> previousOwner, String note) {
    }

    /**
     * Told while a run is still held, just before it goes back to the queue, e.g. to drop the dead
     * node's Quartz job so that it can be launched anew. Not after: once the run is queued a dispatch
     * round may schedule its new job under the same key, and dropping that one would lose the launch
     * until the dispatcher's check of runs dispatched long ago (30 s).
     */
    @FunctionalInterface
    public interface RequeueListener {
        void beforeRequeue(long experimentId);

        RequeueListener NONE = id -> {
        };
    }

    private final Jdbi jdbi;
    private final BatchExecutions executions;
    private final Duration staleAfter;
    private final String actor;
    private final RequeueListener listener;

    /**
     * @param actor who rescues: the node's Quartz instance id, or ops@HOST for a command
     */
    public StaleRunRescuer(Jdbi jdbi, BatchInfrastructure batch, Duration staleAfter, String actor, RequeueListener listener) {
        this.jdbi = jdbi;
        this.executions = new BatchExecutions(batch);
        this.staleAfter = staleAfter;
        this.actor = actor;
        this.listener = listener;
    }

    List<Orphan> orphans() {
        return jdbi.withHandle(h -> h.createQuery(ORPHANS).bind("staleAfterMs", staleAfter.toMillis()).bind("hold", hold())
                .map(Orphan.MAPPER).list());
    }

    /** The rescuer job's pass: every orphan, by rescue_action, at most maxAttempts rescues each. */
    public List<Rescue> rescueAll(RescueAction action, int maxAttempts) {
        return each(Intervention.RESCUE, action, maxAttempts);
    }

    /** ops recover: every orphan recovered and requeued, whatever its rescue count (a person decided). */
    public List<Rescue> recoverAll() {
        return each(Intervention.RECOVER, RescueAction.RECOVER_AND_RESTART, Integer.MAX_VALUE);
    }

    /**
     * ops recover: executions a gone node left STARTED although their experiment ended (it died
     * between its last write and Spring Batch's) are marked FAILED; those of an experiment that is
     * not failed (succeeded, cancelled, abandoned) then ABANDONED, as they must never restart.
     */
    public List<SettledExecution> settleLeftoverExecutions() {
        record Left(long experimentId, String status) {
        }
        List<Left> left = jdbi.withHandle(h -> h.createQuery(LEFT_RUNNING).bind("staleAfterMs", staleAfter.toMillis())
                .map((rs, ctx) -> new Left(rs.getLong("experiment_id"), rs.getString("status"))).list());
        List<SettledExecution> settled = new ArrayList<>();
        for (Left l : left) {
            var execution = ExperimentStatus.FAILED.sql().equals(l.status()) ? executions.recoverIfLeftRunning(l.experimentId())
                    : executions.abandon(l.experimentId());
            execution.ifPresent(e -> settled.add(new SettledExecution(l.experimentId(), l.status(), e.getId(), e.getStatus().name())));
        }
        return settled;
    }

    private List<Rescue> each(String how, RescueAction action, int maxAttempts) {
        List<Rescue> done = new ArrayList<>();
        for (Orphan o : orphans()) {
            try {
                rescue(o, how, action, maxAttempts).ifPresent(done::add);
            } catch (RuntimeException e) {
                // one run's trouble (the database went away) must not keep the others waiting; the next pass retries
                LOG.error("Could not rescue experiment {}: {}", o.id(), e.toString());
            }
        }
        return done;
    }

    Optional<Rescue> rescue(Orphan o, String how, RescueAction action, int maxAttempts) {
        MDC.put("experiment", Long.toString(o.id()));
        MDC.put("model", o.model());
        try {
            Optional<Integer> held = jdbi.withHandle(h -> ExperimentRows.holdOrphan(h, o.id(), o.version(), staleAfter, hold()));
            if (held.isEmpty()) {
                LOG.info("Not rescued: the run changed since it was read, or its owner spoke again");
                return Optional.empty();
            }
            int version = held.get();
            Optional<Long> execution = executions.recoverIfLeftRunning(o.id()).map(e -> e.getId()).or(o::jobExecutionId);
            boolean giveUp = o.rescues() >= maxAttempts;
            boolean restart = action == RescueAction.RECOVER_AND_RESTART && !giveUp;
            String silent = "its node " + o.owner().orElse("(none)") + " is gone (no heartbeat since "
                    + o.heartbeatAt().map(Object::toString).orElse("never") + ", Quartz check-in stale)";
            String note = restart ? silent + "; back to the queue, resumes from its last committed trial"
                    : giveUp ? silent + "; rescued " + o.rescues() + " times already (rescue_max_attempts " + maxAttempts + "): marked failed"
                    : silent + "; rescue_action " + action + ": marked failed";
            String outcome = restart ? Intervention.REQUEUED : Intervention.MARKED_FAILED;
            Intervention log = new Intervention(o.id(), how, outcome, actor, o.status(), o.owner(), o.heartbeatAt(), execution, note);
            if (restart) listener.beforeRequeue(o.id());
            boolean written = jdbi.inTransaction(h -> {
                boolean ok = restart ? ExperimentRows.release(h, o.id(), version)
                        : ExperimentRows.finish(h, o.id(), version, ExperimentStatus.FAILED, note);
                if (ok) log.record(h);
                return ok;
            });
            if (!written) {
                LOG.warn("Rescue of the run lost its hold (someone changed the experiment meanwhile); left as it is");
                return Optional.empty();
            }
            Metrics.counter(RESCUES, "action", how, "outcome", outcome).increment();
            LOG.warn("Rescued the run (its owner silent for over {}): {}", Durations.format(staleAfter), note);
            return Optional.of(new Rescue(o.id(), o.model(), outcome, o.owner(), note));
        } finally {
            MDC.remove("experiment");
            MDC.remove("model");
        }
    }

    private String hold() {
        return HOLD_PREFIX + actor;
    }
}
