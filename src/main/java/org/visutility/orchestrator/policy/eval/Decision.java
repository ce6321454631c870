package org.visutility.orchestrator.policy.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.config.Durations;

/** What one pass decided for one (policy, model): its step, and whether to enqueue an experiment (and if not, what held it back). */
record Decision(PolicyTarget target, Step step, boolean enqueue, EnqueueGuard.Hold hold) {

    /** A state change, or an experiment to enqueue, is recorded as a policy_evaluation row. */
    boolean recorded() {
        return step.changed() || enqueue;
    }

    /**
     * Whether the state row needs writing: something is recorded, or the observed value moved.
     * A pass that finds nothing new writes nothing, so a fleet's steady state costs no writes.
     */
    boolean writes() {
        return recorded() || !java.util.Objects.equals(target.lastObserved(), step.decidingResult().observed());
    }

    ObjectNode detail() {
        return detail(java.util.Map.of());
    }

    /** What policy_evaluation.detail records; {@code versions} maps evidence snapshot ids to their model versions. */
    ObjectNode detail(java.util.Map<Long, EvidenceVersions.Version> versions) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("policy", target.policyName());
        n.put("policy_version", target.version());
        n.put("for", Durations.format(target.spec().holdFor()));
        n.put("cooldown", Durations.format(target.spec().cooldown()));
        ArrayNode conditions = n.putArray("conditions");
        step.results().forEach(r -> conditions.add(r.toJson(versions)));
        if (step.to() == PolicyState.FIRING) n.put("enqueue", enqueue);
        if (hold != null) {
            n.put("guard", hold.note());
            n.set("held_back", hold.toJson());
        }
        return n;
    }
}
