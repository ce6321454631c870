package org.visutility.orchestrator.collect;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.SnapshotApi;
import org.visutility.orchestrator.support.TestDatabase;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** POST /api/v1/distributions: accepted batches, duplicates, conflicts, and every bad batch rejected whole. */
@ExtendWith(PostgresExtension.class)
class DistributionIngestTest {
    private static final String T0 = "2026-11-30T10:00:00Z";
    private static Node node;
    private static SnapshotApi api;
    private static TestDatabase db;

    @BeforeAll
    static void start(TestDatabase database) {
        db = database;
        node = Node.start(db.config(), List.of(new CollectModule()));
        api = new SnapshotApi(node.httpPort(), DistributionIngestRoute.PATH);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    static Map<String, Object> numeric(String model, String feature, List<?> bins, List<?> counts) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("model", model);
        d.put("version", "v3");
        d.put("observed_at", T0);
        d.put("segment", "eu");
        d.put("feature", feature);
        d.put("kind", "numeric");
        d.put("bins", bins);
        d.put("counts", counts);
        return d;
    }

    static Map<String, Object> categorical(String model, String feature, Map<String, ?> counts) {
        Map<String, Object> d = numeric(model, feature, null, null);
        d.put("kind", "categorical");
        d.remove("bins");
        d.put("counts", counts);
        return d;
    }

    private static SnapshotApi.Answer post(List<Map<String, Object>> items) throws Exception {
        return api.postJson(org.visutility.orchestrator.core.Json.MAPPER.writeValueAsString(Map.of("distributions", items)));
    }

    private static long histogramsOf(String model) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT count(*) FROM orchestrator.distribution_snapshot d JOIN orchestrator.model m ON m.id = d.model_id WHERE m.name = :m""")
                .bind("m", model).mapTo(Long.class).one());
    }

    private static long batchesOfDistributions() {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM orchestrator.ingest_batch WHERE item_kind = 'distributions'")
                .mapTo(Long.class).one());
    }

    @Test
    void anAcceptedBatchStoresEachHistogramWithItsBatchAndRegistersTheVersion() throws Exception {
        // quotes and backslashes in a value survive the COPY and the array literal
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("monthly", 300);
        plan.put("say \"yearly\" \\ or not", 80);
        plan.put("__other__", 5);
        SnapshotApi.Answer a = post(List.of(
                numeric("accepted-d", "tenure", List.of(0, 6, 12.5, 24), List.of(120, 340, 95)),
                categorical("accepted-d", "plan", plan),
                numeric("accepted-d", "prediction", List.of(0.0, 0.5, 1.0), List.of(400, 100))));

        assertThat(a.status()).as(a.response().body()).isEqualTo(200);
        assertThat(a.body().path("distributions").asInt()).isEqualTo(3);
        assertThat(a.body().path("inserted").asInt()).isEqualTo(3);
        long batch = a.body().path("batch_id").asLong();
        List<Map<String, Object>> rows = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT d.feature, d.kind, d.edges::text AS edges, d.categories, d.counts::text AS counts, d.sample_count, d.segment,
                       d.source, d.batch_id, v.version, v.status
                  FROM orchestrator.distribution_snapshot d
                  JOIN orchestrator.model_version v ON v.id = d.model_version_id
                  JOIN orchestrator.model m ON m.id = d.model_id
                 WHERE m.name = 'accepted-d' ORDER BY d.feature""").mapToMap().list());
        assertThat(rows).extracting(r -> r.get("feature")).containsExactly("plan", "prediction", "tenure");
        assertThat(rows.get(2)).containsEntry("kind", "numeric").containsEntry("edges", "{0,6,12.5,24}").containsEntry("counts", "{120,340,95}")
                .containsEntry("sample_count", 555L).containsEntry("segment", "eu").containsEntry("source", "")
                .containsEntry("batch_id", batch).containsEntry("version", "v3").containsEntry("status", "active");
        String[] values = (String[]) db.jdbi().withHandle(h -> h.createQuery("""
                SELECT d.categories FROM orchestrator.distribution_snapshot d JOIN orchestrator.model m ON m.id = d.model_id
                 WHERE m.name = 'accepted-d' AND d.feature = 'plan'""").mapTo(String[].class).one());
        assertThat(values).containsExactly("monthly", "say \"yearly\" \\ or not", "__other__");
        Map<String, Object> batchRow = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT channel, item_kind, snapshot_count, inserted_count FROM orchestrator.ingest_batch WHERE id = :id")
                .bind("id", batch).mapToMap().one());
        assertThat(batchRow).containsEntry("channel", "http").containsEntry("item_kind", "distributions")
                .containsEntry("snapshot_count", 3).containsEntry("inserted_count", 3);
    }

    @Test
    void theSameHistogramsAgainAreDuplicatesAndWriteNothing() throws Exception {
        List<Map<String, Object>> batch = List.of(numeric("resent-d", "tenure", List.of(0, 6, 12), List.of(1, 2)),
                categorical("resent-d", "plan", Map.of("monthly", 3)));
        assertThat(post(batch).body().path("inserted").asInt()).isEqualTo(2);
        long batches = batchesOfDistributions();

        SnapshotApi.Answer again = post(batch);

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body().path("inserted").asInt()).isZero();
        assertThat(again.body().path("duplicate").asInt()).isEqualTo(2);
        assertThat(again.body().path("batch_id").isNull()).isTrue();
        assertThat(batchesOfDistributions()).isEqualTo(batches);
    }

    @Test
    void anotherHistogramForAStoredKeyIsRefusedWith409NamingTheKeyAndNothingIsWritten() throws Exception {
        post(List.of(numeric("conflict-d", "tenure", List.of(0, 6, 12), List.of(1, 2))));

        SnapshotApi.Answer a = post(List.of(numeric("conflict-d", "age", List.of(0, 1), List.of(7)),
                numeric("conflict-d", "tenure", List.of(0, 6, 12), List.of(1, 3))));

        assertThat(a.status()).isEqualTo(409);
        assertThat(a.body().path("error").asText()).contains("never revised").contains("nothing was written");
        JsonNode c = a.body().path("conflicts").get(0);
        assertThat(c.path("index").asInt()).isEqualTo(1);
        assertThat(c.path("model").asText()).isEqualTo("conflict-d");
        assertThat(c.path("feature").asText()).isEqualTo("tenure");
        assertThat(c.path("segment").asText()).isEqualTo("eu");
        assertThat(c.path("observed_at").asText()).isEqualTo(T0);
        assertThat(histogramsOf("conflict-d")).isEqualTo(1);
    }

    @Test
    void oneKeyTwiceInABatchWithDifferentCountsIsAConflict() throws Exception {
        SnapshotApi.Answer a = post(List.of(numeric("twice-d", "tenure", List.of(0, 6), List.of(1)),
                numeric("twice-d", "tenure", List.of(0, 6), List.of(2))));

        assertThat(a.status()).isEqualTo(409);
        assertThat(histogramsOf("twice-d")).isZero();
    }

    static Stream<Arguments> badItems() {
        List<Integer> tooMany = IntStream.rangeClosed(0, 101).boxed().toList();
        List<Integer> tooManyCounts = IntStream.range(0, 101).map(i -> 1).boxed().toList();
        Map<String, Object> unknownKind = numeric("bad-d", "tenure", List.of(0, 1), List.of(1));
        unknownKind.put("kind", "ordinal");
        Map<String, Object> emptyCategories = categorical("bad-d", "plan", Map.of());
        Map<String, Object> negativeCategory = categorical("bad-d", "plan", Map.of("monthly", -1));
        Map<String, Object> countsAsObject = numeric("bad-d", "tenure", List.of(0, 1), null);
        countsAsObject.put("counts", Map.of("a", 1));
        Map<String, Object> unknownField = numeric("bad-d", "tenure", List.of(0, 1), List.of(1));
        unknownField.put("metrics", Map.of("accuracy", 0.9));
        return Stream.of(
                Arguments.of("non-monotone edges", numeric("bad-d", "tenure", List.of(0, 12, 6), List.of(1, 2)), "bins[2]", "strictly increase"),
                Arguments.of("equal edges", numeric("bad-d", "tenure", List.of(0, 6, 6), List.of(1, 2)), "bins[2]", "strictly increase"),
                Arguments.of("negative count", numeric("bad-d", "tenure", List.of(0, 6, 12), List.of(1, -2)), "counts[1]", "non-negative"),
                Arguments.of("fractional count", numeric("bad-d", "tenure", List.of(0, 6, 12), List.of(1, 2.5)), "counts[1]", "whole number"),
                Arguments.of("mismatched lengths", numeric("bad-d", "tenure", List.of(0, 6, 12), List.of(1, 2, 3)), "counts", "one count per bin"),
                Arguments.of("too many bins", numeric("bad-d", "tenure", tooMany, tooManyCounts), "bins", "at most 100 bins"),
                Arguments.of("unknown kind", unknownKind, "kind", "numeric or categorical"),
                Arguments.of("bad feature name", numeric("bad-d", "ten ure", List.of(0, 1), List.of(1)), "feature", "[A-Za-z0-9_.:/-]"),
                Arguments.of("no feature", numeric("bad-d", null, List.of(0, 1), List.of(1)), "feature", "is required"),
                Arguments.of("empty categorical counts", emptyCategories, "counts", "at least 1 value"),
                Arguments.of("negative categorical count", negativeCategory, "counts.monthly", "non-negative"),
                Arguments.of("numeric counts as an object", countsAsObject, "counts", "array of counts"),
                Arguments.of("a snapshot's field", unknownField, "metrics", "not a distribution field"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badItems")
    void aBatchWithOneBadItemIsRejectedWholeNamingTheItemFieldAndRule(String why, Map<String, Object> bad, String field, String rule)
            throws Exception {
        long batches = batchesOfDistributions();
        List<Map<String, Object>> batch = new ArrayList<>();
        batch.add(numeric("bad-d", "fine", List.of(0, 1, 2), List.of(3, 4)));
        batch.add(bad);

        SnapshotApi.Answer a = post(batch);

        assertThat(a.status()).as(a.response().body()).isEqualTo(400);
        assertThat(a.body().path("error").asText()).contains("nothing was written");
        JsonNode v = a.body().path("violations").get(0);
        assertThat(v.path("index").asInt()).isEqualTo(1);
        assertThat(v.path("field").asText()).isEqualTo(field);
        assertThat(v.path("rule").asText()).contains(rule);
        assertThat(histogramsOf("bad-d")).isZero();
        assertThat(batchesOfDistributions()).isEqualTo(batches);
    }

    @Test
    void aBodyWithoutTheDistributionsArrayIsRejected() throws Exception {
        SnapshotApi.Answer a = api.postJson("{\"snapshots\": []}");

        assertThat(a.status()).isEqualTo(400);
        assertThat(a.body().path("violations").toString()).contains("not a batch field").contains("distributions");
    }
}
