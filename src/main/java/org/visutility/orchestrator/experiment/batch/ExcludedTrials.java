package org.visutility.orchestrator.experiment.batch;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visutility.orchestrator.store.SqlFiles;
import org.visutility.orchestrator.tuning.FinishedTrial;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The trials of a running experiment that an operator excluded (trials exclude), so that the pruner's
 * statistics leave them out. Read again at most every {@link #REFRESH}, not at every report: an
 * exclusion reaches the pruning of a running experiment within that time. With none excluded (the
 * usual case) the finished trials pass through untouched.
 */
final class ExcludedTrials {
    static final Duration REFRESH = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(ExcludedTrials.class);
    private static final String EXCLUDED = SqlFiles.load(ExcludedTrials.class, "ExcludedTrialNumbers");

    private final Jdbi jdbi;
    private final long experimentId;
    private final long refreshNanos;
    private Set<Integer> numbers = Set.of();
    private long readAt;
    private boolean read;

    ExcludedTrials(Jdbi jdbi, long experimentId, Duration refresh) {
        this.jdbi = jdbi;
        this.experimentId = experimentId;
        this.refreshNanos = refresh.toNanos();
    }

    /** {@code finished} without the excluded trials (the same list when none is excluded). */
    List<FinishedTrial> withoutExcluded(List<FinishedTrial> finished) {
        Set<Integer> excluded = current();
        if (excluded.isEmpty()) return finished;
        return finished.stream().filter(t -> !excluded.contains(t.number())).toList();
    }

    synchronized Set<Integer> current() {
        long now = System.nanoTime();
        if (!read || now - readAt >= refreshNanos) {
            try {
                numbers = Set.copyOf(jdbi.withHandle(h -> h.createQuery(EXCLUDED).bind("experiment", experimentId)
                        .mapTo(Integer.class).list()));
            } catch (JdbiException e) {
                // the pruner keeps the last numbers it knew; the next report tries again
                LOG.warn("Could not read the excluded trials: {}", e.getMessage());
            }
            read = true;
            readAt = now;
        }
        return numbers;
    }
}
