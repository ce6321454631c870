package org.visutility.orchestrator.ops;

import org.visutility.orchestrator.experiment.ExperimentStatus;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.app.Modules;
import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.support.Await;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.SnapshotApi;
import org.visutility.orchestrator.support.TestDatabase;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A serving node's GET /metrics after real work (ingest accepted and rejected, a policy pass, an
 * experiment with its trials, a rescue) and its GET /health; and the alert rules in
 * ops/prometheus-alerts.yml, which must parse and name only metrics the node really exports.
 */
@ExtendWith(PostgresExtension.class)
class MetricsHealthAndAlertRulesTest {
    private static final Path ALERTS = Path.of("ops", "prometheus-alerts.yml");
    private static final Pattern METRIC = Pattern.compile("\\b(orchestrator_[a-z_]+)");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path home;

    @Test
    void metricsCountRealWorkHealthReportsStuckRunsAndEveryAlertNamesAnExportedMetric(TestDatabase db) throws Exception {
        Map<String, String> fast = Map.of("ORCHESTRATOR_POLICY_INTERVAL", "300ms", "ORCHESTRATOR_RESCUE_INTERVAL", "300ms",
                "ORCHESTRATOR_DISPATCH_INTERVAL", "200ms", "ORCHESTRATOR_CLUSTER_CHECKIN_INTERVAL", "500ms",
                "ORCHESTRATOR_OPENLINEAGE_FILE", home.resolve("openlineage.jsonl").toString(),
                "ORCHESTRATOR_PROMOTION_COMMAND", "/bin/true");
        try (Node node = Node.start(Experiments.config(db, home, fast).withHttpPort(0), Modules.all())) {
            SnapshotApi api = new SnapshotApi(node.httpPort());
            assertThat(api.post(List.of(Map.of("model", "churn", "version", "v1", "observed_at", "2026-11-26T10:00:00Z",
                    "sample_count", 100, "metrics", Map.of("accuracy", 0.9)))).status()).isEqualTo(200);
            assertThat(api.postJson("{\"snapshots\": [{\"model\": \"\"}]}").status()).isEqualTo(400);
            assertThat(api.send("x".getBytes(StandardCharsets.UTF_8), "text/plain", null).status()).isEqualTo(415);
            long experiment = Experiments.queue(db, Experiments.sphere(3, 0));
            long orphan = Experiments.queue(db, Experiments.sphere(2, 1));
            // as if a node that no longer exists had claimed it and died an hour ago
            db.jdbi().useHandle(h -> h.createUpdate("""
                    UPDATE orchestrator.experiment SET status = 'running', owner = 'a-node-long-gone', version = 1, attempt = 1,
                           started_at = now() - interval '1 hour', heartbeat_at = now() - interval '1 hour'
                     WHERE id = :id""").bind("id", orphan).execute());
            JsonNode health = Json.MAPPER.readTree(get(node, "/health").body());
            assertThat(health.path("runs").has("stuck")).as(health.toString()).isTrue();

            Await.until("both experiments to succeed", Duration.ofSeconds(60),
                    () -> Experiments.row(db, experiment).status() == ExperimentStatus.SUCCEEDED && Experiments.row(db, orphan).status() == ExperimentStatus.SUCCEEDED);
            Await.until("a policy pass and the gauges in the scrape", Duration.ofSeconds(30),
                    () -> scrape(node).contains("orchestrator_policy_passes_total{outcome=\"ok\"")
                            && scrape(node).contains("orchestrator_experiments{status=\"succeeded\"} 2.0"));
            String metrics = scrape(node);
            assertThat(metrics)
                    .contains("orchestrator_snapshots_accepted_total{channel=\"http\"} 1.0")
                    .contains("orchestrator_snapshot_batches_total{channel=\"http\",outcome=\"rejected\",reason=\"invalid\"} 1.0")
                    .contains("orchestrator_snapshot_batches_total{channel=\"http\",outcome=\"rejected\",reason=\"unsupported_media_type\"} 1.0")
                    .contains("orchestrator_trials_total{status=\"complete\"} 5.0")
                    .contains("orchestrator_trial_duration_seconds_bucket{status=\"complete\",le=")
                    .contains("orchestrator_experiments_ended_total{status=\"succeeded\"} 2.0")
                    .contains("orchestrator_rescues_total{action=\"rescue\",outcome=\"requeued\"} 1.0")
                    .contains("orchestrator_runs_stuck 0.0")
                    .contains("orchestrator_policy_evaluations_total")
                    .contains("orchestrator_openlineage_events_pending")
                    .contains("orchestrator_promotion_deliveries_pending");
            JsonNode after = Json.MAPPER.readTree(get(node, "/health").body());
            assertThat(after.path("status").asText()).as(after.toString()).isEqualTo("up");
            assertThat(after.path("runs").path("stuck").asLong()).isZero();
            assertThat(after.path("runs").path("orphaned").asLong()).isZero();

            Set<String> named = alertMetricNames();
            assertThat(named).isNotEmpty();
            for (String name : named) {
                assertThat(metrics).as("alert rules name " + name).containsPattern("(?m)^" + name + "[{ ]");
            }
        }
    }

    /** The orchestrator_* metrics named in the rules' expressions (which must parse as YAML). */
    private static Set<String> alertMetricNames() throws Exception {
        JsonNode rules = Json.YAML.readTree(ALERTS.toFile());
        Set<String> names = new TreeSet<>();
        for (JsonNode group : rules.path("groups")) {
            assertThat(group.path("rules").size()).isPositive();
            for (JsonNode rule : group.path("rules")) {
                assertThat(rule.path("alert").asText()).isNotEmpty();
                Matcher m = METRIC.matcher(rule.path("expr").asText());
                while (m.find()) names.add(m.group(1));
            }
        }
        return names;
    }

    private static String scrape(Node node) {
        try {
            return get(node, "/metrics").body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> get(Node node, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + node.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
