package org.visutility.orchestrator.policy.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.config.Durations;

import java.time.Duration;
import java.util.List;

/**
 * One retrain policy as validated: its conditions (all-of), how long they must hold before it
 * fires ({@code for}), the cooldown after its last experiment, and the experiment spec it
 * enqueues (resolved: a spec file's content, not its path).
 */
public record PolicySpec(String name, String model, List<Condition> conditions, Duration holdFor, Duration cooldown,
                         JsonNode experiment) {

    public PolicySpec {
        conditions = List.copyOf(conditions);
    }

    /** The normalised spec stored in retrain_policy_version.spec; the parser reads it back. */
    public ObjectNode toJson() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("name", name);
        n.put("model", model);
        ArrayNode when = n.putArray("when");
        conditions.forEach(c -> when.add(c.toJson()));
        n.put("for", Durations.format(holdFor));
        n.put("cooldown", Durations.format(cooldown));
        n.set("experiment", experiment);
        return (ObjectNode) CanonicalJson.sorted(n);
    }

    public String sha256() {
        return CanonicalJson.sha256(toJson());
    }

    public String experimentSha256() {
        return CanonicalJson.sha256(experiment);
    }
}
