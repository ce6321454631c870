package org.visutility.orchestrator.support;

import org.jdbi.v3.core.Jdbi;
import org.visutility.orchestrator.policy.PolicyApplier;
import org.visutility.orchestrator.policy.eval.ConditionPool;
import org.visutility.orchestrator.policy.spec.PolicyFile;
import org.visutility.orchestrator.policy.spec.PolicyFileParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Policy files written and applied by tests. */
public final class PolicyFiles {
    private PolicyFiles() {
    }

    public static Path write(Path dir, String name, String yaml) {
        try {
            Path file = dir.resolve(name);
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the YAML to a file in dir and applies it, as {@code policies apply} does. */
    public static List<PolicyApplier.Outcome> apply(Jdbi jdbi, ConditionPool sqlConditions, Path dir, String yaml) {
        Path file = write(dir, "policies.yaml", yaml);
        PolicyFile parsed = PolicyFileParser.parse(file);
        return new PolicyApplier(jdbi, sqlConditions).apply(parsed, file.toAbsolutePath().normalize().toString());
    }

    /** A valid inline experiment spec for the given model: two trials of the built-in sphere objective. */
    public static String inlineExperiment(String model) {
        return "{model: " + model + ", objective: {metric: loss, direction: minimize}, strategy: {name: random, seed: 1},"
                + " budget: {trials: 2}, space: {x: {type: float, low: -1.0, high: 1.0}}, trainer: {type: function, function: sphere}}";
    }
}
