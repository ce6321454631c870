package org.visutility.orchestrator.collect;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.SnapshotApi;
import org.visutility.orchestrator.support.Snapshots;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;
import static org.visutility.orchestrator.support.Snapshots.aSnapshot;

/** Every validation rule, through POST /api/v1/snapshots: each rejected input names the item, field and rule, and writes nothing. */
@ExtendWith(PostgresExtension.class)
class HttpIngestRejectsInvalidInputTest {
    private static Node node;
    private static SnapshotApi api;
    private static TestDatabase db;

    @BeforeAll
    static void start(TestDatabase database) {
        db = database;
        node = Node.start(db.config(Map.of("ORCHESTRATOR_INGEST_BOUNDED_METRICS", "coverage, hit_rate")), List.of(new CollectModule()));
        api = new SnapshotApi(node.httpPort());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @AfterEach
    void nothingWasWritten() {
        assertThat(Snapshots.Counts.of(db.jdbi())).isEqualTo(Snapshots.Counts.none());
    }

    static Stream<Arguments> brokenRules() {
        String future = Instant.now().plus(11, ChronoUnit.MINUTES).toString();
        return Stream.of(
                arguments("model missing", edit(s -> s.remove("model")), "model", "is required"),
                arguments("model not a string", edit(s -> s.put("model", 42)), "model", "must be a string, got the number 42"),
                arguments("model with a space", edit(s -> s.put("model", "churn model")), "model", "[A-Za-z0-9_.:/-]"),
                arguments("model empty", edit(s -> s.put("model", "")), "model", "must be 1-250 characters"),
                arguments("model of 251 characters", edit(s -> s.put("model", "m".repeat(251))), "model", "must be 1-250 characters"),
                arguments("version missing", edit(s -> s.remove("version")), "version", "is required"),
                arguments("version with a quote", edit(s -> s.put("version", "v'3")), "version", "[A-Za-z0-9_.:/-]"),
                arguments("segment with a comma", edit(s -> s.put("segment", "eu,us")), "segment", "[A-Za-z0-9_.:/-]"),
                arguments("source of 251 characters", edit(s -> s.put("source", "s".repeat(251))), "source", "must be 1-250 characters"),
                arguments("source an object", edit(s -> s.put("source", Map.of("a", 1))), "source", "must be a string, got a JSON object"),
                arguments("observed_at missing", edit(s -> s.remove("observed_at")), "observed_at", "is required"),
                arguments("observed_at without offset", edit(s -> s.put("observed_at", "2026-01-05T10:00:00")), "observed_at",
                        "(it has no offset)"),
                arguments("observed_at not a time", edit(s -> s.put("observed_at", "yesterday")), "observed_at",
                        "must be an ISO-8601 timestamp with an offset"),
                arguments("observed_at a number", edit(s -> s.put("observed_at", 1764151200)), "observed_at",
                        "must be an ISO-8601 timestamp with an offset"),
                arguments("observed_at 11 minutes ahead", edit(s -> s.put("observed_at", future)), "observed_at",
                        "must be at most 10 minutes in the future"),
                arguments("observed_at before 1970", edit(s -> s.put("observed_at", "1969-12-31T23:59:59Z")), "observed_at",
                        "(at most 730d old: ORCHESTRATOR_INGEST_MAX_AGE), got 1969-12-31T23:59:59Z"),
                arguments("sample_count missing", edit(s -> s.remove("sample_count")), "sample_count", "is required"),
                arguments("sample_count negative", edit(s -> s.put("sample_count", -1)), "sample_count", "must be >= 0, got -1"),
                arguments("sample_count fractional", edit(s -> s.put("sample_count", 12.5)), "sample_count", "must be a whole number"),
                arguments("sample_count a string", edit(s -> s.put("sample_count", "5000")), "sample_count", "must be a whole number"),
                arguments("metrics missing", edit(s -> s.remove("metrics")), "metrics", "is required"),
                arguments("metrics empty", edit(s -> s.put("metrics", Map.of())), "metrics", "must hold at least 1 metric"),
                arguments("metrics an array", edit(s -> s.put("metrics", List.of(0.9))), "metrics",
                        "must be an object of metric names to numbers, got a JSON array"),
                arguments("101 metrics", edit(s -> s.put("metrics", manyMetrics(101))), "metrics", "must hold at most 100 metrics, got 101"),
                arguments("metric name with a space", edit(s -> metrics(s).put("top 1", 0.5)), "metrics", "metric name \"top 1\""),
                arguments("metric value a string", edit(s -> metrics(s).put("accuracy", "0.9")), "metrics.accuracy", "must be a number"),
                arguments("metric value null", edit(s -> metrics(s).put("latency_ms", null)), "metrics.latency_ms", "must be a number, got null"),
                arguments("metric value NaN", edit(s -> metrics(s).put("latency_ms", "@@NaN")), "metrics.latency_ms", "must be finite, got NaN"),
                arguments("metric value Infinity", edit(s -> metrics(s).put("loss", "@@Infinity")), "metrics.loss", "must be finite, got Infinity"),
                arguments("metric value -Infinity", edit(s -> metrics(s).put("loss", "@@-Infinity")), "metrics.loss",
                        "must be finite, got -Infinity"),
                arguments("metric value beyond a double", edit(s -> metrics(s).put("loss", "@@1e999")), "metrics.loss", "must be finite"),
                arguments("accuracy above 1", edit(s -> metrics(s).put("accuracy", 1.2)), "metrics.accuracy",
                        "must be within [0, 1] (accuracy is a bounded metric), got 1.2"),
                arguments("precision above 1", edit(s -> metrics(s).put("precision", 1.0001)), "metrics.precision", "must be within [0, 1]"),
                arguments("recall below 0", edit(s -> metrics(s).put("recall", -0.01)), "metrics.recall", "must be within [0, 1]"),
                arguments("f1 above 1", edit(s -> metrics(s).put("f1", 2)), "metrics.f1", "must be within [0, 1]"),
                arguments("auc below 0", edit(s -> metrics(s).put("auc", -1)), "metrics.auc", "must be within [0, 1]"),
                arguments("a metric made bounded by the setting", edit(s -> metrics(s).put("hit_rate", 1.5)), "metrics.hit_rate",
                        "must be within [0, 1] (hit_rate is a bounded metric)"),
                arguments("an unknown field", edit(s -> s.put("observedAt", "2026-01-01T00:00:00Z")), "observedAt",
                        "is not a snapshot field"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenRules")
    void aBatchWithOneBrokenItemIsRejectedWhole(String name, Consumer<Map<String, Object>> breakIt, String field, String rule) throws Exception {
        Map<String, Object> bad = aSnapshot("churn", "v3", Instant.parse("2026-01-05T10:00:00Z"));
        breakIt.accept(bad);
        SnapshotApi.Answer a = api.postJson(withLiterals(List.of(aSnapshot(), bad)));

        assertThat(a.status()).as(a.response().body()).isEqualTo(400);
        assertThat(a.body().path("error").asText()).contains("nothing was written");
        JsonNode violation = a.body().path("violations").get(0);
        assertThat(a.body().path("violations")).hasSize(1);
        assertThat(violation.path("index").asInt()).isEqualTo(1);
        assertThat(violation.path("field").asText()).isEqualTo(field);
        assertThat(violation.path("rule").asText()).contains(rule);
    }

    @Test
    void everyBadItemIsListedByIndexFieldAndRule() throws Exception {
        Map<String, Object> first = aSnapshot();
        first.put("sample_count", -5);
        Map<String, Object> third = aSnapshot();
        third.remove("model");
        metrics(third).put("auc", 3);
        SnapshotApi.Answer a = api.post(List.of(first, aSnapshot(), third));

        assertThat(a.status()).isEqualTo(400);
        assertThat(a.body().path("error").asText()).startsWith("invalid batch: 2 item(s)");
        List<String> listed = new ArrayList<>();
        a.body().path("violations").forEach(v -> listed.add(v.path("index").asInt() + " " + v.path("field").asText()));
        assertThat(listed).containsExactly("0 sample_count", "2 model", "2 metrics.auc");
    }

    @Test
    void aBatchOfMoreThan1000SnapshotsIsRejected() throws Exception {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 1001; i++) items.add(aSnapshot("churn", "v3", Instant.parse("2026-01-05T10:00:00Z").plusSeconds(i)));
        SnapshotApi.Answer a = api.post(items);
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.body().path("violations").get(0).path("field").asText()).isEqualTo("snapshots");
        assertThat(a.body().path("violations").get(0).path("rule").asText()).contains("must hold 1-1000 snapshots per batch, got 1001");
    }

    @Test
    void anEmptyBatchIsRejected() throws Exception {
        SnapshotApi.Answer a = api.postJson("{\"snapshots\": []}");
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.body().path("violations").get(0).path("rule").asText()).contains("got 0");
    }

    @Test
    void aBodyThatIsNotJsonIsRejectedSayingWhere() throws Exception {
        SnapshotApi.Answer a = api.postJson("{\"snapshots\": [ {\"model\": }");
        assertThat(a.status()).isEqualTo(400);
        JsonNode v = a.body().path("violations").get(0);
        assertThat(v.path("field").asText()).isEqualTo("body");
        assertThat(v.path("rule").asText()).startsWith("is not valid JSON").contains("line 1");
        assertThat(v.has("index")).isFalse();
    }

    @Test
    void aRepeatedKeyInAnObjectIsRejectedNotSilentlyDropped() throws Exception {
        SnapshotApi.Answer a = api.postJson("""
                {"snapshots": [{"model":"churn","version":"v3","observed_at":"2026-01-05T10:00:00Z","sample_count":1,
                  "metrics":{"accuracy":0.9,"accuracy":0.2}}]}""");
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.body().path("violations").get(0).path("rule").asText()).contains("Duplicate field 'accuracy'");
    }

    @Test
    void aBatchMustBeAnObjectWithOnlySnapshots() throws Exception {
        assertThat(api.postJson("[]").body().path("violations").get(0).path("rule").asText()).contains("must be a JSON object");
        assertThat(api.postJson("{}").body().path("violations").get(0).path("field").asText()).isEqualTo("snapshots");
        assertThat(api.postJson("").body().path("violations").get(0).path("rule").asText()).contains("is empty");
        SnapshotApi.Answer extra = api.postJson(Json.MAPPER.writeValueAsString(Map.of("snapshots", List.of(aSnapshot()), "dry_run", true)));
        assertThat(extra.status()).isEqualTo(400);
        assertThat(extra.body().path("violations").get(0).path("field").asText()).isEqualTo("dry_run");
    }

    @Test
    void aBodyOverOneMebibyteIsRejectedWith413() throws Exception {
        StringBuilder body = new StringBuilder("{\"snapshots\": [");
        body.append(Json.MAPPER.writeValueAsString(aSnapshot()));
        body.append("], \"padding\": \"").append("x".repeat(1024 * 1024)).append("\"}");
        SnapshotApi.Answer a = api.postJson(body.toString());
        assertThat(a.status()).isEqualTo(413);
        assertThat(a.body().path("error").asText()).contains("larger than 1048576 bytes");
    }

    @Test
    void aWrongOrMissingContentTypeIsRejectedWith415() throws Exception {
        byte[] body = Json.MAPPER.writeValueAsBytes(Map.of("snapshots", List.of(aSnapshot())));
        SnapshotApi.Answer plain = api.send(body, "text/plain", null);
        assertThat(plain.status()).isEqualTo(415);
        assertThat(plain.body().path("error").asText()).contains("must be application/json").contains("text/plain");
        assertThat(api.send(body, null, null).status()).isEqualTo(415);
        assertThat(api.send(body, "application/json; charset=ISO-8859-1", null).status()).isEqualTo(415);
    }

    @Test
    void theOnlyPostedMethodIsPost() throws Exception {
        var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + node.httpPort() + SnapshotIngestRoute.PATH)).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isIn(404, 405);
    }

    private static Consumer<Map<String, Object>> edit(Consumer<Map<String, Object>> c) {
        return c;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metrics(Map<String, Object> s) {
        return (Map<String, Object>) s.get("metrics");
    }

    private static Map<String, Object> manyMetrics(int n) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) m.put("m" + i, i);
        return m;
    }

    /** JSON with the "@@..." markers turned into bare literals (NaN, Infinity) that serializers will not write. */
    private static String withLiterals(List<Map<String, Object>> items) throws Exception {
        return Json.MAPPER.writeValueAsString(Map.of("snapshots", items)).replaceAll("\"@@([^\"]*)\"", "$1");
    }
}
