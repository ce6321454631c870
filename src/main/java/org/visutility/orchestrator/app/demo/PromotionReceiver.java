package org.visutility.orchestrator.app.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.handoff.Signature;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The demo's stand-in for a serving stack: a loopback HTTP endpoint that receives the promotion
 * webhook, checks its signature with the shared secret as a real receiver would
 * (docs/promotion-handoff.md), and hands each notification to the demo.
 */
final class PromotionReceiver implements AutoCloseable {
    private static final int MAX_BODY = 1 << 20;

    /** One notification as it arrived. */
    record Received(JsonNode payload, boolean signatureValid, String deliveryId) {
    }

    private final HttpServer server;
    private final String secret;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

    private PromotionReceiver(HttpServer server, String secret) {
        this.server = server;
        this.secret = secret;
    }

    static PromotionReceiver start() throws IOException {
        byte[] key = new byte[24];
        new SecureRandom().nextBytes(key);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        PromotionReceiver receiver = new PromotionReceiver(server, HexFormat.of().formatHex(key));
        server.createContext("/promotion", receiver::handle);
        server.start();
        return receiver;
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/promotion");
    }

    String secret() {
        return secret;
    }

    /** The next notification for {@code version}, waiting at most {@code timeout}; others are skipped. */
    Optional<Received> await(String version, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long left = timeout.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            Received r = received.poll(left, TimeUnit.NANOSECONDS);
            if (r != null && version.equals(r.payload().path("version").asText())) return Optional.of(r);
        }
        return Optional.empty();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY + 1);
            if (!"POST".equals(exchange.getRequestMethod()) || body.length > MAX_BODY) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            boolean valid = Signature.verify(body, secret, exchange.getRequestHeaders().getFirst(Signature.HEADER));
            if (!valid) {
                // a receiver refuses what it cannot trust; the orchestrator logs the refusal
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            received.add(new Received(Json.MAPPER.readTree(body), true, exchange.getRequestHeaders().getFirst(Signature.DELIVERY_HEADER)));
            exchange.sendResponseHeaders(204, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
