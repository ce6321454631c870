package org.visutility.orchestrator.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * An outbox in GET /metrics: a counter of the attempts made on this node by {@code outcome}
 * (delivered, failed, given_up; a given-up row also counts as failed), optionally tagged with the
 * row's destination, and a gauge of the pending rows (the same on every node, one cached query at
 * most every 5 s). The counters of the destinations named up front exist from the start, at 0, so
 * that an alert on them has a series to read.
 */
public final class OutboxMetrics implements AutoCloseable {
    public static final String DELIVERED = "delivered";
    public static final String FAILED = "failed";
    public static final String GIVEN_UP = "given_up";
    private static final Duration FRESH_FOR = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(OutboxMetrics.class);

    private final String counterName;
    private final String counterDescription;
    private final String destinationTag;
    private final LongSupplier pendingRows;
    private final Map<Tags, Counter> counters = new ConcurrentHashMap<>();
    private final List<Meter> registered = new ArrayList<>();
    private long readAt = Long.MIN_VALUE;
    private long pending;

    /**
     * @param destinationTag the tag that names a row's destination, or null for counters by outcome only
     * @param destinations   the destinations whose counters exist from the start (ignored without a tag)
     */
    public OutboxMetrics(String counterName, String counterDescription, String pendingName, String pendingDescription,
                         String destinationTag, Collection<String> destinations, LongSupplier pendingRows) {
        this.counterName = counterName;
        this.counterDescription = counterDescription;
        this.destinationTag = destinationTag;
        this.pendingRows = pendingRows;
        registered.add(Gauge.builder(pendingName, this, OutboxMetrics::pending).description(pendingDescription)
                .register(Metrics.globalRegistry));
        List<String> named = destinationTag == null ? java.util.Collections.singletonList(null) : List.copyOf(destinations);
        for (String d : named) {
            for (String outcome : List.of(DELIVERED, FAILED, GIVEN_UP)) counter(d, outcome);
        }
    }

    public void delivered(Claimed row) {
        counter(row.destination(), DELIVERED).increment();
    }

    public void failed(Claimed row, boolean gaveUp) {
        counter(row.destination(), FAILED).increment();
        if (gaveUp) counter(row.destination(), GIVEN_UP).increment();
    }

    private Counter counter(String destination, String outcome) {
        Tags tags = destinationTag == null ? Tags.of("outcome", outcome) : Tags.of(destinationTag, destination, "outcome", outcome);
        return counters.computeIfAbsent(tags, t -> {
            Counter c = Counter.builder(counterName).description(counterDescription).tags(t).register(Metrics.globalRegistry);
            synchronized (registered) {
                registered.add(c);
            }
            return c;
        });
    }

    private synchronized double pending() {
        long now = System.nanoTime();
        if (readAt == Long.MIN_VALUE || now - readAt >= FRESH_FOR.toNanos()) {
            try {
                pending = pendingRows.getAsLong();
            } catch (RuntimeException e) {
                LOG.debug("Could not count the pending rows of {}: {}", counterName, e.getMessage());
            }
            readAt = now;
        }
        return pending;
    }

    /** Removes the gauge (it reads the database, which closes with the node); the counters stay, as counters do. */
    @Override
    public void close() {
        Metrics.globalRegistry.remove(registered.get(0));
    }
}
