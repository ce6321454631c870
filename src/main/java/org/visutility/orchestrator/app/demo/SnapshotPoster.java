package org.visutility.orchestrator.app.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.visutility.orchestrator.core.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** Sends snapshots to a node's ingest API, as a model server would. */
final class SnapshotPoster {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI endpoint;
    private final Optional<String> token;

    SnapshotPoster(int port, Optional<String> token) {
        this.endpoint = URI.create("http://127.0.0.1:" + port + "/api/v1/snapshots");
        this.token = token;
    }

    void post(String model, String version, Instant observedAt, int sampleCount, String source, Map<String, Double> metrics)
            throws IOException, InterruptedException {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode snapshots = body.putArray("snapshots");
        ObjectNode s = snapshots.addObject();
        s.put("model", model).put("version", version).put("observed_at", observedAt.toString())
                .put("sample_count", sampleCount).put("source", source);
        ObjectNode m = s.putObject("metrics");
        metrics.forEach(m::put);
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body)));
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("POST " + endpoint + " answered " + response.statusCode() + ": " + response.body());
        }
    }
}
