package org.visutility.orchestrator.experiment;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One run of an experiment on this node: the claim it holds (experiment, owner, fencing version)
 * and why it must stop, if it must. The heartbeat, cancellation and node shutdown raise the stop;
 * the trials step and the trainers watch it.
 */
public final class RunControl {
    /** Why a run stops before its end. */
    public enum StopReason {
        /** Someone cancelled the experiment (experiments cancel). */
        CANCELLED,
        /** Another node took the experiment over: this run must write nothing more. */
        LOST,
        /** This node is shutting down: hand the run back to the queue. */
        SHUTDOWN
    }

    private final long experimentId;
    private final String owner;
    private final int version;
    private final int attempt;
    private final Instant startedAt;
    private final AtomicReference<StopReason> stop = new AtomicReference<>();

    public RunControl(long experimentId, String owner, ExperimentRows.Claim claim) {
        this.experimentId = experimentId;
        this.owner = owner;
        this.version = claim.version();
        this.attempt = claim.attempt();
        this.startedAt = claim.startedAt();
    }

    public long experimentId() {
        return experimentId;
    }

    public String owner() {
        return owner;
    }

    /** The version every write of this run is fenced by. */
    public int version() {
        return version;
    }

    public int attempt() {
        return attempt;
    }

    /** When the experiment first started (its budget.timeout counts from here). */
    public Instant startedAt() {
        return startedAt;
    }

    /** Raises the stop; the first reason wins. */
    public void stop(StopReason reason) {
        stop.compareAndSet(null, reason);
    }

    public Optional<StopReason> stopReason() {
        return Optional.ofNullable(stop.get());
    }

    public boolean stopRequested() {
        return stop.get() != null;
    }
}
