package org.visutility.orchestrator.lineage.openlineage;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.app.Json;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.support.Await;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP transport against a loopback OpenLineage endpoint: delivered, and never in a run's way when slow or absent. */
@ExtendWith(PostgresExtension.class)
class OpenLineageHttpExportTest {
    private static final String API_KEY = "lineage-test-key-0123456789";
    private static final String SPHERE = Experiments.spec("{type: function, function: sphere}");

    /** One request as the endpoint saw it. */
    private record Received(String path, String authorization, JsonNode body) {
    }

    @TempDir
    Path home;

    private HttpServer server;
    private ExecutorService handlers;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch answer = new CountDownLatch(1);
    private final AtomicInteger arrived = new AtomicInteger();
    private volatile boolean hold;

    @BeforeEach
    void endpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        handlers = Executors.newCachedThreadPool();
        server.setExecutor(handlers);
        server.createContext("/", exchange -> {
            arrived.incrementAndGet();
            try {
                if (hold) answer.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            received.add(new Received(exchange.getRequestURI().getPath(), exchange.getRequestHeaders().getFirst("Authorization"),
                    Json.MAPPER.readTree(new String(body, StandardCharsets.UTF_8))));
            exchange.sendResponseHeaders(201, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        answer.countDown();
        server.stop(0);
        handlers.shutdownNow();
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private OpenLineageExport export(TestDatabase db, Map<String, String> settings) {
        OrchestratorConfig config = Experiments.config(db, home, settings);
        return OpenLineageExport.start(config.openLineage(), db.jdbi()).orElseThrow();
    }

    @Test
    void startAndCompleteArePostedToTheLineageApiWithTheBearerToken(TestDatabase db) {
        long id = Experiments.queue(db, SPHERE);
        OpenLineageExport export = export(db, Map.of("ORCHESTRATOR_OPENLINEAGE_URL", url(), "ORCHESTRATOR_OPENLINEAGE_API_KEY", API_KEY));
        try (export) {
            Experiments.runner(db, Experiments.config(db, home, Map.of()), export).run(id, false);
        }
        assertThat(received).extracting(r -> r.body().get("eventType").asText()).containsExactly("START", "COMPLETE");
        assertThat(received).allSatisfy(r -> {
            assertThat(r.path()).isEqualTo("/api/v1/lineage");
            assertThat(r.authorization()).isEqualTo("Bearer " + API_KEY);
            assertThat(r.body().at("/run/facets/visutility_experiment/experimentId").asLong()).isEqualTo(id);
        });
        assertThat(received.get(1).body().at("/run/facets/visutility_hyperparameters/params").size()).isEqualTo(2);
        assertThat(export.sent()).isEqualTo(2);
        assertThat(export.failed()).isZero();
    }

    @Test
    void anEndpointThatIsDownFailsNoRunAndTheFailuresAreCounted(TestDatabase db) throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        long id = Experiments.queue(db, SPHERE);
        OpenLineageExport export = export(db, Map.of("ORCHESTRATOR_OPENLINEAGE_URL", "http://127.0.0.1:" + closedPort + "/lineage",
                "ORCHESTRATOR_OPENLINEAGE_TIMEOUT", "1s"));
        try (export) {
            Experiments.runner(db, Experiments.config(db, home, Map.of()), export).run(id, false);
        }
        assertThat(Experiments.row(db, id).status()).isEqualTo("succeeded");
        assertThat(export.failed()).isEqualTo(2);
        assertThat(export.sent()).isZero();
    }

    @Test
    void aRunEndsWhileTheEndpointHoldsItsStartEventAndTheEventsGoOutOnceItAnswers(TestDatabase db) throws Exception {
        hold = true;
        long id = Experiments.queue(db, SPHERE);
        OpenLineageExport export = export(db, Map.of("ORCHESTRATOR_OPENLINEAGE_URL", url() + "/api/v1/lineage",
                "ORCHESTRATOR_OPENLINEAGE_TIMEOUT", "1m"));
        try (export) {
            Experiments.runner(db, Experiments.config(db, home, Map.of()), export).run(id, false);
            // the run is over, though the endpoint has not answered its START yet
            assertThat(Experiments.row(db, id).status()).isEqualTo("succeeded");
            Await.until("the START event reached the endpoint", Duration.ofSeconds(30), () -> arrived.get() == 1);
            assertThat(received).isEmpty();
            answer.countDown();
        }
        assertThat(received).extracting(r -> r.body().get("eventType").asText()).containsExactly("START", "COMPLETE");
    }
}
