package org.visutility.orchestrator.collect;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.support.Await;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;
import org.visutility.orchestrator.support.TestPostgres;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A serving node with a collector that fails run after run and one that skips a bad row: GET /health
 * lists both, says degraded once the failing one has failed ORCHESTRATOR_COLLECTOR_DEGRADED_AFTER
 * runs in a row and up again after its next success (it keeps running at its interval), and
 * GET /metrics counts their runs, skipped rows and written snapshots.
 */
@ExtendWith(PostgresExtension.class)
class FailingCollectorIsVisibleTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path home;

    @Test
    void healthIsDegradedAfterTheConfiguredFailuresInARowUpAgainAfterASuccessAndMetricsCountTheRuns(TestDatabase db) throws Exception {
        try (TestDatabase warehouse = TestPostgres.get().newEmptyDatabase("warehouse_health")) {
            warehouse.jdbi().useHandle(h -> h.execute(
                    "CREATE TABLE skipping (model text, version text, observed_at timestamptz, sample_count bigint, accuracy float8)"));
            List<Map<String, Object>> collectors = List.of(
                    collector(warehouse, "vis-failing", "SELECT model, version, observed_at, sample_count, accuracy FROM failing"
                            + " WHERE observed_at > :since", null),
                    collector(warehouse, "vis-skipping", "SELECT model, version, observed_at, sample_count, accuracy FROM skipping"
                            + " WHERE observed_at > :since", "skip_row"));
            Map<String, String> env = Map.of("ORCHESTRATOR_COLLECTORS", Json.MAPPER.writeValueAsString(collectors),
                    "ORCHESTRATOR_COLLECTOR_DEGRADED_AFTER", "2");
            try (Node node = Node.start(Experiments.config(db, home, env).withHttpPort(0), List.of(new CollectModule()))) {
                // rows land once the node serves /metrics, so that the run that takes them is counted there
                warehouse.jdbi().useHandle(h -> h.execute("""
                        INSERT INTO skipping VALUES ('vis-skip', 'v1', '2026-03-01T10:00:00Z', 10, 7.0),
                                                    ('vis-skip', 'v1', '2026-03-01T10:05:00Z', 10, 0.9)"""));
                Await.until("the collectors section to name the failing collector", Duration.ofSeconds(30),
                        () -> section(node).path("failing").toString().equals("[\"vis-failing\"]"));
                HttpResponse<String> degraded = get(node, "/health");
                JsonNode body = Json.MAPPER.readTree(degraded.body());
                assertThat(degraded.statusCode()).as(degraded.body()).isEqualTo(503);
                assertThat(body.path("status").asText()).isEqualTo("degraded");
                JsonNode failing = entry(body.path("collectors"), "vis-failing");
                assertThat(failing.path("status").asText()).isEqualTo("failing");
                assertThat(failing.path("consecutive_failures").asInt()).isGreaterThanOrEqualTo(2);
                assertThat(failing.path("last_success_at").isNull()).isTrue();
                assertThat(failing.path("last_error").asText()).contains("failing").contains("does not exist");
                assertThat(body.path("collectors").path("degraded_after").asInt()).isEqualTo(2);

                Await.until("the skipping collector's run and the failing one's gauges in /metrics", Duration.ofSeconds(30), () -> {
                    String m = get(node, "/metrics").body();
                    return value(m, "orchestrator_collector_rows_skipped_total{collector=\"vis-skipping\"}") >= 1
                            && value(m, "orchestrator_collector_consecutive_failures{collector=\"vis-failing\"}") >= 2
                            // the run's counter moves just after its failure is recorded in the database the gauge reads
                            && value(m, "orchestrator_collector_runs_total{collector=\"vis-failing\",outcome=\"failed\"}") >= 2;
                });
                String metrics = get(node, "/metrics").body();
                assertThat(value(metrics, "orchestrator_collector_runs_total{collector=\"vis-failing\",outcome=\"failed\"}")).isGreaterThanOrEqualTo(2);
                assertThat(value(metrics, "orchestrator_collector_runs_total{collector=\"vis-skipping\",outcome=\"ok\"}")).isGreaterThanOrEqualTo(1);
                assertThat(value(metrics, "orchestrator_collector_snapshots_written_total{collector=\"vis-skipping\"}")).isEqualTo(1.0);
                assertThat(value(metrics, "orchestrator_collector_rows_skipped_total{collector=\"vis-skipping\"}")).isEqualTo(1.0);
                assertThat(value(metrics, "orchestrator_collector_last_success_timestamp_seconds{collector=\"vis-failing\"}")).isNaN();
                assertThat(value(metrics, "orchestrator_collector_last_success_timestamp_seconds{collector=\"vis-skipping\"}")).isPositive();
                // read again: the health above may predate the skipping collector's first run, which the wait on /metrics saw
                JsonNode skipping = entry(Json.MAPPER.readTree(get(node, "/health").body()).path("collectors"), "vis-skipping");
                assertThat(skipping.path("status").asText()).isEqualTo("ok");

                // the failed runs did not stop the schedule: the next run after the fix succeeds
                warehouse.jdbi().useHandle(h -> h.execute("""
                        CREATE TABLE failing AS SELECT 'vis-fixed'::text AS model, 'v1'::text AS version,
                               timestamptz '2026-03-01T10:00:00Z' AS observed_at, 10::bigint AS sample_count, 0.8::float8 AS accuracy"""));
                Await.until("/health to answer up again", Duration.ofSeconds(30), () -> get(node, "/health").statusCode() == 200);
                JsonNode fixed = entry(section(node), "vis-failing");
                assertThat(fixed.path("status").asText()).isEqualTo("ok");
                assertThat(fixed.path("consecutive_failures").asInt()).isZero();
                assertThat(fixed.path("last_failure_at").isNull()).isFalse();
                Await.until("the gauge to follow", Duration.ofSeconds(15),
                        () -> value(get(node, "/metrics").body(), "orchestrator_collector_consecutive_failures{collector=\"vis-failing\"}") == 0.0);
                assertThat(value(get(node, "/metrics").body(), "orchestrator_collector_snapshots_written_total{collector=\"vis-failing\"}"))
                        .isEqualTo(1.0);
            }
        }
    }

    private static Map<String, Object> collector(TestDatabase warehouse, String name, String query, String onInvalidRow) {
        Map<String, Object> c = new HashMap<>(Map.of("name", name, "url", warehouse.url(), "cron", "* * * * * ?", "query", query));
        if (warehouse.user() != null) c.put("user", warehouse.user());
        if (warehouse.password() != null) c.put("password", warehouse.password());
        if (onInvalidRow != null) c.put("on_invalid_row", onInvalidRow);
        return c;
    }

    /** A sample's value in the Prometheus text; NaN when absent (or NaN). */
    private static double value(String metrics, String sample) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static JsonNode section(Node node) {
        try {
            return Json.MAPPER.readTree(get(node, "/health").body()).path("collectors");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode entry(JsonNode section, String collector) {
        for (JsonNode c : section.path("list")) {
            if (c.path("collector").asText().equals(collector)) return c;
        }
        return Json.MAPPER.missingNode();
    }

    private static HttpResponse<String> get(Node node, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + node.httpPort() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
