package org.visutility.orchestrator.policy.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.policy.spec.ThresholdCondition.Direction;

/**
 * What a decision taken before labels is checked against once they land: the realised metric
 * (ordinary snapshots, their sample-weighted mean over the decision's window) and the line it must
 * cross for the decision to be confirmed. Given as {@code reconcile: {metric: accuracy, below: 0.85}}
 * on a drift condition; an estimated condition defaults to its own metric and line.
 */
public record Reconcile(String metric, Direction direction, double line) {
    public static final String KEY = "reconcile";

    public boolean breaches(double realised) {
        return direction == Direction.BELOW ? realised < line : realised > line;
    }

    public String describe() {
        return metric + " " + direction.spelling() + " " + line;
    }

    public ObjectNode toJson() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("metric", metric);
        n.put(direction.spelling(), line);
        return n;
    }
}
