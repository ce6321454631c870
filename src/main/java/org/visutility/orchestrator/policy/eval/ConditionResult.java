package org.visutility.orchestrator.policy.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.policy.spec.Condition;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The verdict of one condition: whether it holds (a breach), whether it has recovered (for a
 * firing policy: past its resolve line), the observed value and the threshold it was compared
 * with, and the snapshots it was computed from. {@code holds} and {@code recovered} are null
 * when the evidence does not count (no snapshots, too few samples, an error): such a condition
 * neither fires nor resolves a policy. {@code facts} are kind-specific keys added to the condition's
 * JSON (a staleness condition's last snapshot), or null.
 */
public record ConditionResult(Condition condition, Boolean holds, Boolean recovered, Double observed, Double threshold,
                              List<Long> evidence, String note, ObjectNode facts, List<FeatureScore> features) {

    public ConditionResult {
        evidence = evidence instanceof EvidenceIds ? evidence : List.copyOf(evidence); // EvidenceIds: unmodifiable already
        facts = facts == null ? null : facts.deepCopy();
        features = features == null ? List.of() : List.copyOf(features);
    }

    public ConditionResult(Condition condition, Boolean holds, Boolean recovered, Double observed, Double threshold,
                           List<Long> evidence, String note, ObjectNode facts) {
        this(condition, holds, recovered, observed, threshold, evidence, note, facts, List.of());
    }

    public ConditionResult(Condition condition, Boolean holds, Boolean recovered, Double observed, Double threshold,
                           List<Long> evidence, String note) {
        this(condition, holds, recovered, observed, threshold, evidence, note, null);
    }

    /** The same verdict with {@code facts} added to its JSON. */
    public ConditionResult withFacts(ObjectNode facts) {
        return new ConditionResult(condition, holds, recovered, observed, threshold, evidence, note, facts, features);
    }

    /** The same verdict with its per-feature scores (drift and estimated conditions), recorded in drift_evidence. */
    public ConditionResult withFeatures(List<FeatureScore> features) {
        return new ConditionResult(condition, holds, recovered, observed, threshold, evidence, note, facts, features);
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
        return toJson(Map.of());
    }

    /**
     * The verdict as recorded in policy_evaluation.detail: with {@code versions} (snapshot id to the
     * model version it observed) its evidence's model versions, model_version and model_version_id
     * when they are one version.
     */
    public ObjectNode toJson(Map<Long, EvidenceVersions.Version> versions) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("condition", condition.describe());
        n.put("holds", holds);
        n.put("recovered", recovered);
        n.put("observed", observed);
        n.put("threshold", threshold);
        n.put("evidence_snapshots", evidence.size());
        Map<Long, EvidenceVersions.Version> seen = new TreeMap<>();
        for (Long id : evidence) {
            EvidenceVersions.Version v = versions.get(id);
            if (v != null) seen.put(v.id(), v);
        }
        if (seen.size() == 1) {
            EvidenceVersions.Version only = seen.values().iterator().next();
            n.put("model_version_id", only.id()).put("model_version", only.label());
        }
        ArrayNode list = n.putArray("model_versions");
        seen.values().forEach(v -> list.addObject().put("id", v.id()).put("version", v.label()));
        if (facts != null) n.setAll(facts);
        if (note != null) n.put("note", note);
        return n;
    }
}
