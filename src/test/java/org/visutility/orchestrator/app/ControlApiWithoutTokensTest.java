package org.visutility.orchestrator.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.node.HttpServer;
import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.support.Experiments;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A serving node without tokens: the control API answers loopback callers only (as ingest does),
 * recording them as operator:loopback; the read API stays open. And the OpenAPI description it
 * serves names exactly the /api/v1 routes it registered.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ControlApiWithoutTokensTest {
    @TempDir
    static Path home;

    private TestDatabase db;
    private Node node;

    @BeforeAll
    void start(TestDatabase db) {
        this.db = db;
        node = Node.start(Experiments.config(db, home, Map.of("ORCHESTRATOR_HTTP_HOST", "0.0.0.0",
                "ORCHESTRATOR_DISPATCH_INTERVAL", "1h")), Modules.all());
    }

    @AfterAll
    void stop() {
        if (node != null) node.close();
    }

    @Test
    void withoutOperatorTokensOnlyLoopbackCallersMayControlAndTheyAreRecordedAsLoopback() throws Exception {
        ControlApi.Answer local = new ControlApi(node.httpPort()).yaml("/api/v1/experiments", null, Experiments.sphere(2, 1));
        assertThat(local.status()).as(local.body().toString()).isEqualTo(201);
        long id = local.body().path("id").asLong();
        String submittedBy = db.jdbi().withHandle(h -> h.createQuery("SELECT submitted_by FROM orchestrator.experiment WHERE id = :id")
                .bind("id", id).mapTo(String.class).one());
        assertThat(submittedBy).isEqualTo("operator:loopback");

        Optional<InetAddress> lan = nonLoopbackAddress();
        assumeTrue(lan.isPresent(), "this machine has no non-loopback IPv4 address to call from");
        ControlApi remote = new ControlApi(lan.get().getHostAddress(), node.httpPort());
        ControlApi.Answer refused = remote.json("/api/v1/experiments/" + id + "/cancel", null, "{}");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.error()).contains("ORCHESTRATOR_OPERATOR_TOKENS", "only loopback callers");
        assertThat(remote.get("/api/v1/experiments/" + id, null).status()).as("the read API stays open").isEqualTo(200);
    }

    @Test
    void theOpenApiDescriptionNamesExactlyTheRegisteredApiRoutes() throws Exception {
        ControlApi.Answer served = new ControlApi(node.httpPort()).get(HttpServer.OPENAPI_PATH, null);
        assertThat(served.status()).isEqualTo(200);
        JsonNode doc = served.body();
        assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");

        Set<String> described = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fieldNames().forEachRemaining(method -> described.add(method.toUpperCase() + " " + path.getKey()));
        }
        Set<String> registered = new TreeSet<>();
        for (HttpServer.Route r : node.httpRoutes()) {
            if (r.path().startsWith("/api/v1/")) registered.add(r.method() + " " + r.path());
        }
        assertThat(registered).contains("POST /api/v1/experiments", "POST /api/v1/models/{model}/rollback", "POST /api/v1/snapshots");
        assertThat(described).as("the description and the routes").isEqualTo(registered);
        // every control operation names its errors and its security
        doc.path("paths").forEach(item -> item.fields().forEachRemaining(op -> {
            assertThat(op.getValue().has("responses")).isTrue();
            assertThat(op.getValue().has("security")).isTrue();
        }));
        assertThat(Json.MAPPER.readTree(HttpServer.class.getResourceAsStream("openapi.json"))).isEqualTo(doc);
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws java.net.SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) continue;
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
