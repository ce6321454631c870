package org.visutility.orchestrator.functional;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.app.Modules;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.support.Await;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.Slow;
import org.visutility.orchestrator.support.TestDatabase;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18's closing session: an operator with one token and no database credentials applies a
 * policy, submits an experiment and watches it succeed, cancels another, and restarts a failed
 * run once its cause is fixed, all over HTTP, reading progress from the read API with the same token.
 */
@Slow
@ExtendWith(PostgresExtension.class)
class AnOperatorDrivesTheLoopOverHttpOnlyTest {
    private static final String TOKEN = "ops-token-0123456789abcdef";
    private static final Duration WITHIN = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path home;

    private String base;

    @Test
    void applySubmitCancelAndRestartWithAnOperatorToken(TestDatabase db) throws Exception {
        Path fixed = home.resolve("cause-fixed");
        try (Node node = Node.start(Experiments.config(db, home, Map.of("ORCHESTRATOR_OPERATOR_TOKENS", "oncall:" + TOKEN,
                "ORCHESTRATOR_DISPATCH_INTERVAL", "200ms")), Modules.all())) {
            base = "http://127.0.0.1:" + node.httpPort();

            JsonNode applied = post("/api/v1/policies?source=oncall/policies.yaml", "application/yaml", """
                    policies:
                      - name: churn-floor
                        model: churn
                        when: {metric: accuracy, aggregate: mean, window: 6h, below: 0.85, min_samples: 1}
                        experiment: {objective: {metric: loss, direction: minimize}, strategy: {name: random, seed: 1}, budget: {trials: 2}, space: {x: {type: float, low: 0.0, high: 1.0}}, trainer: {type: function, function: sphere}}
                    """, 200);
            assertThat(applied.path("policies").get(0).path("action").asText()).isEqualTo("created");

            long quick = post("/api/v1/experiments", "application/yaml", Experiments.sphere(3, 2), 201).path("id").asLong();
            awaitStatus(quick, "succeeded");

            long failing = post("/api/v1/experiments", "application/yaml", """
                    model: churn
                    objective: {metric: loss, direction: minimize}
                    strategy: {name: random, seed: 11}
                    budget: {trials: 6, max_failed: 1}
                    space:
                      x: {type: float, low: 0.0, high: 1.0}
                    trainer: {type: test-fault, flaky: [1], fixed_by: "%s"}
                    """.formatted(fixed), 201).path("id").asLong();
            awaitStatus(failing, "failed");
            // the row says failed a moment before its job execution ends; until then a restart is a 409 saying so
            Await.until("the failed run's job execution ended", WITHIN,
                    () -> "COMPLETED".equals(get("/api/v1/experiments/" + failing).path("experiment").path("job_status").asText()));
            Files.createFile(fixed);
            JsonNode restarted = post("/api/v1/experiments/" + failing + "/restart", "application/json", "{\"retry_failed\": true}", 200);
            assertThat(restarted.path("restarted").asBoolean()).isTrue();
            awaitStatus(failing, "succeeded");

            long cancelled = post("/api/v1/experiments", "application/yaml", Experiments.sphere(1000, 3), 201).path("id").asLong();
            JsonNode cancel = post("/api/v1/experiments/" + cancelled + "/cancel", "application/json", "{}", 200);
            assertThat(cancel.path("cancelled").asBoolean()).isTrue();
            awaitStatus(cancelled, "cancelled");

            String actors = db.jdbi().withHandle(h -> h.createQuery("""
                    SELECT string_agg(DISTINCT coalesce(e.submitted_by, '-') || '/' || i.actor, ',')
                      FROM orchestrator.experiment e JOIN orchestrator.experiment_intervention i ON i.experiment_id = e.id
                     WHERE e.id = :id""").bind("id", failing).mapTo(String.class).one());
            assertThat(actors).isEqualTo("operator:oncall/operator:oncall");
        }
    }

    private void awaitStatus(long id, String status) throws InterruptedException {
        Await.until("experiment " + id + " " + status, WITHIN, () -> status.equals(get("/api/v1/experiments/" + id).path("experiment").path("status").asText()),
                () -> get("/api/v1/experiments/" + id).path("experiment").toString());
    }

    private JsonNode post(String path, String type, String body, int expected) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(expected);
        return Json.MAPPER.readTree(r.body());
    }

    private JsonNode get(String path) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + TOKEN).build(),
                    HttpResponse.BodyHandlers.ofString());
            return Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
