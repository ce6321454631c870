package org.visutility.orchestrator.outbox;

/** A send that failed for a reason the sender words itself (kept as the row's last_error as it is). */
public final class NotDelivered extends Exception {
    public NotDelivered(String reason) {
        super(reason);
    }
}
