package org.visutility.orchestrator.web.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.Json;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * One threshold of a policy as the dashboard draws it, read from a stored policy spec. The spec's
 * {@code when} is one condition or a list of them; the dashboard only reads, so a part it cannot
 * understand (no metric, no numeric below/above) is skipped rather than refused.
 */
record PolicyCondition(String metric, String aggregate, String window, Integer snapshots, String hold, String direction, double value) {
    static final String BELOW = "below";
    static final String ABOVE = "above";
    /** The aggregate a condition with a window and no aggregate uses (docs/policies.md). */
    static final String DEFAULT_AGGREGATE = "mean";

    static List<PolicyCondition> of(JsonNode spec) {
        List<PolicyCondition> out = new ArrayList<>();
        if (spec == null) return out;
        JsonNode when = spec.path("when");
        if (when.isObject()) read(when, out);
        else if (when.isArray()) when.forEach(c -> read(c, out));
        return out;
    }

    private static void read(JsonNode c, List<PolicyCondition> out) {
        if (!c.isObject() || !c.path("metric").isTextual() || c.path("metric").asText().isBlank()) return;
        for (String direction : List.of(BELOW, ABOVE)) {
            JsonNode v = c.path(direction);
            if (v.isNumber() && Double.isFinite(v.asDouble())) {
                JsonNode n = c.path("snapshots");
                Integer snapshots = n.canConvertToInt() && n.isIntegralNumber() ? n.asInt() : null;
                out.add(new PolicyCondition(c.path("metric").asText(), text(c, "aggregate"), text(c, "window"),
                        snapshots, text(c, "for"), direction, v.asDouble()));
            }
        }
    }

    private static String text(JsonNode c, String field) {
        JsonNode v = c.path(field);
        return v.isValueNode() && !v.isNull() ? v.asText() : null;
    }

    /**
     * e.g. {@code mean(accuracy, 6h) below 0.85 for 30m} or {@code mean(accuracy) over last 3 snapshots below 0.9}:
     * the window is part of what the policy judges, so it is never left out.
     */
    String describe() {
        StringBuilder s = new StringBuilder();
        boolean windowed = window != null || snapshots != null;
        String agg = aggregate != null ? aggregate : windowed ? DEFAULT_AGGREGATE : null;
        s.append(agg == null ? metric : agg + "(" + metric + (window == null ? "" : ", " + window) + ")");
        if (snapshots != null) s.append(" over last ").append(snapshots).append(snapshots == 1 ? " snapshot" : " snapshots");
        s.append(' ').append(direction).append(' ').append(BigDecimal.valueOf(value).stripTrailingZeros().toPlainString());
        if (hold != null) s.append(" for ").append(hold);
        return s.toString();
    }

    ObjectNode toJson() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("metric", metric);
        o.put("aggregate", aggregate);
        o.put("window", window);
        o.put("snapshots", snapshots);
        o.put("for", hold);
        o.put("direction", direction);
        o.put("value", value);
        o.put("description", describe());
        return o;
    }
}
