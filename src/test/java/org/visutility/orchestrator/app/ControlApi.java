package org.visutility.orchestrator.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.visutility.orchestrator.core.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A test's client of a node's HTTP API: one request, its status and its JSON body. */
final class ControlApi {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    record Answer(int status, JsonNode body, HttpResponse<String> response) {
        String error() {
            return body.path("error").asText();
        }
    }

    private final String base;

    ControlApi(String host, int port) {
        this.base = "http://" + host + ":" + port;
    }

    ControlApi(int port) {
        this("127.0.0.1", port);
    }

    Answer post(String path, String token, String contentType, String body) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) r.header("Content-Type", contentType);
        return send(r, token);
    }

    Answer json(String path, String token, String body) {
        return post(path, token, "application/json", body);
    }

    Answer yaml(String path, String token, String body) {
        return post(path, token, "application/yaml", body);
    }

    Answer get(String path, String token) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), token);
    }

    private static Answer send(HttpRequest.Builder r, String token) {
        if (token != null) r.header("Authorization", "Bearer " + token);
        try {
            HttpResponse<String> response = HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isEmpty() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(response.body());
            return new Answer(response.statusCode(), body, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
