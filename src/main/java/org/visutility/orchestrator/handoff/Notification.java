package org.visutility.orchestrator.handoff;

import org.visutility.orchestrator.outbox.Claimed;

/**
 * One claimed row of orchestrator.promotion_outbox: the notification's stable id, its kind
 * (approved, rolled_back), where it goes, the exact JSON body built by the database, and what the
 * command hook's environment names.
 */
record Notification(long id, String deliveryId, String event, String destination, int attempt, String body,
                    String model, String version, String artifactUri) implements Claimed {
    @Override
    public String describe() {
        return "Promotion notification " + deliveryId + " (" + event + " " + model + " " + version + ")";
    }
}
