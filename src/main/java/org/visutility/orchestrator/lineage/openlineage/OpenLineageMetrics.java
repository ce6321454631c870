package org.visutility.orchestrator.lineage.openlineage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The export in GET /metrics: {@code orchestrator_openlineage_events_total{outcome}} (delivered,
 * failed, given_up: attempts made on this node) and {@code orchestrator_openlineage_events_pending}
 * (the outbox's pending rows, the same on every node, one cached query at most every 5 s).
 */
final class OpenLineageMetrics implements AutoCloseable {
    static final String EVENTS = "orchestrator.openlineage.events";
    static final String PENDING = "orchestrator.openlineage.events.pending";
    private static final Duration FRESH_FOR = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(OpenLineageMetrics.class);

    private final OpenLineageOutbox outbox;
    private final Counter delivered = counter("delivered");
    private final Counter failed = counter("failed");
    private final Counter givenUp = counter("given_up");
    private final Meter pendingGauge;
    private long readAt = Long.MIN_VALUE;
    private long pending;

    OpenLineageMetrics(OpenLineageOutbox outbox) {
        this.outbox = outbox;
        this.pendingGauge = Gauge.builder(PENDING, this, OpenLineageMetrics::pending)
                .description("OpenLineage events waiting in the outbox (not delivered, not given up)")
                .register(Metrics.globalRegistry);
    }

    private static Counter counter(String outcome) {
        return Counter.builder(EVENTS).description("OpenLineage event sends on this node, by outcome (a given-up event also counts as failed)")
                .tag("outcome", outcome).register(Metrics.globalRegistry);
    }

    void delivered() {
        delivered.increment();
    }

    void failed(boolean gaveUp) {
        failed.increment();
        if (gaveUp) givenUp.increment();
    }

    private synchronized double pending() {
        long now = System.nanoTime();
        if (readAt == Long.MIN_VALUE || now - readAt >= FRESH_FOR.toNanos()) {
            try {
                pending = outbox.pending();
            } catch (RuntimeException e) {
                LOG.debug("Could not count the pending OpenLineage events: {}", e.getMessage());
            }
            readAt = now;
        }
        return pending;
    }

    @Override
    public void close() {
        Metrics.globalRegistry.remove(pendingGauge);
    }
}
