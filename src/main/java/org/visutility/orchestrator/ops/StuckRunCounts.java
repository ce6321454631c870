package org.visutility.orchestrator.ops;

import org.jdbi.v3.core.Jdbi;
import org.visutility.orchestrator.experiment.StuckRuns;

import java.time.Duration;

/**
 * The runs that look stuck and the orphaned ones, as GET /health and GET /metrics both report
 * them. /health always reads the database; the gauges reuse that reading (or their own) only for
 * {@link #SHARED_FOR}, so that the two gauges of one scrape cost one query and /metrics never lags
 * /health by more than that.
 */
final class StuckRunCounts {
    static final Duration SHARED_FOR = Duration.ofSeconds(1);

    private final Jdbi jdbi;
    private final Duration staleAfter;
    private long readAt = Long.MIN_VALUE;
    private StuckRuns.Count last = new StuckRuns.Count(0, 0);

    StuckRunCounts(Jdbi jdbi, Duration staleAfter) {
        this.jdbi = jdbi;
        this.staleAfter = staleAfter;
    }

    Duration staleAfter() {
        return staleAfter;
    }

    /** Read from the database now; throws when it is away. */
    synchronized StuckRuns.Count now() {
        last = jdbi.withHandle(h -> StuckRuns.count(h, staleAfter));
        readAt = System.nanoTime();
        return last;
    }

    /** The reading of at most {@link #SHARED_FOR} ago, or a new one; the last known one when the database is away. */
    synchronized StuckRuns.Count recent() {
        if (readAt != Long.MIN_VALUE && System.nanoTime() - readAt < SHARED_FOR.toNanos()) return last;
        try {
            return now();
        } catch (RuntimeException e) {
            // the database is away: keep the last values; /health says the database is down
            return last;
        }
    }
}
