package org.visutility.orchestrator.collect;

import org.visutility.orchestrator.node.HealthSection;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The "collectors" section of GET /health: each SQL collector's last success, last failure with its
 * error, and failed runs in a row; the node is degraded while one has failed
 * ORCHESTRATOR_COLLECTOR_DEGRADED_AFTER runs in a row, and up again after its next success.
 */
final class CollectorsHealth implements HealthSection {
    static final String FAILING = "failing";

    private final CollectorRunStates states;
    private final int degradedAfter;

    CollectorsHealth(CollectorRunStates states, int degradedAfter) {
        this.states = states;
        this.degradedAfter = degradedAfter;
    }

    @Override
    public String name() {
        return "collectors";
    }

    @Override
    public Map<String, Object> report() {
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            List<CollectorRunState> each = states.read();
            List<String> failing = each.stream().filter(s -> s.failingAfter(degradedAfter)).map(CollectorRunState::collector).toList();
            out.put("status", failing.isEmpty() ? "up" : "degraded");
            out.put(FAILING, failing);
            out.put("degraded_after", degradedAfter);
            out.put("list", each.stream().map(s -> s.toJson(degradedAfter)).toList());
        } catch (RuntimeException e) {
            out.put("error", e.getMessage());
            out.put("degraded_after", degradedAfter);
        }
        return out;
    }

    @Override
    public boolean degrades(Map<String, Object> report) {
        return report.get(FAILING) instanceof List<?> failing && !failing.isEmpty();
    }
}
