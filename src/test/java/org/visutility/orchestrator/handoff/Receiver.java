package org.visutility.orchestrator.handoff;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A loopback promotion webhook receiver (the JDK's HTTP server): records every request's raw body and headers, answers {@link #answer(int)}. */
final class Receiver implements AutoCloseable {
    /** One request as the receiver saw it, and what it answered. */
    record Request(byte[] body, String delivery, String event, String signature, String contentType, int answered) {
    }

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile int status;

    /** A receiver answering {@code status} until told otherwise. */
    Receiver(int status) throws IOException {
        this(status, 0);
    }

    /** The same on a given loopback port (0: any free one). */
    Receiver(int status, int port) throws IOException {
        this.status = status;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(handlers);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int answer = this.status;
            requests.add(new Request(body, exchange.getRequestHeaders().getFirst(Signature.DELIVERY_HEADER),
                    exchange.getRequestHeaders().getFirst(Signature.EVENT_HEADER), exchange.getRequestHeaders().getFirst(Signature.HEADER),
                    exchange.getRequestHeaders().getFirst("Content-Type"), answer));
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/promotion";
    }

    void answer(int status) {
        this.status = status;
    }

    List<Request> requests() {
        return requests;
    }

    long accepted() {
        return requests.stream().filter(r -> r.answered() / 100 == 2).count();
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
    }
}
