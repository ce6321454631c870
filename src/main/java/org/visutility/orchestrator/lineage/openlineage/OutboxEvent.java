package org.visutility.orchestrator.lineage.openlineage;

import io.openlineage.client.OpenLineage.RunEvent.EventType;
import org.visutility.orchestrator.outbox.Claimed;

/** One claimed row of orchestrator.openlineage_outbox: which event of which experiment goes where, and the claim's attempt. */
record OutboxEvent(long id, long experimentId, EventType type, String destination, int attempt) implements Claimed {
    @Override
    public String describe() {
        return "OpenLineage " + type + " of experiment " + experimentId;
    }
}
