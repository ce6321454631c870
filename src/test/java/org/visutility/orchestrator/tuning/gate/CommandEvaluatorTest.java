package org.visutility.orchestrator.tuning.gate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The evaluator protocol: --artifact=URI, ORCH_EVAL_*, one JSON object of metrics on stdout. */
class CommandEvaluatorTest {
    static final Path SCRIPTS = Path.of("src/test/resources/org/visutility/orchestrator/experiment/batch/gate").toAbsolutePath();

    @TempDir
    Path tmp;

    private EvaluationRequest request(Path artifact, EvaluationRole role) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("eval-" + role.spelling()));
        return new EvaluationRequest("churn", "experiment-7", 7, role, Optional.of(artifact.toUri().toString()), dir, () -> false);
    }

    private static CommandEvaluator script(String name) {
        return new CommandEvaluator(List.of("sh", SCRIPTS.resolve(name).toString()), Duration.ofSeconds(30), Optional.empty());
    }

    @Test
    void theProgramGetsTheArtifactAndTheEvalEnvironmentAndItsJsonObjectIsTheMetrics() throws Exception {
        Path artifact = Files.writeString(tmp.resolve("model.json"), "{\"accuracy\": 0.91, \"recall\": 0.8}\n");
        EvaluationRequest r = request(artifact, EvaluationRole.ACTIVE);

        Evaluation e = Evaluator.safely(script("evaluate.sh"), r);

        assertThat(e.ok()).as(e.failure().orElse("")).isTrue();
        assertThat(e.metrics()).containsEntry("accuracy", 0.91).containsEntry("recall", 0.8).hasSize(2);
        List<String> seen = Files.readAllLines(tmp.resolve("evaluated-as-active.txt"));
        assertThat(seen).contains("args=--artifact=" + artifact.toUri(), "model=churn", "version=experiment-7",
                "experiment=7", "role=active", "dir=" + r.directory(), "dir_exists=yes", "secret=none");
    }

    @Test
    void anExitStatusOtherThanZeroFailsWithTheStderrTail() throws Exception {
        Evaluation e = Evaluator.safely(script("fails.sh"), request(Files.writeString(tmp.resolve("m"), "{}"), EvaluationRole.CANDIDATE));
        assertThat(e.ok()).isFalse();
        assertThat(e.failure().orElseThrow()).startsWith("evaluator failed for candidate version experiment-7: exit status 1")
                .contains("cannot open the evaluation data");
    }

    @Test
    void outputWithoutAJsonObjectFails() throws Exception {
        Evaluation e = Evaluator.safely(script("garbage.sh"), request(Files.writeString(tmp.resolve("m"), "{}"), EvaluationRole.CANDIDATE));
        assertThat(e.ok()).isFalse();
        assertThat(e.failure().orElseThrow()).contains("no final report");
    }

    @Test
    void aVersionWithoutArtifactIsNotEvaluatedAtAll() throws Exception {
        EvaluationRequest none = new EvaluationRequest("churn", "v1", 7, EvaluationRole.ACTIVE, Optional.empty(), tmp, () -> false);
        Evaluation e = Evaluator.safely(script("evaluate.sh"), none);
        assertThat(e.failure()).hasValue("active version v1 has no artifact_uri: it cannot be scored");
        assertThat(tmp.resolve("evaluated-as-active.txt")).doesNotExist();
    }

    @Test
    void theTimeoutKillsTheProgramAndNamesTheGatesSetting() throws Exception {
        Path slow = Files.writeString(tmp.resolve("slow.sh"), "sleep 30\n");
        CommandEvaluator evaluator = new CommandEvaluator(List.of("sh", slow.toString()), Duration.ofMillis(300), Optional.empty());
        Evaluation e = Evaluator.safely(evaluator, request(Files.writeString(tmp.resolve("m"), "{}"), EvaluationRole.CANDIDATE));
        assertThat(e.failure().orElseThrow()).contains("timed out after", "(gate.evaluator.timeout)");
    }
}
