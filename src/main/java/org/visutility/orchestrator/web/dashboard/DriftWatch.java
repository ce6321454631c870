package org.visutility.orchestrator.web.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A drift condition of a policy as the dashboard draws it, read from a stored policy spec: which
 * features it watches (null for all), by which method, and the line a feature's score crosses
 * (above it, or for chi_square its p-value below it). Like {@link PolicyCondition}, a part the
 * dashboard cannot read is skipped rather than refused.
 */
record DriftWatch(String policy, List<String> features, String method, String direction, double line, String window) {
    static final Set<String> METHODS = Set.of("psi", "jensen_shannon", "wasserstein", "chi_square");
    static final String DEFAULT_METHOD = "psi";

    static List<DriftWatch> of(String policy, JsonNode spec) {
        List<DriftWatch> out = new ArrayList<>();
        if (spec == null) return out;
        JsonNode when = spec.path("when");
        if (when.isObject()) read(policy, when, out);
        else if (when.isArray()) when.forEach(c -> read(policy, c, out));
        return out;
    }

    private static void read(String policy, JsonNode c, List<DriftWatch> out) {
        JsonNode d = c.path("drift");
        if (!d.isObject()) return;
        String method = d.path("method").isTextual() ? d.path("method").asText() : DEFAULT_METHOD;
        if (!METHODS.contains(method)) return;
        List<String> features = null;
        if (d.path("features").isArray()) {
            features = new ArrayList<>();
            for (JsonNode f : d.path("features")) if (f.isTextual()) features.add(f.asText());
        }
        for (String direction : List.of(PolicyCondition.ABOVE, PolicyCondition.BELOW)) {
            JsonNode v = d.path(direction);
            if (v.isNumber() && Double.isFinite(v.asDouble())) {
                JsonNode w = d.path("window");
                out.add(new DriftWatch(policy, features, method, direction, v.asDouble(), w.isValueNode() && !w.isNull() ? w.asText() : null));
                return;
            }
        }
    }

    /** The features of every watch, or empty when one of them watches all features. */
    static Optional<List<String>> watched(List<DriftWatch> watches) {
        List<String> names = new ArrayList<>();
        for (DriftWatch w : watches) {
            if (w.features() == null) return Optional.empty();
            w.features().stream().filter(f -> !names.contains(f)).forEach(names::add);
        }
        return Optional.of(names);
    }

    ObjectNode toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("policy", policy);
        if (features == null) {
            o.put("features", "all");
        } else {
            ArrayNode list = o.putArray("features");
            features.forEach(list::add);
        }
        o.put("method", method);
        o.put("direction", direction);
        o.put("line", line);
        o.put("window", window);
        return o;
    }
}
