package org.visutility.orchestrator.collect;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.SnapshotApi;
import org.visutility.orchestrator.support.Snapshots.Counts;
import org.visutility.orchestrator.support.TestDatabase;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.visutility.orchestrator.support.Snapshots.aSnapshot;

@ExtendWith(PostgresExtension.class)
class UnknownModelsRejectedTest {

    @Test
    void withRegistrationOffUnknownModelsAndVersionsAreA400AndKnownOnesAreAccepted(TestDatabase db) throws Exception {
        db.jdbi().useHandle(h -> {
            h.execute("INSERT INTO orchestrator.model (name) VALUES ('known')");
            h.execute("INSERT INTO orchestrator.model_version (model_id, version, source) SELECT id, 'v1', 'manual' FROM orchestrator.model");
        });
        Instant t = Instant.parse("2026-03-01T00:00:00Z");
        try (Node node = Node.start(db.config(Map.of("ORCHESTRATOR_INGEST_REGISTER_UNKNOWN", "false")), List.of(new CollectModule()))) {
            SnapshotApi api = new SnapshotApi(node.httpPort());
            Counts before = Counts.of(db.jdbi());

            SnapshotApi.Answer a = api.post(List.of(aSnapshot("known", "v1", t), aSnapshot("stranger", "v1", t), aSnapshot("known", "v2", t)));

            assertThat(a.status()).isEqualTo(400);
            assertThat(a.body().path("violations")).hasSize(2);
            assertThat(a.body().path("violations").get(0).path("index").asInt()).isEqualTo(1);
            assertThat(a.body().path("violations").get(0).path("field").asText()).isEqualTo("model");
            assertThat(a.body().path("violations").get(0).path("rule").asText())
                    .contains("unknown model \"stranger\"").contains("ORCHESTRATOR_INGEST_REGISTER_UNKNOWN is false");
            assertThat(a.body().path("violations").get(1).path("index").asInt()).isEqualTo(2);
            assertThat(a.body().path("violations").get(1).path("field").asText()).isEqualTo("version");
            assertThat(Counts.of(db.jdbi())).isEqualTo(before);

            assertThat(api.post(List.of(aSnapshot("known", "v1", t))).status()).isEqualTo(200);
        }
    }
}
