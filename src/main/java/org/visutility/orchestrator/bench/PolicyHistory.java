package org.visutility.orchestrator.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.policy.PolicyApplier;
import org.visutility.orchestrator.policy.eval.ConditionPool;
import org.visutility.orchestrator.policy.eval.PolicyEvaluator;
import org.visutility.orchestrator.policy.notify.PolicyObserver;
import org.visutility.orchestrator.policy.spec.PolicyFile;
import org.visutility.orchestrator.policy.spec.PolicyFileParser;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

/**
 * Retrain policies on the bench's first models (an accuracy floor, and two drift rules on the
 * histograms of {@link DriftHistory}: PSI of the inputs and the estimated accuracy), applied as
 * {@code policies apply} applies a file (a new threshold makes the floor's next version), and policy
 * passes as the clustered job runs
 * them (at the wall clock, on the values recorded by then): the firings enqueue experiments with
 * their evidence, which the bench then runs through the engine like any queued run.
 */
final class PolicyHistory implements AutoCloseable {
    /** Each policy's experiment: fewer trials than the submitted runs, as a retrain on a breach is tuned narrower. */
    static final int TRIALS = 10;
    static final String SOURCE = "bench-lineage-policies.yaml";

    private final ConditionPool sqlConditions;
    private final PolicyApplier applier;
    private final PolicyEvaluator evaluator;
    private final JsonNode template;
    private final int models;

    /** @param models how many of the first models get a policy */
    PolicyHistory(ScratchDatabase scratch, OrchestratorConfig config, JsonNode experimentTemplate, int models) {
        this.sqlConditions = new ConditionPool(scratch.jdbi(), scratch.url(), config.policySqlPassword());
        this.applier = new PolicyApplier(scratch.jdbi(), sqlConditions);
        this.evaluator = new PolicyEvaluator(scratch.jdbi(), sqlConditions, Clock.systemUTC(), PolicyObserver.NONE);
        this.template = experimentTemplate;
        this.models = models;
    }

    /** How many of {@code models} get a policy: one in twenty, at least two. */
    static int policyModels(int models) {
        return Math.min(models, Math.max(2, models / 20));
    }

    /**
     * Applies three policies per model (accuracy's last value over 2 h below {@code floor}; PSI above 0.2 on the inputs
     * over 3 h; estimated accuracy below 0.8 over 3 h); returns how many versions it made.
     */
    int apply(double floor) {
        PolicyFile file = PolicyFileParser.parse(policyFile(floor), SOURCE, Path.of("."));
        List<PolicyApplier.Outcome> outcomes = applier.apply(file, SOURCE, "operator:bench");
        return (int) outcomes.stream().filter(o -> o.action() != PolicyApplier.Action.UNCHANGED).count();
    }

    /** One pass of every policy at the wall clock. */
    PolicyEvaluator.PassResult pass() {
        return evaluator.evaluateOnce();
    }

    static String policyName(int model) {
        return String.format(Locale.ROOT, "bench-accuracy-floor-%05d", model);
    }

    static String driftPolicyName(int model) {
        return String.format(Locale.ROOT, "bench-input-drift-%05d", model);
    }

    static String estimatedPolicyName(int model) {
        return String.format(Locale.ROOT, "bench-estimated-accuracy-%05d", model);
    }

    private String policyFile(double floor) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode policies = root.putArray("policies");
        for (int m = 0; m < models; m++) {
            String model = SnapshotHistory.modelName(m);
            ObjectNode p = policies.addObject().put("name", policyName(m)).put("model", model);
            p.putObject("when").put("metric", "accuracy").put("aggregate", "last").put("window", "2h").put("below", floor);
            p.put("cooldown", "1h");
            p.set("experiment", experiment(model, m));
            // the drift rules read the histograms DriftHistory sends: PSI of the inputs, reconciled with the realised
            // accuracy, and the score's estimated accuracy (CBPE)
            ObjectNode drift = policies.addObject().put("name", driftPolicyName(m)).put("model", model);
            ObjectNode d = drift.putObject("when").putObject("drift");
            DriftHistory.INPUTS.forEach(d.putArray("features")::add);
            d.put("method", "psi").put("above", 0.2).put("window", "3h").put("min_samples", 500);
            d.putObject("reconcile").put("metric", "accuracy").put("below", 0.9);
            drift.put("cooldown", "1h");
            drift.set("experiment", experiment(model, m));
            ObjectNode estimated = policies.addObject().put("name", estimatedPolicyName(m)).put("model", model);
            estimated.putObject("when").putObject("estimated").put("metric", "accuracy").put("below", 0.8).put("window", "3h")
                    .put("min_samples", 1000);
            estimated.put("cooldown", "1h");
            estimated.set("experiment", experiment(model, m));
        }
        try {
            return Json.YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the bench's policy file", e);
        }
    }

    private ObjectNode experiment(String model, int seed) {
        ObjectNode experiment = template.deepCopy();
        experiment.put("model", model);
        ((ObjectNode) experiment.get("strategy")).put("seed", seed);
        ((ObjectNode) experiment.get("budget")).put("trials", TRIALS);
        return experiment;
    }

    @Override
    public void close() {
        sqlConditions.close();
    }
}
