package org.visutility.orchestrator.ops;

import org.visutility.orchestrator.experiment.ExperimentStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visutility.orchestrator.store.SqlFiles;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gauges read from the database, the same on every node: {@code orchestrator_experiments{status}}
 * and {@code orchestrator_runs_stuck} / {@code orchestrator_runs_orphaned}. The counts by status are
 * cached for {@link #FRESH_FOR} so that the gauges of one scrape cost one round trip; the stuck and
 * orphaned runs come from {@link StuckRunCounts}, shared with GET /health so that both say the same.
 */
final class ExperimentGauges implements AutoCloseable {
    static final String EXPERIMENTS = "orchestrator.experiments";
    static final String STUCK = "orchestrator.runs.stuck";
    static final String ORPHANED = "orchestrator.runs.orphaned";
    private static final Duration FRESH_FOR = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(ExperimentGauges.class);
    private static final String BY_STATUS = SqlFiles.load(ExperimentGauges.class, "ExperimentsByStatus");
    private static final List<String> STATUSES = ExperimentStatus.names();

    private final Jdbi jdbi;
    private final StuckRunCounts runs;
    private final List<Meter> meters = new ArrayList<>();
    private long readAt = Long.MIN_VALUE;
    private Map<String, Long> byStatus = Map.of();

    ExperimentGauges(Jdbi jdbi, StuckRunCounts runs) {
        this.jdbi = jdbi;
        this.runs = runs;
        for (String status : STATUSES) {
            meters.add(Gauge.builder(EXPERIMENTS, this, g -> g.fresh().byStatus.getOrDefault(status, 0L))
                    .description("Experiments in each status (from the database)").tag("status", status)
                    .register(Metrics.globalRegistry));
        }
        meters.add(Gauge.builder(STUCK, this, g -> g.runs.recent().stuck())
                .description("Running experiments whose heartbeat is stale").register(Metrics.globalRegistry));
        meters.add(Gauge.builder(ORPHANED, this, g -> g.runs.recent().orphaned())
                .description("Running experiments whose owner is provably gone (heartbeat and Quartz check-in stale)")
                .register(Metrics.globalRegistry));
    }

    private synchronized ExperimentGauges fresh() {
        long now = System.nanoTime();
        if (readAt != Long.MIN_VALUE && now - readAt < FRESH_FOR.toNanos()) return this;
        try {
            Map<String, Long> counts = new HashMap<>();
            jdbi.useHandle(h -> h.createQuery(BY_STATUS).setQueryTimeout((int) FRESH_FOR.toSeconds())
                    .map((rs, ctx) -> Map.entry(rs.getString("status"), rs.getLong("experiments")))
                    .forEach(e -> counts.put(e.getKey(), e.getValue())));
            byStatus = counts;
        } catch (RuntimeException e) {
            // the database is away: the gauges keep their last values; /health says the database is down
            LOG.debug("Could not read the experiment gauges: {}", e.getMessage());
        }
        readAt = now;
        return this;
    }

    @Override
    public void close() {
        meters.forEach(Metrics.globalRegistry::remove);
    }
}
