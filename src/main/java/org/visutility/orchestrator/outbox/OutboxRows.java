package org.visutility.orchestrator.outbox;

import java.time.Duration;
import java.util.List;

/**
 * An outbox table as {@link OutboxDelivery} works it off. Each table has its own SQL (its claim may
 * order rows its own way); the contract is the same: a claim commits at once with a lease and the
 * attempt counted (SKIP LOCKED, so two nodes take different rows), and every outcome is recorded
 * in a transaction of its own.
 */
public interface OutboxRows<E extends Claimed> {
    /** Up to {@code batch} due rows for this node's destinations, leased for {@code lease}, in the order to send them. */
    List<E> claim(int batch, Duration lease);

    /** The destination accepted it (at least once: a lapsed lease may have sent it twice). */
    void delivered(E row);

    /** Gives a claimed row back unsent, due at once for any node. */
    void release(E row);

    /** Records a failed attempt with its backoff; true when the row is now given up (older than {@code giveUpAfter}). */
    boolean failed(E row, String error, Duration backoff, Duration giveUpAfter);

    /** Rows neither delivered nor given up. */
    long pending();
}
