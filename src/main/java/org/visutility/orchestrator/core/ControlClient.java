package org.visutility.orchestrator.core;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Sends a command's request to a serving node's control API (java.net.http). What the node refuses
 * becomes what the command would have said on the database: a 400 (with its violations) or a 404 is
 * a {@link UsageException} (exit 2), as is a 401 or 403 (the token); a server error or an
 * unreachable node a {@link ServerException} (exit 1). A 409 refusal is handed back for the command
 * to tell as it tells its own refusals.
 */
public final class ControlClient {
    /** How long connecting to the node may take. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** How long one request may take (the control API answers once its transaction committed). */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    /** The node's answer: its status and its JSON body. */
    public record Answer(int status, JsonNode body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The node's message ({"error": ...}). */
        public String error() {
            return body.path("error").asText("HTTP " + status);
        }
    }

    /** The node could not be reached or failed: exit status 1. */
    public static final class ServerException extends RuntimeException {
        public ServerException(String message) {
            super(message);
        }
    }

    private final URI server;
    private final Optional<String> token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();

    public ControlClient(URI server, Optional<String> token) {
        this.server = server;
        this.token = token;
    }

    /** POSTs {@code body} of {@code contentType} to {@code path} (/api/v1/...). */
    public Answer post(String path, String contentType, String body) {
        URI uri = server.resolve(path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", contentType).header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body));
        token.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new ServerException("cannot reach " + server + " (" + e.getClass().getSimpleName() + "); is a node serving there?");
        } catch (IOException e) {
            throw new ServerException("the request to " + uri + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerException("interrupted while waiting for " + uri);
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            json = null;
        }
        if (json == null || !json.isObject()) {
            throw new ServerException(uri + " answered " + response.statusCode() + " without a JSON object; is it an orchestrator node?");
        }
        Answer answer = new Answer(response.statusCode(), json);
        int s = answer.status();
        if (s == 400) throw new UsageException(withViolations(answer));
        if (s == 401 || s == 403 || s == 404 || s == 413 || s == 415) throw new UsageException(answer.error());
        if (s >= 500 || (s >= 300 && s < 400)) throw new ServerException(uri + " answered " + s + ": " + answer.error());
        return answer;
    }

    private static String withViolations(Answer answer) {
        JsonNode violations = answer.body().path("violations");
        if (!violations.isArray() || violations.isEmpty()) return answer.error();
        StringBuilder m = new StringBuilder(answer.error());
        violations.forEach(v -> m.append("\n  - ").append(v.isTextual() ? v.asText() : v.toString()));
        return m.toString();
    }
}
