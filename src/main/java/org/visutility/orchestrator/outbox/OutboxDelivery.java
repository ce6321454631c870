package org.visutility.orchestrator.outbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Works an outbox off, at least once: claims due rows under a lease, sends each, and records it
 * delivered, or failed with an exponential backoff ({@link DeliveryPolicy#backoff}), given up once
 * the row is older than {@link DeliveryPolicy#giveUpAfter} (logged as an error, counted, kept in
 * the table for the runbook). Nothing waits for it: it reads only committed rows, from a clustered
 * job and when a node stops.
 */
public final class OutboxDelivery<E extends Claimed> {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxDelivery.class);
    /** One pass hands its Quartz thread back after this long, even with rows still due. */
    public static final Duration PASS_BUDGET = Duration.ofMinutes(1);
    /** last_error keeps this much of a failure's message. */
    public static final int MAX_ERROR = 2000;

    private final OutboxRows<E> rows;
    private final Sender<E> sender;
    private final DeliveryPolicy policy;
    private final OutboxMetrics metrics;

    public OutboxDelivery(OutboxRows<E> rows, Sender<E> sender, DeliveryPolicy policy, OutboxMetrics metrics) {
        this.rows = rows;
        this.sender = sender;
        this.policy = policy;
        this.metrics = metrics;
    }

    /** Sends what is due, claim after claim, until nothing is due, a claim's rows all failed, or {@link #PASS_BUDGET} is spent. */
    public Pass deliverDue() {
        return deliverUntil(Instant.now().plus(PASS_BUDGET));
    }

    /** The same, until {@code deadline}; a row claimed but not sent by then is released for any node. */
    public Pass deliverUntil(Instant deadline) {
        Pass total = Pass.NONE;
        while (Instant.now().isBefore(deadline) && !Thread.currentThread().isInterrupted()) {
            List<E> claimed = rows.claim(policy.batch(), policy.lease());
            if (claimed.isEmpty()) break;
            Pass pass = Pass.NONE;
            for (E row : claimed) {
                // past the deadline, or the node is stopping (interrupted): the rest goes back for any node
                if (Instant.now().isBefore(deadline) && !Thread.currentThread().isInterrupted()) pass = pass.plus(send(row));
                else rows.release(row);
            }
            total = total.plus(pass);
            if (pass.delivered() == 0) break;
        }
        return total;
    }

    private Pass send(E row) {
        try {
            sender.send(row);
        } catch (NotDelivered e) {
            return failed(row, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(row, "interrupted while sending (the node is stopping)");
        } catch (Exception e) {
            return failed(row, rootMessage(e));
        }
        rows.delivered(row);
        metrics.delivered(row);
        LOG.debug("{} delivered to {}", row.describe(), row.destination());
        return new Pass(1, 0, 0);
    }

    private Pass failed(E row, String error) {
        Duration backoff = policy.backoff(row.attempt());
        String kept = error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error;
        boolean gaveUp = rows.failed(row, kept, backoff, policy.giveUpAfter());
        metrics.failed(row, gaveUp);
        if (gaveUp) {
            LOG.error("{} to {} given up after {} attempts: {}", row.describe(), row.destination(), row.attempt(), kept);
            return new Pass(0, 1, 1);
        }
        LOG.warn("{} to {} failed (attempt {}, next in {}): {}", row.describe(), row.destination(), row.attempt(), backoff, kept);
        return new Pass(0, 1, 0);
    }

    /** The innermost cause's message: what went wrong, not the layers it passed. */
    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() == null ? t.toString() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
