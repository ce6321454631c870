package org.visutility.orchestrator.web.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.support.TestDatabase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A node serving the dashboard on a test database loaded with the dashboard's sample data (seed.sql). */
final class SeededDashboard implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Node node;

    private SeededDashboard(Node node) {
        this.node = node;
    }

    static SeededDashboard start(TestDatabase db) throws IOException {
        String seed = new String(SeededDashboard.class.getResourceAsStream("seed.sql").readAllBytes(), StandardCharsets.UTF_8);
        db.jdbi().useHandle(h -> h.createScript(seed).execute());
        return new SeededDashboard(Node.start(db.config(), List.of(new DashboardModule())));
    }

    String url(String path) {
        return "http://localhost:" + node.httpPort() + path;
    }

    HttpResponse<String> get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** GET a JSON document that must answer 200. */
    JsonNode json(String path) {
        HttpResponse<String> r = get(path);
        if (r.statusCode() != 200) throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        try {
            return Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        node.close();
    }
}
