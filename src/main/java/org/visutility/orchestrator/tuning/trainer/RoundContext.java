package org.visutility.orchestrator.tuning.trainer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Why a trainer runs, the same for every trial of one experiment: the model, the version serving it
 * now and that version's hyperparameters, the trigger (the policy decision that enqueued the
 * experiment, or a manual submit) and the round (the experiment's place among the model's
 * experiments). A command trainer gets it as ORCH_MODEL, ORCH_SERVING_VERSION,
 * ORCH_SERVING_HYPERPARAMETERS, ORCH_TRIGGER and ORCH_ROUND; built-in trainers log it.
 *
 * @param servingHyperparameters the serving version's best set as a JSON object; empty ({}) when
 *                               unknown (no serving version, or one not made by an experiment)
 * @param trigger                the trigger as ORCH_TRIGGER spells it (see {@link #trigger})
 */
public record RoundContext(String model, Optional<String> servingVersion, ObjectNode servingHyperparameters, ObjectNode trigger,
                           int round) {
    /** No context: a trainer run outside an experiment (the gate's evaluator, tests); no ORCH_MODEL and the rest are set. */
    public static final RoundContext NONE = new RoundContext("", Optional.empty(), JsonNodeFactory.instance.objectNode(),
            JsonNodeFactory.instance.objectNode(), 0);
    /** The longest value of one context variable, in characters (Linux takes 128 KiB a variable; a trainer's command line shares the rest). */
    public static final int MAX_VALUE_CHARS = 16_384;
    /** The longest condition text carried in ORCH_TRIGGER; a longer one is cut and ends with "...". */
    public static final int MAX_CONDITION_CHARS = 1_000;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The policy decision that enqueued the experiment, all fields null but {@code type} for a manual one. */
    public record Trigger(String type, String policy, Integer policyVersion, String condition, Double observed, Double threshold,
                          String decidedAt, String evidenceWindowStart, String evidenceWindowEnd) {
    }

    /** ORCH_TRIGGER: {"type", "policy", "policy_version", "condition", "observed", "threshold", "decided_at", "evidence_window_start", "evidence_window_end"}. */
    public static ObjectNode trigger(Trigger t) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("type", t.type()).put("policy", t.policy()).put("policy_version", t.policyVersion());
        String condition = t.condition();
        if (condition != null && condition.length() > MAX_CONDITION_CHARS) condition = condition.substring(0, MAX_CONDITION_CHARS - 3) + "...";
        n.put("condition", TrainerText.clean(condition)).put("observed", t.observed()).put("threshold", t.threshold())
                .put("decided_at", t.decidedAt()).put("evidence_window_start", t.evidenceWindowStart())
                .put("evidence_window_end", t.evidenceWindowEnd());
        return n;
    }

    public boolean known() {
        return round > 0;
    }

    /** The variables a command trainer gets; none when the context is not known. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        if (!known()) return env;
        env.put("ORCH_MODEL", model);
        env.put("ORCH_SERVING_VERSION", servingVersion.orElse(""));
        env.put("ORCH_SERVING_HYPERPARAMETERS", bounded(servingHyperparameters));
        env.put("ORCH_TRIGGER", bounded(trigger));
        env.put("ORCH_ROUND", Integer.toString(round));
        return env;
    }

    /** For a log line: "model churn, round 3, serving v2, trigger policy churn-accuracy-floor v1". */
    public String describe() {
        if (!known()) return "no experiment context";
        String why = trigger.path("policy").isTextual()
                ? "policy " + trigger.path("policy").asText() + " v" + trigger.path("policy_version").asText()
                : trigger.path("type").asText("submit");
        return "model " + model + ", round " + round + ", serving " + servingVersion.orElse("none") + ", trigger " + why;
    }

    /** The JSON text, or {} when it is longer than {@link #MAX_VALUE_CHARS} (the trainer then reads it from lineage). */
    private static String bounded(JsonNode json) {
        String text;
        try {
            text = MAPPER.writeValueAsString(json);
        } catch (Exception e) {
            return "{}";
        }
        return text.length() > MAX_VALUE_CHARS ? "{}" : text;
    }
}
