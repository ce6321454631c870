package org.visutility.orchestrator.outbox;

import java.time.Duration;

/**
 * How an outbox is worked off: claim batches, the lease a claim holds, the backoff after a failed
 * attempt (doubling from {@code firstBackoff} up to {@code maxBackoff}) and how long an event is
 * retried before it is given up.
 */
public record DeliveryPolicy(int batch, Duration lease, Duration firstBackoff, Duration maxBackoff, Duration giveUpAfter) {
    public static final int BATCH = 20;
    public static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    public static final Duration MAX_BACKOFF = Duration.ofMinutes(10);
    /** An endpoint down overnight still gets its events; a day later they are given up (visible in SQL). */
    public static final Duration GIVE_UP_AFTER = Duration.ofDays(1);
    /** Room beyond the sends' timeouts for reading what a send needs and recording the outcomes. */
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(30);

    /** The policy for sends bounded by {@code timeout} each: a claim's lease outlasts sending its whole batch. */
    public static DeliveryPolicy forTimeout(Duration timeout) {
        return new DeliveryPolicy(BATCH, timeout.multipliedBy(BATCH).plus(LEASE_MARGIN), FIRST_BACKOFF, MAX_BACKOFF, GIVE_UP_AFTER);
    }

    /** The wait after the {@code attempt}-th failed attempt (1 for the first): first, doubling, capped. */
    public Duration backoff(int attempt) {
        int doublings = Math.max(0, Math.min(attempt - 1, 30));
        Duration d = firstBackoff.multipliedBy(1L << doublings);
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }
}
