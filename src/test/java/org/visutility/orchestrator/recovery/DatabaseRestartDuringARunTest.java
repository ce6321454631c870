package org.visutility.orchestrator.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.config.ConfigLoader;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.experiment.ExperimentModule;
import org.visutility.orchestrator.experiment.ExperimentRows;
import org.visutility.orchestrator.experiment.ExperimentSpec;
import org.visutility.orchestrator.ops.OpsModule;
import org.visutility.orchestrator.store.DatabaseConnector;
import org.visutility.orchestrator.store.EmbeddedPostgresServer;
import org.visutility.orchestrator.support.Await;
import org.visutility.orchestrator.support.Cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database server restarts (a fast shutdown: every connection is cut, then it is gone for a
 * while) in the middle of a run. The node reconnects on its own; the run either finishes, or fails
 * cleanly and ops restart finishes it. Every trial number is recorded once either way. The test
 * owns its PostgreSQL server, so that restarting it disturbs no other test.
 */
class DatabaseRestartDuringARunTest {
    private static final int TRIALS = 16;

    @TempDir
    Path dir;

    @Test
    void theNodeReconnectsAndTheRunFinishesOrIsRestartedWithEveryTrialOnce() throws Exception {
        Path data = dir.resolve("pg");
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data, 0);
        int port = server.port();
        String url = server.jdbcUrl("postgres");
        Map<String, String> env = new HashMap<>(Map.of(
                "ORCHESTRATOR_DB_URL", url, "ORCHESTRATOR_DB_USER", server.superuser(), "ORCHESTRATOR_HTTP_PORT", "0",
                "ORCHESTRATOR_HOME", dir.resolve("home").toString(), "ORCHESTRATOR_DB_POOL_SIZE", "5",
                "ORCHESTRATOR_CLUSTER_CHECKIN_INTERVAL", "1s", "ORCHESTRATOR_HEARTBEAT_INTERVAL", "300ms",
                "ORCHESTRATOR_RESCUE_AFTER", "2s", "ORCHESTRATOR_DISPATCH_INTERVAL", "300ms"));
        env.put("ORCHESTRATOR_RESCUE_INTERVAL", "500ms");
        OrchestratorConfig config = ConfigLoader.load(null, env);
        Path script = Files.writeString(dir.resolve("train.sh"), """
                sleep 0.2
                echo "{\\"loss\\": 0.$ORCH_TRIAL_NUMBER}"
                """);
        try (HikariDataSource pool = DatabaseConnector.pool(url, server.superuser(), null, 2);
             Node node = Node.start(config, List.of(new ExperimentModule(), new OpsModule()))) {
            Jdbi jdbi = Jdbi.create(pool);
            ExperimentSpec spec = ExperimentSpec.parseYaml("""
                    model: churn
                    objective: {metric: loss, direction: minimize}
                    strategy: {name: random, seed: 3}
                    budget: {trials: %d}
                    space:
                      x: {type: float, low: 0.0, high: 1.0}
                    trainer: {type: command, command: [sh, %s]}
                    """.formatted(TRIALS, script), "test spec");
            long id = jdbi.inTransaction(h -> ExperimentRows.insert(h, spec, "submit"));
            Await.until("five trials to complete", Duration.ofSeconds(60), () -> completeTrials(jdbi, id) >= 5);

            server.close();
            server = EmbeddedPostgresServer.start(data, port);

            // the test's own pool may hand out a connection the restart cut: such a look counts as "not yet"
            Await.until("the run to end after the restart", Duration.ofSeconds(90), () -> {
                try {
                    return status(jdbi, id).matches("succeeded|failed");
                } catch (JdbiException e) {
                    return false;
                }
            });
            if (status(jdbi, id).equals("failed")) {
                Cli.Run restart = Cli.run(env, "ops", "restart", Long.toString(id), "--wait");
                assertThat(restart.status()).as(restart.out() + restart.err()).isEqualTo(ExitCode.OK);
            }
            assertThat(status(jdbi, id)).isEqualTo("succeeded");
            List<String> trials = jdbi.withHandle(h -> h.createQuery(
                    "SELECT number || ':' || status FROM orchestrator.trial WHERE experiment_id = :id ORDER BY number")
                    .bind("id", id).mapTo(String.class).list());
            assertThat(trials).hasSize(TRIALS).allSatisfy(t -> assertThat(t).endsWith(":complete"));
            assertThat(trials).extracting(t -> Integer.parseInt(t.substring(0, t.indexOf(':'))))
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, TRIALS).boxed().toList());

            // the node is healthy again: a cluster job may be a pass or two late just after the restart
            // (its 300 ms trigger held while a pass waited on reconnecting), so wait for up, within bounds
            HttpRequest healthRequest = HttpRequest.newBuilder(URI.create("http://localhost:" + node.httpPort() + "/health")).build();
            String[] last = {""};
            Await.until("/health to answer 200 after the database restart", Duration.ofSeconds(30), () -> {
                try {
                    HttpResponse<String> health = HttpClient.newHttpClient().send(healthRequest, HttpResponse.BodyHandlers.ofString());
                    last[0] = health.body();
                    return health.statusCode() == 200;
                } catch (java.io.IOException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }, () -> " (last answer " + last[0] + ")");
            JsonNode body = Json.MAPPER.readTree(last[0]);
            assertThat(body.path("database").path("status").asText()).isEqualTo("up");
            assertThat(body.path("runs").path("stuck").asLong()).isZero();
        } finally {
            server.close();
        }
    }

    private static long completeTrials(Jdbi jdbi, long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM orchestrator.trial WHERE experiment_id = :id AND status = 'complete'")
                .bind("id", id).mapTo(Long.class).one());
    }

    private static String status(Jdbi jdbi, long id) {
        return jdbi.withHandle(h -> ExperimentRows.find(h, id)).orElseThrow().status().sql();
    }
}
