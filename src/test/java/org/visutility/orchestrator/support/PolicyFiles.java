package org.visutility.orchestrator.support;

import org.jdbi.v3.core.Jdbi;
import org.visutility.orchestrator.policy.PolicyApplier;
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
    public static List<PolicyApplier.Outcome> apply(Jdbi jdbi, Path dir, String yaml) {
        Path file = write(dir, "policies.yaml", yaml);
        PolicyFile parsed = PolicyFileParser.parse(file);
        return new PolicyApplier(jdbi).apply(parsed, file.toAbsolutePath().normalize().toString());
    }

    /** An inline experiment spec for the given model, enough for policies under test. */
    public static String inlineExperiment(String model) {
        return "{model: " + model + ", objective: {metric: val_accuracy, direction: maximize}, strategy: {name: random, seed: 1},"
                + " budget: {trials: 2}, space: {lr: {type: float, low: 0.001, high: 0.1}}, trainer: {type: command, command: [\"true\"]}}";
    }
}
