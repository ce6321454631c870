package org.visutility.orchestrator.app;

import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.core.Json;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.store.Migrations;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(PostgresExtension.class)
class ServeTest {

    @Test
    void aServingNodeAnswersHealthWithTheDatabaseSchedulerAndSchemaVersion(TestDatabase db) throws Exception {
        try (Node node = Node.start(db.config(), List.of())) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + node.httpPort() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode body = Json.MAPPER.readTree(r.body());
            assertThat(body.path("status").asText()).isEqualTo("up");
            assertThat(body.path("database").path("status").asText()).isEqualTo("up");
            assertThat(body.path("database").path("schema_version").asText())
                    .isEqualTo(new Migrations(db.dataSource()).currentVersion().orElseThrow());
            assertThat(body.path("scheduler").path("status").asText()).isEqualTo("up");
            assertThat(body.path("scheduler").path("clustered").asBoolean()).isTrue();
        }
    }

    @Test
    void metricsAreServedInThePrometheusTextFormatIncludingWhatCapabilitiesRecord(TestDatabase db) throws Exception {
        try (Node node = Node.start(db.config(), List.of())) {
            io.micrometer.core.instrument.Metrics.counter("orchestrator_test_events", "kind", "probe").increment(3);
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + node.httpPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
            assertThat(r.body()).contains("jvm_memory_used_bytes").contains("orchestrator_test_events_total{kind=\"probe\"} 3.0");
        }
    }

    @Test
    void healthSaysDownWithStatus503WhenTheSchedulerIsStopped(TestDatabase db) throws Exception {
        try (Node node = Node.start(db.config(), List.of())) {
            node.scheduler().standby();
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + node.httpPort() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(Json.MAPPER.readTree(r.body()).path("scheduler").path("status").asText()).isEqualTo("down");
        }
    }
}
