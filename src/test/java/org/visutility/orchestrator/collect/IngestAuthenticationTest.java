package org.visutility.orchestrator.collect;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.SnapshotApi;
import org.visutility.orchestrator.support.Snapshots.Counts;
import org.visutility.orchestrator.support.TestDatabase;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.visutility.orchestrator.support.Snapshots.aSnapshot;

@ExtendWith(PostgresExtension.class)
class IngestAuthenticationTest {
    private static final String TOKEN_A = "token-aaaaaaaaaaaaaaaa";
    private static final String TOKEN_B = "token-bbbbbbbbbbbbbbbb";

    @Test
    void withTokensSetACallerNeedsOneOfThemEvenOnLoopback(TestDatabase db) throws Exception {
        try (Node node = Node.start(db.config(Map.of("ORCHESTRATOR_INGEST_TOKENS", TOKEN_A + "," + TOKEN_B)), List.of(new CollectModule()))) {
            SnapshotApi api = new SnapshotApi(node.httpPort());
            byte[] body = Json.MAPPER.writeValueAsBytes(Map.of("snapshots", List.of(aSnapshot("tokened", "v1",
                    java.time.Instant.parse("2026-01-01T00:00:00Z")))));
            Counts before = Counts.of(db.jdbi());

            SnapshotApi.Answer none = api.send(body, "application/json", null);
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.response().headers().firstValue("WWW-Authenticate")).contains("Bearer");
            assertThat(none.body().path("error").asText()).contains("bearer token is required");
            assertThat(api.send(body, "application/json", "Basic " + TOKEN_A).status()).isEqualTo(401);

            SnapshotApi.Answer wrong = api.send(body, "application/json", "Bearer " + TOKEN_A + "x");
            assertThat(wrong.status()).isEqualTo(403);
            assertThat(api.send(body, "application/json", "Bearer " + TOKEN_A.substring(1)).status()).isEqualTo(403);
            assertThat(Counts.of(db.jdbi())).isEqualTo(before);

            assertThat(api.send(body, "application/json", "Bearer " + TOKEN_B).status()).isEqualTo(200);
            assertThat(api.send(body, "application/json", "bearer " + TOKEN_A).status()).isEqualTo(200);
        }
    }

    @Test
    void withoutTokensOnlyLoopbackCallersAreAccepted(TestDatabase db) throws Exception {
        Optional<InetAddress> lan = nonLoopbackAddress();
        assumeTrue(lan.isPresent(), "this machine has no non-loopback IPv4 address to call from");
        try (Node node = Node.start(db.config(Map.of("ORCHESTRATOR_HTTP_HOST", "0.0.0.0")), List.of(new CollectModule()))) {
            byte[] body = Json.MAPPER.writeValueAsBytes(Map.of("snapshots", List.of(aSnapshot())));
            Counts before = Counts.of(db.jdbi());

            SnapshotApi.Answer remote = new SnapshotApi(lan.get().getHostAddress(), node.httpPort()).send(body, "application/json", null);
            assertThat(remote.status()).isEqualTo(403);
            assertThat(remote.body().path("error").asText()).contains("only loopback callers");
            assertThat(Counts.of(db.jdbi())).isEqualTo(before);

            assertThat(new SnapshotApi("127.0.0.1", node.httpPort()).send(body, "application/json", null).status()).isEqualTo(200);
        }
    }

    @Test
    void theLoopbackCheckTakesOnlyLiteralLoopbackAddresses() {
        IngestAuthenticator open = new IngestAuthenticator(List.of());
        assertThat(open.decide(null, "127.0.0.1")).isEqualTo(IngestAuthenticator.Decision.ALLOWED);
        assertThat(open.decide(null, "127.8.9.10")).isEqualTo(IngestAuthenticator.Decision.ALLOWED);
        assertThat(open.decide(null, "0:0:0:0:0:0:0:1")).isEqualTo(IngestAuthenticator.Decision.ALLOWED);
        assertThat(open.decide(null, "[::1]")).isEqualTo(IngestAuthenticator.Decision.ALLOWED);
        assertThat(open.decide(null, "10.0.0.7")).isEqualTo(IngestAuthenticator.Decision.NOT_LOOPBACK);
        assertThat(open.decide(null, "::ffff:10.0.0.7")).isEqualTo(IngestAuthenticator.Decision.NOT_LOOPBACK);
        assertThat(open.decide(null, "localhost")).as("a name is never looked up").isEqualTo(IngestAuthenticator.Decision.NOT_LOOPBACK);
        assertThat(open.decide("Bearer anything-at-all-here", "192.168.1.2")).isEqualTo(IngestAuthenticator.Decision.NOT_LOOPBACK);
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws Exception {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) continue;
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
