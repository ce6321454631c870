package org.visutility.orchestrator.collect;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.SnapshotApi;
import org.visutility.orchestrator.support.Snapshots.Counts;
import org.visutility.orchestrator.support.TestDatabase;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.visutility.orchestrator.support.Snapshots.aSnapshot;

/** POST /api/v1/snapshots with a token marked revise and a token that rejects changed values, on one node. */
@ExtendWith(PostgresExtension.class)
class HttpRevisionsTest {
    private static final String REVISING = "revising-token-aaaaaaaaaa";
    private static final String REJECTING = "rejecting-token-bbbbbbbbb";
    private static final Instant HOUR = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);
    private static Node node;
    private static SnapshotApi api;
    private static TestDatabase db;

    @BeforeAll
    static void start(TestDatabase database) {
        db = database;
        node = Node.start(db.config(Map.of("ORCHESTRATOR_INGEST_TOKENS", "model-server:" + REVISING + ":revise, canary:" + REJECTING)),
                List.of(new CollectModule()));
        api = new SnapshotApi(node.httpPort());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static SnapshotApi.Answer post(String token, Map<String, Object> snapshot) throws Exception {
        return api.send(Json.MAPPER.writeValueAsBytes(Map.of("snapshots", List.of(snapshot))), "application/json", "Bearer " + token);
    }

    private static Map<String, Object> changed(String model) {
        Map<String, Object> s = aSnapshot(model, "v1", HOUR);
        s.put("sample_count", 5200);
        s.put("metrics", Map.of("accuracy", 0.87));
        return s;
    }

    @Test
    void aTokenThatRejectsChangedValuesStillAnswers409NamingTheKeyAndWritesNothing() throws Exception {
        assertThat(post(REJECTING, aSnapshot("http-reject", "v1", HOUR)).status()).isEqualTo(200);
        Counts before = Counts.of(db.jdbi());

        SnapshotApi.Answer a = post(REJECTING, changed("http-reject"));

        assertThat(a.status()).isEqualTo(409);
        assertThat(a.body().path("error").asText()).contains("nothing was written");
        assertThat(a.body().path("conflicts").get(0).path("model").asText()).isEqualTo("http-reject");
        assertThat(Instant.parse(a.body().path("conflicts").get(0).path("observed_at").asText())).isEqualTo(HOUR);
        assertThat(Counts.of(db.jdbi())).isEqualTo(before);
    }

    @Test
    void aTokenMarkedReviseStoresAChangedValueAsARevisionAndSaysSo() throws Exception {
        assertThat(post(REVISING, aSnapshot("http-revise", "v1", HOUR)).status()).isEqualTo(200);

        SnapshotApi.Answer a = post(REVISING, changed("http-revise"));

        assertThat(a.status()).as(a.response().body()).isEqualTo(200);
        assertThat(a.body().path("inserted").asInt()).isZero();
        assertThat(a.body().path("revised").asInt()).isEqualTo(1);
        assertThat(a.body().path("duplicate").asInt()).isZero();
        List<Map<String, Object>> rows = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT revision, is_current, sample_count, channel FROM lineage.snapshot_revisions
                 WHERE model = 'http-revise' ORDER BY revision""").mapToMap().list());
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1)).containsEntry("revision", 2).containsEntry("is_current", true).containsEntry("sample_count", 5200L)
                .containsEntry("channel", "http");

        SnapshotApi.Answer again = post(REVISING, changed("http-revise"));
        assertThat(again.body().path("duplicate").asInt()).as("the same correction sent twice").isEqualTo(1);
        assertThat(again.body().path("revised").asInt()).isZero();
    }

    @Test
    void aRevisionOfAWindowSentAsFinalIsA400NamingTheKey() throws Exception {
        Map<String, Object> last = aSnapshot("http-final", "v1", HOUR);
        last.put("final", true);
        assertThat(post(REVISING, last).status()).isEqualTo(200);

        SnapshotApi.Answer a = post(REVISING, changed("http-final"));

        assertThat(a.status()).isEqualTo(400);
        assertThat(a.body().path("violations").get(0).path("index").asInt()).isZero();
        assertThat(a.body().path("violations").get(0).path("rule").asText()).contains("model=http-final").contains("settled at");
    }

    @Test
    void finalMustBeABoolean() throws Exception {
        Map<String, Object> s = aSnapshot("http-final-type", "v1", HOUR);
        s.put("final", "yes");

        SnapshotApi.Answer a = post(REVISING, s);

        assertThat(a.status()).isEqualTo(400);
        assertThat(a.body().path("violations").get(0).path("field").asText()).isEqualTo("final");
        assertThat(a.body().path("violations").get(0).path("rule").asText()).contains("must be true");
    }
}
