package org.visutility.orchestrator.support;

import com.fasterxml.jackson.databind.JsonNode;
import org.visutility.orchestrator.core.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** A client of POST /api/v1/snapshots (or another ingest route) for tests: sends a body, returns the status and the parsed answer. */
public final class SnapshotApi {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final URI endpoint;

    public SnapshotApi(String host, int port) {
        this.endpoint = URI.create("http://" + host + ":" + port + "/api/v1/snapshots");
    }

    /** A client of another ingest route on 127.0.0.1 (e.g. /api/v1/distributions). */
    public SnapshotApi(int port, String path) {
        this.endpoint = URI.create("http://127.0.0.1:" + port + path);
    }

    public SnapshotApi(int port) {
        this("127.0.0.1", port);
    }

    public record Answer(int status, JsonNode body, HttpResponse<String> response) {
    }

    public Answer post(List<Map<String, Object>> snapshots) throws Exception {
        return postJson(Json.MAPPER.writeValueAsString(Map.of("snapshots", snapshots)));
    }

    public Answer postJson(String body) throws Exception {
        return send(body.getBytes(StandardCharsets.UTF_8), "application/json", null);
    }

    public Answer send(byte[] body, String contentType, String authorization) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) r.header("Content-Type", contentType);
        if (authorization != null) r.header("Authorization", authorization);
        HttpResponse<String> response = CLIENT.send(r.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode parsed = response.body().isEmpty() ? null : Json.MAPPER.readTree(response.body());
        return new Answer(response.statusCode(), parsed, response);
    }
}
