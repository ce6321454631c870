package org.visutility.orchestrator.policy.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.config.Durations;

/** The normalised keys that conditions over a metric window share. */
final class ConditionJson {
    private ConditionJson() {
    }

    static ObjectNode windowed(String metric, Aggregate aggregate, Window window, long minSamples) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("metric", metric);
        n.put("aggregate", aggregate.spelling());
        if (window.duration() != null) n.put("window", Durations.format(window.duration()));
        else n.put("snapshots", window.snapshots());
        n.put("min_samples", minSamples);
        return n;
    }
}
