package org.visutility.orchestrator.policy.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.policy.spec.Condition;

import java.util.List;

/**
 * The verdict of one condition: whether it holds (a breach), whether it has recovered (for a
 * firing policy: past its resolve line), the observed value and the threshold it was compared
 * with, and the snapshots it was computed from. {@code holds} and {@code recovered} are null
 * when the evidence does not count (no snapshots, too few samples, an error): such a condition
 * neither fires nor resolves a policy.
 */
public record ConditionResult(Condition condition, Boolean holds, Boolean recovered, Double observed, Double threshold,
                              List<Long> evidence, String note) {

    public ConditionResult {
        evidence = List.copyOf(evidence);
    }

    public static ConditionResult unknown(Condition condition, String why, List<Long> evidence) {
        return new ConditionResult(condition, null, null, null, null, evidence, why);
    }

    public static ConditionResult of(Condition condition, boolean holds, boolean recovered, double observed, Double threshold,
                                     List<Long> evidence, String note) {
        return new ConditionResult(condition, holds, recovered, observed, threshold, evidence, note);
    }

    public boolean breach() {
        return Boolean.TRUE.equals(holds);
    }

    public boolean hasRecovered() {
        return Boolean.TRUE.equals(recovered);
    }

    public ObjectNode toJson() {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("condition", condition.describe());
        n.put("holds", holds);
        n.put("recovered", recovered);
        n.put("observed", observed);
        n.put("threshold", threshold);
        n.put("evidence_snapshots", evidence.size());
        if (note != null) n.put("note", note);
        return n;
    }
}
