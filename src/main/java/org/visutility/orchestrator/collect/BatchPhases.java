package org.visutility.orchestrator.collect;

import java.util.Locale;

/**
 * Where the time of one batch COPYed straight in went, phase by phase, and how many round trips
 * to the database it took: logged at debug when the batch commits, so that a slow ingest can be
 * taken apart without a profiler (the bench's figures come from the same counts).
 */
final class BatchPhases {
    /** The phases, in the order a batch goes through them. */
    enum Phase {
        /** the batch row, the version ids and the snapshot ids (one statement for the first chunk) */
        OPEN,
        /** the chunk's rows put in key order (a file's later chunks come so from the reading thread), with their settle times */
        SORT,
        /** the two COPYs, from their start to the server's answer, the rows encoded as they are sent */
        COPY,
        /** what must commit with the batch before it closes (activated versions, the caller's step) */
        FINISH,
        /** the closing statement (snapshot_latest, the batch row's counts) and the commit it carries: one round trip */
        COMMIT
    }

    private final long[] nanos = new long[Phase.values().length];
    private int roundTrips;

    /** Adds the time since {@code startNanos} to the phase and returns now, the next phase's start. */
    long add(Phase phase, long startNanos, int trips) {
        long now = System.nanoTime();
        nanos[phase.ordinal()] += now - startNanos;
        roundTrips += trips;
        return now;
    }

    /** Counts a round trip whose time goes to the phase around it. */
    void roundTrip() {
        roundTrips++;
    }

    int roundTrips() {
        return roundTrips;
    }

    String text() {
        StringBuilder out = new StringBuilder();
        for (Phase p : Phase.values()) {
            out.append(String.format(Locale.ROOT, "%s %.2f ms, ", p.name().toLowerCase(Locale.ROOT), nanos[p.ordinal()] / 1e6));
        }
        return out.append(roundTrips).append(" round trips").toString();
    }
}
