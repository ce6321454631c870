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
 * fires ({@code for}), the cooldown after its last experiment, the experiment spec it
 * enqueues (resolved: a spec file's content, not its path), and how its retrains are verified
 * once deployed ({@code verify}, null when the policy does not say: its own condition judges).
 */
public record PolicySpec(String name, String model, List<Condition> conditions, Duration holdFor, Duration cooldown,
                         JsonNode experiment, Verify verify) {

    public PolicySpec {
        conditions = List.copyOf(conditions);
    }

    public PolicySpec(String name, String model, List<Condition> conditions, Duration holdFor, Duration cooldown,
                      JsonNode experiment) {
        this(name, model, conditions, holdFor, cooldown, experiment, null);
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
        // only when given: a policy without verify: keeps the text (and SHA-256) it had before the key existed
        if (verify != null) n.set(Verify.KEY, verify.toJson());
        return (ObjectNode) CanonicalJson.sorted(n);
    }

    public String sha256() {
        return CanonicalJson.sha256(toJson());
    }

    public String experimentSha256() {
        return CanonicalJson.sha256(experiment);
    }
}
