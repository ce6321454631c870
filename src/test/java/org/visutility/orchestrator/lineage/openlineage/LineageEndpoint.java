package org.visutility.orchestrator.lineage.openlineage;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.visutility.orchestrator.core.Json;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A loopback OpenLineage endpoint (the JDK's HTTP server) that records what it is sent and answers {@link #answer(int)}. */
final class LineageEndpoint implements AutoCloseable {
    /** One request as the endpoint saw it. */
    record Received(String path, String authorization, JsonNode body) {
        String eventType() {
            return body.get("eventType").asText();
        }

        long experimentId() {
            return body.at("/run/facets/visutility_experiment/experimentId").asLong();
        }
    }

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile int status = 201;

    LineageEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(handlers);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestURI().getPath(), exchange.getRequestHeaders().getFirst("Authorization"),
                    Json.MAPPER.readTree(new String(body, StandardCharsets.UTF_8))));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The HTTP status answered from now on (201 at first). */
    void answer(int status) {
        this.status = status;
    }

    /** Every request so far, in the order they arrived. */
    List<Received> received() {
        return received;
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
