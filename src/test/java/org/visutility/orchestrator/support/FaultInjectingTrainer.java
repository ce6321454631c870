package org.visutility.orchestrator.support;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.tuning.Fields;
import org.visutility.orchestrator.tuning.SearchSpace;
import org.visutility.orchestrator.tuning.Violations;
import org.visutility.orchestrator.tuning.trainer.FunctionTrainer;
import org.visutility.orchestrator.tuning.trainer.Trainer;
import org.visutility.orchestrator.tuning.trainer.TrainerProvider;
import org.visutility.orchestrator.tuning.trainer.TrialResult;

/**
 * A test trainer (type {@code test-fault}, registered through the trainer SPI from the test class
 * path): scores like the built-in sphere, but on the first attempt of trial {@code crash_at} it
 * throws an Error, the way a node's engine fails (not a trial failure): the run's job fails there.
 * Trials listed in {@code fail} fail as trials (a failed result); those listed in {@code flaky} fail
 * so until the file {@code fixed_by} exists (a cause that ops fix). {@code crash_attempt} moves the
 * crash to another attempt of trial {@code crash_at} (default 1). With {@code nul: true} the crash's
 * message carries a NUL byte, as text quoted from a trainer can; with {@code launch_error: true}
 * the trainer cannot even be created (a launch error), again with a NUL in its message. Trials
 * listed in {@code nan} and {@code infinite} complete with a loss of NaN and of +Infinity.
 */
public final class FaultInjectingTrainer implements TrainerProvider {
    public static final String TYPE = "test-fault";

    /** What the engine sees when the planned failure strikes. */
    public static final class PlannedCrash extends Error {
        public PlannedCrash(int trial) {
            this(trial, false);
        }

        public PlannedCrash(int trial, boolean nul) {
            super("planned crash in trial " + trial + (nul ? " with a \0 byte" : ""));
        }
    }

    /** A 10-trial random search (seed 11) whose engine fails in trial {@code crashAt}'s first attempt. */
    public static String crashingSpec(int crashAt) {
        return """
                model: churn
                objective: {metric: loss, direction: minimize}
                strategy: {name: random, seed: 11}
                budget: {trials: 10}
                space:
                  x: {type: float, low: 0.0, high: 1.0}
                trainer: {type: test-fault, crash_at: %d}
                """.formatted(crashAt);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void validate(ObjectNode options, Violations v) {
        Fields.onlyKeys(options, "trainer", v, "type", "crash_at", "crash_attempt", "fail", "flaky", "fixed_by", "nul", "launch_error", "nan", "infinite");
        Fields.wholeNumber(options, "crash_at", "trainer", v, false, 0, Integer.MAX_VALUE);
        Fields.wholeNumber(options, "crash_attempt", "trainer", v, false, 1, Integer.MAX_VALUE);
    }

    @Override
    public Trainer create(ObjectNode options, SearchSpace space) {
        if (options.path("launch_error").asBoolean()) throw new IllegalStateException("planned launch error with a \0 byte");
        int crashAt = options.path("crash_at").asInt(-1);
        int crashAttempt = options.path("crash_attempt").asInt(1);
        boolean nul = options.path("nul").asBoolean();
        java.util.Set<Integer> fail = new java.util.HashSet<>();
        options.path("fail").forEach(n -> fail.add(n.asInt()));
        java.util.Set<Integer> nan = new java.util.HashSet<>();
        options.path("nan").forEach(n -> nan.add(n.asInt()));
        java.util.Set<Integer> infinite = new java.util.HashSet<>();
        options.path("infinite").forEach(n -> infinite.add(n.asInt()));
        java.util.Set<Integer> flaky = new java.util.HashSet<>();
        options.path("flaky").forEach(n -> flaky.add(n.asInt()));
        java.nio.file.Path fixedBy = java.nio.file.Path.of(options.path("fixed_by").asText("/nonexistent"));
        Trainer sphere = new FunctionTrainer(space);
        return (trial, reporter) -> {
            if (trial.number() == crashAt && trial.attempt() == crashAttempt) throw new PlannedCrash(trial.number(), nul);
            if (fail.contains(trial.number())) return TrialResult.failed("planned failure of trial " + trial.number());
            if (nan.contains(trial.number())) return TrialResult.complete(java.util.Map.of("loss", Double.NaN), java.util.Optional.empty());
            if (infinite.contains(trial.number())) {
                return TrialResult.complete(java.util.Map.of("loss", Double.POSITIVE_INFINITY), java.util.Optional.empty());
            }
            if (flaky.contains(trial.number()) && !java.nio.file.Files.exists(fixedBy)) {
                return TrialResult.failed("trial " + trial.number() + " fails until " + fixedBy + " exists");
            }
            return sphere.train(trial, reporter);
        };
    }
}
