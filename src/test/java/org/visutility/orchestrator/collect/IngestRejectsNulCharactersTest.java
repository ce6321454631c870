package org.visutility.orchestrator.collect;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.support.Cli;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.SnapshotApi;
import org.visutility.orchestrator.support.Snapshots.Counts;
import org.visutility.orchestrator.support.TestDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;
import static org.visutility.orchestrator.support.Snapshots.aSnapshot;

/**
 * PostgreSQL text cannot hold NUL: a NUL (or another control character) in any text of an ingest
 * input is a 400 / exit 2 naming the field, never a 500, and the answer shows it escaped
 * (backslash u0000) so that it can be printed, logged and stored as a collector's last error.
 */
@ExtendWith(PostgresExtension.class)
class IngestRejectsNulCharactersTest {
    private static final String NUL = "\0";
    private static final String SHOWN = "\\u0000";
    private static Node node;
    private static SnapshotApi api;
    private static TestDatabase db;
    @TempDir
    Path dir;

    @BeforeAll
    static void start(TestDatabase database) {
        db = database;
        node = Node.start(db.config(), List.of(new CollectModule()));
        api = new SnapshotApi(node.httpPort());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metrics(Map<String, Object> s) {
        return (Map<String, Object>) s.get("metrics");
    }

    static Stream<Arguments> nulInText() {
        return Stream.of(
                arguments("model", (Consumer<Map<String, Object>>) s -> s.put("model", "churn" + NUL), "model"),
                arguments("version", (Consumer<Map<String, Object>>) s -> s.put("version", NUL), "version"),
                arguments("segment", (Consumer<Map<String, Object>>) s -> s.put("segment", "eu" + NUL + "west"), "segment"),
                arguments("source", (Consumer<Map<String, Object>>) s -> s.put("source", NUL + "serving"), "source"),
                arguments("observed_at", (Consumer<Map<String, Object>>) s -> s.put("observed_at", s.get("observed_at") + NUL), "observed_at"),
                arguments("metric name", (Consumer<Map<String, Object>>) s -> metrics(s).put("acc" + NUL, 0.5), "metrics"),
                arguments("metric value", (Consumer<Map<String, Object>>) s -> metrics(s).put("accuracy", "0.9" + NUL), "metrics.accuracy"),
                arguments("field name", (Consumer<Map<String, Object>>) s -> s.put("note" + NUL, "x"), "note" + SHOWN));
    }

    @ParameterizedTest(name = "NUL in the {0}")
    @MethodSource("nulInText")
    void aNulInAnyTextOfAnHttpBatchIsA400NamingTheField(String what, Consumer<Map<String, Object>> breakIt, String field) throws Exception {
        Map<String, Object> bad = aSnapshot();
        breakIt.accept(bad);
        Counts before = Counts.of(db.jdbi());

        SnapshotApi.Answer a = api.post(List.of(bad));

        assertThat(a.status()).as(a.response().body()).isEqualTo(400);
        JsonNode v = a.body().path("violations").get(0);
        assertThat(v.path("field").asText()).isEqualTo(field);
        assertThat(v.path("rule").asText()).doesNotContain(NUL);
        assertThat(v.path("field").asText() + v.path("rule").asText()).contains(SHOWN);
        assertThat(Counts.of(db.jdbi())).isEqualTo(before);
    }

    @Test
    void aNulInABatchFieldNameIsA400NamingItEscaped() throws Exception {
        SnapshotApi.Answer a = api.postJson("{\"snapshots\": [], \"x\\u0000\": 1}");

        assertThat(a.status()).as(a.response().body()).isEqualTo(400);
        assertThat(a.body().path("violations").findValuesAsText("field")).contains("x" + SHOWN);
    }

    @Test
    void aNulInACsvFileIsReportedByLineAndFieldAndNothingIsWritten() throws Exception {
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(1, ChronoUnit.HOURS);
        Path file = dir.resolve("nul.csv");
        Files.writeString(file, "model,version,observed_at,sample_count,segment,source,accuracy\n"
                + "csv-nul,v1," + at + ",10,eu,serving,0.9\n"
                + "csv-nul,v1," + at.plusSeconds(1) + ",10,eu,serv" + NUL + "ing,0.9\n"
                + "csv" + NUL + "nul,v1," + at.plusSeconds(2) + ",10,,,0.9\n");
        Counts before = Counts.of(db.jdbi());

        Cli.Run r = Cli.run(db.environment(Map.of()), "ingest", file.toString());

        assertThat(r.status()).as(r.err()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("line 3: source", "line 4: model", "\"serv" + SHOWN + "ing\"").doesNotContain(NUL);
        assertThat(Counts.of(db.jdbi())).isEqualTo(before);

        Path header = dir.resolve("nul-header.csv");
        Files.writeString(header, "model,version,observed_at,sample_count,segment,source,acc" + NUL + "uracy\n"
                + "csv-nul,v1," + at + ",10,eu,serving,0.9\n");
        r = Cli.run(db.environment(Map.of()), "ingest", header.toString());
        assertThat(r.status()).as(r.err()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("line 1: header metric column 7 \"acc" + SHOWN + "uracy\"").doesNotContain(NUL);
    }

    @Test
    void aNulInAJsonLinesFileIsReportedByLineAndFieldAndNothingIsWritten() throws Exception {
        Map<String, Object> good = aSnapshot("jsonl-nul", "v1", Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(1, ChronoUnit.HOURS));
        Map<String, Object> bad = new LinkedHashMap<>(good);
        bad.put("version", "v1" + NUL);
        Path file = dir.resolve("nul.jsonl");
        Files.writeString(file, Json.MAPPER.writeValueAsString(good) + "\n"
                + Json.MAPPER.writeValueAsString(bad) + "\n");
        Counts before = Counts.of(db.jdbi());

        Cli.Run r = Cli.run(db.environment(Map.of()), "ingest", file.toString(), "--json");

        assertThat(r.status()).as(r.err()).isEqualTo(ExitCode.USAGE);
        JsonNode result = Json.MAPPER.readTree(
                r.out().lines().filter(l -> l.startsWith("{\"file\"")).reduce((x, y) -> y).orElseThrow());
        JsonNode v = result.path("violations").get(0);
        assertThat(v.path("line").asInt()).isEqualTo(2);
        assertThat(v.path("field").asText()).isEqualTo("version");
        assertThat(v.path("rule").asText()).contains("\"v1" + SHOWN + "\"");
        assertThat(Counts.of(db.jdbi())).isEqualTo(before);
    }
}
