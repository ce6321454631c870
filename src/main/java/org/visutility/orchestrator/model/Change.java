package org.visutility.orchestrator.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.Json;

import java.time.Instant;
import java.util.Optional;

/** One recorded status change: a row of orchestrator.model_version_event. */
public record Change(long eventId, long versionId, String model, String version, Optional<VersionStatus> from,
                     VersionStatus to, Instant at, String actor, String reason, JsonNode evidence) {

    public ObjectNode toJson() {
        ObjectNode n = Json.MAPPER.createObjectNode().put("event_id", eventId).put("version", version)
                .put("from", from.map(VersionStatus::sql).orElse(null)).put("to", to.sql()).put("at", at.toString())
                .put("actor", actor).put("reason", reason);
        n.set("evidence", evidence);
        return n;
    }

    /** "candidate -> approved", or "(new) -> active" for a registration. */
    public String arrow() {
        return from.map(VersionStatus::sql).orElse("(new)") + " -> " + to.sql();
    }
}
