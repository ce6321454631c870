package org.visutility.orchestrator.tuning.gate;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * One version to score.
 *
 * @param artifactUri the version's model_version.artifact_uri; empty when it has none (it cannot be scored)
 * @param directory   a fresh folder for this evaluation (ORCH_EVAL_DIR)
 * @param stop        raised when the run must stop now (cancel, shutdown, lost ownership)
 */
public record EvaluationRequest(String model, String version, long experimentId, EvaluationRole role,
                                Optional<String> artifactUri, Path directory, BooleanSupplier stop) {
    /** "candidate experiment-7", "active v3": how messages name the version. */
    public String label() {
        return role.spelling() + " version " + version;
    }
}
