package org.visutility.orchestrator.collect;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Gauges of each configured SQL collector read from the database, the same on every node:
 * {@code orchestrator_collector_consecutive_failures{collector}} and
 * {@code orchestrator_collector_last_success_timestamp_seconds{collector}} (Unix time; NaN before
 * its first success). One read serves the gauges of one scrape ({@link #FRESH_FOR}).
 */
final class CollectorGauges implements AutoCloseable {
    static final String CONSECUTIVE_FAILURES = "orchestrator.collector.consecutive.failures";
    static final String LAST_SUCCESS = "orchestrator.collector.last.success.timestamp.seconds";
    private static final Duration FRESH_FOR = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(CollectorGauges.class);

    private final CollectorRunStates states;
    private final List<Meter> meters = new ArrayList<>();
    private long readAt = Long.MIN_VALUE;
    private Map<String, CollectorRunState> byCollector = Map.of();

    CollectorGauges(CollectorRunStates states) {
        this.states = states;
        for (String collector : states.collectors()) {
            meters.add(gauge(CONSECUTIVE_FAILURES, collector, "Failed runs of the SQL collector since its last success, on any node",
                    s -> s.consecutiveFailures()));
            meters.add(gauge(LAST_SUCCESS, collector, "When the SQL collector last committed a run, on any node (Unix time; NaN before its first success)",
                    s -> s.lastSuccessAt().map(t -> t.toEpochMilli() / 1000.0).orElse(Double.NaN)));
        }
    }

    private Meter gauge(String name, String collector, String description, ToDoubleFunction<CollectorRunState> value) {
        return Gauge.builder(name, this, g -> {
                    CollectorRunState s = g.fresh().get(collector);
                    return s == null ? Double.NaN : value.applyAsDouble(s);
                })
                .description(description).tag("collector", collector).register(Metrics.globalRegistry);
    }

    private synchronized Map<String, CollectorRunState> fresh() {
        long now = System.nanoTime();
        if (readAt != Long.MIN_VALUE && now - readAt < FRESH_FOR.toNanos()) return byCollector;
        try {
            byCollector = states.read().stream().collect(Collectors.toUnmodifiableMap(CollectorRunState::collector, s -> s));
        } catch (RuntimeException e) {
            // the database is away: the gauges keep their last values; /health says the database is down
            LOG.debug("Could not read the collectors' runs: {}", e.getMessage());
        }
        readAt = now;
        return byCollector;
    }

    @Override
    public void close() {
        meters.forEach(Metrics.globalRegistry::remove);
    }
}
