package org.visutility.orchestrator.experiment;

import org.jdbi.v3.core.Handle;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.store.SqlFiles;

import java.time.Duration;

/**
 * When a run's silence counts: its heartbeat is older than {@link #STALE_HEARTBEATS} heartbeat
 * intervals and at least rescue_after. A stale heartbeat alone makes a run stuck; it is orphaned
 * (and may be taken over) only when its node's Quartz check-in is stale too.
 */
public final class StuckRuns {
    /** Heartbeats a run may miss before it counts as silent (a slow commit or GC pause is not death). */
    public static final int STALE_HEARTBEATS = 3;
    private static final String COUNT = SqlFiles.load(StuckRuns.class, "CountStuckRuns");
    /** GET /health and the metrics scrape must answer even when the database is slow. */
    private static final int QUERY_TIMEOUT_SECONDS = 3;

    /** Running experiments with a stale heartbeat, and how many of those have an owner provably gone. */
    public record Count(long stuck, long orphaned) {
    }

    private StuckRuns() {
    }

    public static Duration staleAfter(OrchestratorConfig config) {
        Duration beats = config.heartbeatInterval().multipliedBy(STALE_HEARTBEATS);
        return beats.compareTo(config.rescueAfter()) > 0 ? beats : config.rescueAfter();
    }

    public static Count count(Handle h, Duration staleAfter) {
        return h.createQuery(COUNT).setQueryTimeout(QUERY_TIMEOUT_SECONDS).bind("staleAfterMs", staleAfter.toMillis())
                .map((rs, ctx) -> new Count(rs.getLong("stuck"), rs.getLong("orphaned"))).one();
    }
}
