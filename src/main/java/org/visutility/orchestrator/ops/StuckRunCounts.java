package org.visutility.orchestrator.ops;

import org.jdbi.v3.core.Jdbi;
import org.visutility.orchestrator.experiment.StuckRuns;

import java.time.Duration;

/**
 * The runs that look stuck and the orphaned ones, as GET /health and GET /metrics both report
 * them: each reads the database when asked (a count over the running experiments only), so
 * /metrics never lags /health. A reading kept for a while (even a second) showed a run as stuck
 * in a scrape made after it had been rescued and had succeeded.
 */
final class StuckRunCounts {
    private final Jdbi jdbi;
    private final Duration staleAfter;
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
        return last;
    }

    /** A reading now; the last known one when the database is away. */
    synchronized StuckRuns.Count recent() {
        try {
            return now();
        } catch (RuntimeException e) {
            // the database is away: keep the last values; /health says the database is down
            return last;
        }
    }
}
