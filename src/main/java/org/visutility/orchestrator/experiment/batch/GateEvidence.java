package org.visutility.orchestrator.experiment.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.tuning.gate.Evaluation;
import org.visutility.orchestrator.tuning.gate.GateVerdict;

import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The gate's evidence as the shared contract spells it: gate_result.evidence is
 * {"candidate": {"version", "metrics"}, "active": {"version", "metrics"} | null, "no_worse": {m:
 * {"candidate", "active", "ok"}}, "evaluator": "builtin" | "command" | null}; a version whose
 * evaluation failed has {"metrics": {}, "error": why}. The candidate's version event gets
 * {"experiment_id": N, "gate": that plus metric, direction, min_gain, candidate_score, active_score}
 * ({"gate": null} when the spec has no gate).
 */
final class GateEvidence {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private GateEvidence() {
    }

    /** Evidence with no evaluation at all (no gate): the versions only. */
    static ObjectNode unscored(GateRows.Version candidate, Optional<GateRows.Version> active) {
        ObjectNode n = F.objectNode();
        n.set("candidate", F.objectNode().put("version", candidate.version()).set("metrics", F.nullNode()));
        n.set("active", active.<JsonNode>map(a -> F.objectNode().put("version", a.version()).set("metrics", F.nullNode()))
                .orElse(F.nullNode()));
        n.set("no_worse", F.objectNode());
        n.set("evaluator", F.nullNode());
        return n;
    }

    static ObjectNode scored(GateRows.Version candidate, Evaluation c, Optional<GateRows.Version> active, Optional<Evaluation> a,
                             GateVerdict verdict, String evaluator) {
        ObjectNode n = F.objectNode();
        n.set("candidate", version(candidate, Optional.of(c)));
        n.set("active", active.<JsonNode>map(v -> version(v, a)).orElse(F.nullNode()));
        ObjectNode noWorse = n.putObject("no_worse");
        verdict.noWorse().forEach((m, check) -> noWorse.set(m, F.objectNode()
                .put("candidate", check.candidate()).put("active", check.active()).put("ok", check.ok())));
        n.put("evaluator", evaluator);
        return n;
    }

    /** The version event's evidence: the experiment, and the gate's evidence with its rule and scores (null: no gate). */
    static ObjectNode event(long experimentId, GateRows.Result r, boolean hasGate) {
        ObjectNode n = F.objectNode().put("experiment_id", experimentId);
        if (!hasGate) {
            n.set("gate", F.nullNode());
            return n;
        }
        ObjectNode gate = r.evidence().deepCopy();
        gate.put("metric", r.metric().orElse(null)).put("direction", r.direction().orElse(null));
        number(gate, "min_gain", r.minGain());
        number(gate, "candidate_score", r.candidateScore());
        number(gate, "active_score", r.activeScore());
        n.set("gate", gate);
        return n;
    }

    private static ObjectNode version(GateRows.Version v, Optional<Evaluation> e) {
        ObjectNode n = F.objectNode().put("version", v.version());
        ObjectNode metrics = n.putObject("metrics");
        e.ifPresent(ev -> {
            ev.metrics().forEach(metrics::put);
            ev.failure().ifPresent(f -> n.put("error", GateRows.bounded(f, GateRows.MAX_REASON)));
        });
        return n;
    }

    private static void number(ObjectNode n, String key, OptionalDouble d) {
        if (d.isPresent()) n.put(key, d.getAsDouble());
        else n.putNull(key);
    }
}
