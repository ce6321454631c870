package org.visutility.orchestrator.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.support.Cli;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** With --json every error is one JSON object on stdout, with the exit status the command returns. */
@ExtendWith(PostgresExtension.class)
class JsonErrorsTest {
    @TempDir
    Path dir;

    /** The one JSON object on stdout, checked against the exit status. */
    private static JsonNode answer(Cli.Run run, int status) throws Exception {
        assertThat(run.status()).as("exit status; stderr: %s", run.err()).isEqualTo(status);
        assertThat(run.out().strip().lines()).as("stdout holds one line: %s", run.out()).hasSize(1);
        JsonNode json = Json.MAPPER.readTree(run.out());
        assertThat(json.isObject()).isTrue();
        assertThat(json.path("exit_code").asInt()).isEqualTo(status);
        assertThat(json.path("error").asText()).isNotBlank();
        return json;
    }

    @Test
    void aSpecThatIsNotValidYamlAnswersWithTheErrorAndStatus2() throws Exception {
        Path spec = Files.writeString(dir.resolve("bad.yaml"), "model: m\nobjective: {metric: accuracy\n");
        JsonNode json = answer(Cli.run(Map.of(), "experiments", "submit", spec.toString(), "--json"), ExitCode.USAGE);
        assertThat(json.path("error").asText()).contains("bad.yaml").contains("not valid YAML").contains("line");
        assertThat(json.path("command").asText()).isEqualTo("experiments submit");
    }

    @Test
    void aSpecThatBreaksRulesAnswersWithStatus2() throws Exception {
        Path spec = Files.writeString(dir.resolve("rules.yaml"), "model: m\nbudgett: 3\n");
        JsonNode json = answer(Cli.run(Map.of(), "experiments", "submit", spec.toString(), "--json"), ExitCode.USAGE);
        assertThat(json.path("error").asText()).contains("budgett: unknown key");
    }

    @Test
    void aMissingFileAnswersWithStatus2ForEachCommandThatReadsOne() throws Exception {
        assertThat(answer(Cli.run(Map.of(), "experiments", "submit", "/no/such/spec.yaml", "--json"), ExitCode.USAGE)
                .path("error").asText()).contains("/no/such/spec.yaml");
        assertThat(answer(Cli.run(Map.of(), "policies", "apply", "/no/such/policies.yaml", "--json"), ExitCode.USAGE)
                .path("error").asText()).contains("/no/such/policies.yaml");
        assertThat(answer(Cli.run(Map.of(), "ingest", "/no/such/snapshots.csv", "--json"), ExitCode.USAGE)
                .path("error").asText()).contains("/no/such/snapshots.csv");
    }

    @Test
    void anInvalidPolicyFileListsEachProblemWithItsLine() throws Exception {
        Path file = Files.writeString(dir.resolve("policies.yaml"), """
                policies:
                  - name: p
                    model: m
                    when: {metric: accuracy, belw: 0.8, snapshots: 3}
                """);
        JsonNode json = answer(Cli.run(Map.of(), "policies", "apply", file.toString(), "--json"), ExitCode.USAGE);
        assertThat(json.path("problems")).isNotEmpty();
        assertThat(json.path("problems").get(0).path("line").asInt()).isEqualTo(4);
    }

    @Test
    void anUnknownIdAnswersWithStatus2(TestDatabase db) throws Exception {
        Map<String, String> env = db.environment(Map.of());
        assertThat(answer(Cli.run(env, "experiments", "show", "987654", "--json"), ExitCode.USAGE).path("error").asText())
                .isEqualTo("no experiment 987654");
        assertThat(answer(Cli.run(env, "experiments", "cancel", "987654", "--json"), ExitCode.USAGE).path("command").asText())
                .isEqualTo("experiments cancel");
        answer(Cli.run(env, "ops", "restart", "987654", "--json"), ExitCode.USAGE);
    }

    @Test
    void anInvalidSnapshotFileAnswersWithItsViolationsTheErrorAndStatus2(TestDatabase db) throws Exception {
        Path file = Files.writeString(dir.resolve("snapshots.csv"), "model,version,observed_at,sample_count,accuracy\nm,1,not-a-time,10,0.9\n");
        JsonNode json = answer(Cli.run(db.environment(Map.of()), "ingest", file.toString(), "--json"), ExitCode.USAGE);
        assertThat(json.path("status").asText()).isEqualTo("invalid");
        assertThat(json.path("violations")).isNotEmpty();
    }

    @Test
    void aRefusedOpsCommandAnswersWithTheReasonAndStatus1(TestDatabase db) throws Exception {
        long id = org.visutility.orchestrator.support.Experiments.queue(db, org.visutility.orchestrator.support.Experiments.sphere(2, 1));
        JsonNode json = answer(Cli.run(db.environment(Map.of()), "ops", "abandon", Long.toString(id), "--json"), ExitCode.FAILED);
        assertThat(json.path("status").asText()).isEqualTo("queued");
        assertThat(json.path("error").asText()).startsWith("experiment " + id + ": ");
    }

    @Test
    void anUnknownOptionAndAMissingParameterAnswerWithStatus2() throws Exception {
        assertThat(answer(Cli.run(Map.of(), "experiments", "list", "--json", "--frobnicate"), ExitCode.USAGE)
                .path("error").asText()).contains("--frobnicate");
        answer(Cli.run(Map.of(), "experiments", "show", "--json"), ExitCode.USAGE);
        answer(Cli.run(Map.of(), "experiments", "show", "not-a-number", "--json"), ExitCode.USAGE);
    }

    @Test
    void anInvalidSettingAnswersWithStatus2() throws Exception {
        JsonNode json = answer(Cli.run(Map.of("ORCHESTRATOR_DB_URL", "mysql://localhost/db"), "migrate", "--json"), ExitCode.USAGE);
        assertThat(json.path("error").asText()).contains("ORCHESTRATOR_DB_URL");
    }

    @Test
    void anUnreachableDatabaseAnswersWithStatus1() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        JsonNode json = answer(Cli.run(Map.of("ORCHESTRATOR_DB_URL", "jdbc:postgresql://127.0.0.1:" + closedPort + "/orchestrator"),
                "migrate", "--json"), ExitCode.FAILED);
        assertThat(json.path("error").asText()).contains("cannot connect to the database");
    }

    @Test
    void withoutJsonAnErrorLeavesStdoutEmptyAndSaysItOnStderr() {
        Cli.Run run = Cli.run(Map.of(), "experiments", "submit", "/no/such/spec.yaml");
        assertThat(run.status()).isEqualTo(ExitCode.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("orchestrator: ").contains("/no/such/spec.yaml");
    }

    @Test
    void aJsonAfterDoubleDashIsAParameterNotTheOption() {
        assertThat(ErrorAnswer.jsonRequested(new String[] {"ingest", "--", "--json"})).isFalse();
        assertThat(ErrorAnswer.jsonRequested(new String[] {"ingest", "--json", "x"})).isTrue();
    }
}
