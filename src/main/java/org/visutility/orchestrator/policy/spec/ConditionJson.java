package org.visutility.orchestrator.policy.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.config.Durations;

/** The normalised keys that conditions over a metric window share. */
final class ConditionJson {
    /** The condition key: only snapshots whose window is final at the evaluation time count. */
    static final String SETTLED_ONLY = "settled_only";

    private ConditionJson() {
    }

    /** settled_only is written only when true, so that specs stored before it existed keep their form. */
    static ObjectNode windowed(String metric, Aggregate aggregate, Window window, long minSamples, boolean settledOnly) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("metric", metric);
        n.put("aggregate", aggregate.spelling());
        if (window.duration() != null) n.put("window", Durations.format(window.duration()));
        else n.put("snapshots", window.snapshots());
        n.put("min_samples", minSamples);
        if (settledOnly) n.put(SETTLED_ONLY, true);
        return n;
    }
}
