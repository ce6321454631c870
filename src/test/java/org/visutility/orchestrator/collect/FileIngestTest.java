package org.visutility.orchestrator.collect;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.app.Main;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.Snapshots.Counts;
import org.visutility.orchestrator.support.TestDatabase;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code orchestrator ingest FILE}: CSV and JSON Lines, all or nothing, bad lines reported by number. */
@ExtendWith(PostgresExtension.class)
class FileIngestTest {
    private static final String HEADER = "model,version,observed_at,sample_count,segment,source,accuracy,latency_ms\n";
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;
    @TempDir
    Path dir;

    @BeforeEach
    void capture() {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    private int ingest(TestDatabase db, String... args) {
        out.reset();
        err.reset();
        String[] all = new String[args.length + 1];
        all[0] = "ingest";
        System.arraycopy(args, 0, all, 1, args.length);
        return Main.run(db.environment(Map.of()), all);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The command's JSON result (in tests, log lines share stdout; the product logs to stderr). */
    private JsonNode jsonResult() throws Exception {
        String last = stdout().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow();
        return Json.MAPPER.readTree(last);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aCsvFileIsImportedAndImportingItAgainCountsDuplicates(TestDatabase db) throws Exception {
        Path file = dir.resolve("metrics.csv");
        Files.writeString(file, "\uFEFF" + HEADER.replace("\n", "\r\n")
                + "csv-model,v1,2026-01-05T10:00:00Z,5000,eu,serving,0.91,12.5\r\n"
                + "\"csv-model\",v1,2026-01-05T10:05:00+01:00,4000,,,0.90,\r\n"
                + "\r\n"
                + "csv-model,v2,2026-01-05T10:10:00Z,0,eu,\"batch\",1,7\r\n");
        Counts before = Counts.of(db.jdbi());

        assertThat(ingest(db, file.toString())).as(stderr()).isEqualTo(ExitCode.OK);
        assertThat(stdout()).contains("3 snapshots, 3 inserted, 0 duplicate");
        Counts after = Counts.of(db.jdbi());
        assertThat(after.snapshots() - before.snapshots()).isEqualTo(3);
        assertThat(after.metricValues() - before.metricValues()).as("the empty latency_ms cell is no value").isEqualTo(5);
        Map<String, Object> sparse = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT s.segment, s.source, s.metrics::text AS metrics FROM orchestrator.metric_snapshot s
                  JOIN orchestrator.model m ON m.id = s.model_id
                 WHERE m.name = 'csv-model' AND s.observed_at = timestamptz '2026-01-05T09:05:00Z'""").mapToMap().one());
        assertThat(sparse).containsEntry("segment", "").containsEntry("source", "").containsEntry("metrics", "{\"accuracy\": 0.9}");
        String channel = db.jdbi().withHandle(h -> h.createQuery("SELECT channel || ' ' || origin FROM orchestrator.ingest_batch ORDER BY id DESC LIMIT 1")
                .mapTo(String.class).one());
        assertThat(channel).isEqualTo("file " + file.toAbsolutePath());

        assertThat(ingest(db, file.toString())).isEqualTo(ExitCode.OK);
        assertThat(stdout()).contains("3 snapshots, 0 inserted, 3 duplicate");
        assertThat(Counts.of(db.jdbi())).isEqualTo(after);
    }

    @Test
    void aJsonLinesFileIsImportedWithAMachineReadableResult(TestDatabase db) throws Exception {
        Path file = dir.resolve("metrics.jsonl");
        Files.writeString(file, """
                {"model":"jsonl-model","version":"v3","observed_at":"2026-02-01T10:00:00Z","sample_count":5000,"segment":"eu","source":"serving","metrics":{"accuracy":0.91,"precision":0.88}}

                {"model":"jsonl-model","version":"v3","observed_at":"2026-02-01T11:00:00Z","sample_count":5100,"metrics":{"accuracy":0.9}}
                """);
        assertThat(ingest(db, file.toString(), "--json")).as(stderr()).isEqualTo(ExitCode.OK);
        JsonNode result = jsonResult();
        assertThat(result.path("status").asText()).isEqualTo("ok");
        assertThat(result.path("snapshots").asInt()).isEqualTo(2);
        assertThat(result.path("inserted").asInt()).isEqualTo(2);
        assertThat(result.path("duplicate").asInt()).isZero();
        assertThat(result.path("batch_id").isNumber()).isTrue();
    }

    @Test
    void anInvalidFileIsReportedLineByLineExitsWith2AndWritesNothing(TestDatabase db) throws Exception {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, HEADER
                + "bad-model,v1,2026-01-05T10:00:00Z,5000,eu,serving,0.91,12.5\n"
                + "bad-model,v1,2026-01-05 10:00,5000,eu,serving,0.91,12.5\n"
                + "bad-model,v1,2026-01-05T10:01:00Z,-3,eu,serving,1.4,NaN\n"
                + "bad-model,v1,2026-01-05T10:02:00Z,5000,eu\n"
                + "bad model,v1,2026-01-05T10:03:00Z,5000,eu,serving,0.5,fast\n");
        Counts before = Counts.of(db.jdbi());

        assertThat(ingest(db, file.toString())).isEqualTo(ExitCode.USAGE);

        assertThat(stderr()).contains("4 line(s) break the rules; nothing was written")
                .contains("line 3: observed_at must be an ISO-8601 timestamp with an offset")
                .contains("line 4: sample_count must be >= 0, got -3")
                .contains("line 4: metrics.accuracy must be within [0, 1]")
                .contains("line 4: metrics.latency_ms must be finite, got NaN")
                .contains("line 5: line has 5 columns; the header has 8")
                .contains("line 6: model must be 1-250 characters")
                .contains("line 6: metrics.latency_ms must be a number, got \"fast\"");
        assertThat(Counts.of(db.jdbi())).isEqualTo(before);
    }

    @Test
    void quotedCellsSpanningLinesOrHoldingCommasAndQuotesAreReadWholeAndLaterLinesKeepTheirNumbers(TestDatabase db) throws Exception {
        Path file = dir.resolve("quoted.csv");
        Files.writeString(file, HEADER
                + "\"quoted-model\",v1,2026-01-05T10:00:00Z,5000,eu,\"serving\",0.91,12.5\n"
                + "quoted-model,v1,2026-01-05T10:01:00Z,5000,\"eu\nwest\",serving,0.91,12.5\n"
                + "quoted-model,v1,2026-01-05T10:02:00Z,5000,\"eu,west\",\"the \"\"nightly\"\" job\",0.91,12.5\n"
                + "quoted-model,v1,2026-01-05 10:03,5000,eu,serving,0.91,12.5\n");
        Counts before = Counts.of(db.jdbi());

        assertThat(ingest(db, file.toString())).isEqualTo(ExitCode.USAGE);

        // the cells arrive whole (a segment is a name, so these break its rule), each row named by its first line
        assertThat(stderr()).contains("3 line(s) break the rules; nothing was written")
                .contains("line 3: segment " + SnapshotBatchValidator.NAME_RULE + ", got \"eu\\u000awest\"")
                .contains("line 5: segment " + SnapshotBatchValidator.NAME_RULE + ", got \"eu,west\"")
                .contains("line 5: source " + SnapshotBatchValidator.NAME_RULE + ", got \"the \"nightly\" job\"")
                .contains("line 6: observed_at must be an ISO-8601 timestamp");
        assertThat(Counts.of(db.jdbi())).isEqualTo(before);
    }

    @Test
    void anUnterminatedQuoteIsReportedAtTheLineItOpensOnAndNothingIsWritten(TestDatabase db) throws Exception {
        Path file = dir.resolve("open-quote.csv");
        Files.writeString(file, HEADER
                + "open-model,v1,2026-01-05T10:00:00Z,5000,eu,serving,0.91,12.5\n"
                + "open-model,v1,2026-01-05T10:01:00Z,5000,\"eu,serving,0.91,12.5\n"
                + "open-model,v1,2026-01-05T10:02:00Z,5000,eu,serving,0.91,12.5\n");
        Counts before = Counts.of(db.jdbi());

        assertThat(ingest(db, file.toString())).isEqualTo(ExitCode.USAGE);

        assertThat(stderr()).contains("1 line(s) break the rules; nothing was written")
                .contains("line 3: line has an unterminated quote: a quoted field opened on this line is not closed before the end"
                        + " of the file (a quote inside a quoted field is written \"\"); reading stopped here");
        assertThat(Counts.of(db.jdbi())).isEqualTo(before);
    }

    @Test
    void bytesThatAreNotUtf8AreReportedAtTheirRowsLine(TestDatabase db) throws Exception {
        Path file = dir.resolve("latin1.csv");
        byte[] head = (HEADER + "utf-model,v1,2026-01-05T10:00:00Z,5000,eu,serving,0.91,12.5\n"
                + "utf-model,v1,2026-01-05T10:01:00Z,5000,\"eu\nwest\",serving,0.91,12.5\n"
                + "utf-model,v1,2026-01-05T10:02:00Z,5000,caf").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ",serving,0.91,12.5\n".getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + 1 + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        all[head.length] = (byte) 0xE9; // é in Latin-1
        System.arraycopy(tail, 0, all, head.length + 1, tail.length);
        Files.write(file, all);

        assertThat(ingest(db, file.toString())).isEqualTo(ExitCode.USAGE);

        assertThat(stderr()).contains("line 5: line is not UTF-8 text; reading stopped here");
    }

    @Test
    void anInvalidFileReportsUpToALimitAndCountsTheRest(TestDatabase db) throws Exception {
        Path file = dir.resolve("many-bad.csv");
        StringBuilder text = new StringBuilder(HEADER);
        for (int i = 0; i < 300; i++) text.append("m,v1,2026-01-05T10:00:00Z,5000,eu,serving,7,1\n");
        Files.writeString(file, text);
        assertThat(ingest(db, file.toString(), "--json")).isEqualTo(ExitCode.USAGE);
        JsonNode result = jsonResult();
        assertThat(result.path("status").asText()).isEqualTo("invalid");
        assertThat(result.path("invalid_lines").asInt()).isEqualTo(300);
        assertThat(result.path("violations")).hasSize(SnapshotFileImport.MAX_REPORTED_VIOLATIONS);
        assertThat(result.path("violations").get(0).path("line").asInt()).isEqualTo(2);

        assertThat(ingest(db, file.toString())).isEqualTo(ExitCode.USAGE);
        assertThat(stderr()).contains("... and 200 more invalid line(s)");
    }

    @Test
    void aWrongHeaderOrAnEmptyFileIsRejected(TestDatabase db) throws Exception {
        Path swapped = dir.resolve("swapped.csv");
        Files.writeString(swapped, "model,version,sample_count,observed_at,segment,source,accuracy\nm,v,1,2026-01-05T10:00:00Z,,,0.5\n");
        assertThat(ingest(db, swapped.toString())).isEqualTo(ExitCode.USAGE);
        assertThat(stderr()).contains("line 1: header column 3 must be observed_at, got \"sample_count\"");

        Path noMetrics = dir.resolve("no-metrics.csv");
        Files.writeString(noMetrics, "model,version,observed_at,sample_count,segment,source\n");
        assertThat(ingest(db, noMetrics.toString())).isEqualTo(ExitCode.USAGE);
        assertThat(stderr()).contains("needs at least one metric column");

        Path empty = dir.resolve("empty.jsonl");
        Files.writeString(empty, "\n");
        assertThat(ingest(db, empty.toString())).isEqualTo(ExitCode.USAGE);
        assertThat(stderr()).contains("file holds no snapshots");
    }

    @Test
    void aBrokenJsonLineIsNamed(TestDatabase db) throws Exception {
        Path file = dir.resolve("broken.ndjson");
        Files.writeString(file, """
                {"model":"j","version":"v1","observed_at":"2026-02-01T10:00:00Z","sample_count":1,"metrics":{"auc":0.5}}
                {"model":"j","version":"v1",
                [1, 2]
                """);
        assertThat(ingest(db, file.toString())).isEqualTo(ExitCode.USAGE);
        assertThat(stderr()).contains("line 2: line is not valid JSON").contains("line 3: snapshot must be a JSON object");
    }

    @Test
    void aFileConflictingWithStoredSnapshotsNamesTheLineAndWritesNothing(TestDatabase db) throws Exception {
        Path first = dir.resolve("first.csv");
        Files.writeString(first, HEADER + "conflict-model,v1,2026-01-05T10:00:00Z,5000,eu,serving,0.91,12.5\n");
        assertThat(ingest(db, first.toString())).isEqualTo(ExitCode.OK);
        Counts before = Counts.of(db.jdbi());
        Path second = dir.resolve("second.csv");
        Files.writeString(second, HEADER + "conflict-model,v1,2026-01-05T11:00:00Z,5000,eu,serving,0.91,12.5\n"
                + "conflict-model,v1,2026-01-05T10:00:00Z,5000,eu,serving,0.92,12.5\n");

        assertThat(ingest(db, second.toString())).isEqualTo(ExitCode.USAGE);
        assertThat(stderr()).contains("line 3: conflict on model=conflict-model version=v1 observed_at=2026-01-05T10:00:00Z segment=eu source=serving");
        assertThat(Counts.of(db.jdbi())).isEqualTo(before);
    }

    @Test
    void aMissingFileOrUnknownFormatIsBadUsage(TestDatabase db) throws Exception {
        assertThat(ingest(db, dir.resolve("nope.csv").toString())).isEqualTo(ExitCode.USAGE);
        assertThat(stderr()).contains("cannot read");
        Path txt = dir.resolve("metrics.txt");
        Files.writeString(txt, HEADER);
        assertThat(ingest(db, txt.toString())).isEqualTo(ExitCode.USAGE);
        assertThat(stderr()).contains("name it .csv or .jsonl, or pass --format");
    }

    @Test
    void aLargeCsvIsImportedWholeWithProgress(TestDatabase db) throws Exception {
        int rows = 60_000;
        Path file = dir.resolve("large.csv");
        // half a year back, on the 20th: within ingest_max_age whenever the suite runs, and the 62 days of
        // rows touch three months, the partitions one batch may create
        Instant start = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).minusMonths(6).withDayOfMonth(20)
                .truncatedTo(java.time.temporal.ChronoUnit.DAYS).toInstant();
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            w.write("model,version,observed_at,sample_count,segment,source,accuracy,precision,recall,latency_ms\n");
            for (int i = 0; i < rows; i++) {
                w.write("large-" + (i % 7) + ",v1," + start.plusSeconds(90L * i) + "," + (1000 + i) + ",seg-" + (i % 3)
                        + ",batch-job," + (0.8 + (i % 100) / 1000.0) + ",0.75,0.7," + (i % 250) + ".5\n");
            }
        }
        assertThat(Files.size(file)).isGreaterThan(SnapshotFileImport.PROGRESS_MIN_BYTES);
        Counts before = Counts.of(db.jdbi());

        assertThat(ingest(db, file.toString())).as(stderr()).isEqualTo(ExitCode.OK);

        assertThat(stdout()).contains("60,000 snapshots, 60,000 inserted, 0 duplicate");
        assertThat(stderr()).contains("ingest: large.csv read; writing 60,000 snapshots");
        Counts after = Counts.of(db.jdbi());
        assertThat(after.snapshots() - before.snapshots()).isEqualTo(rows);
        assertThat(after.metricValues() - before.metricValues()).isEqualTo(4L * rows);
        Long months = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT count(DISTINCT s.tableoid) FROM orchestrator.metric_snapshot s JOIN orchestrator.model m ON m.id = s.model_id
                 WHERE m.name LIKE 'large-%'""").mapTo(Long.class).one());
        assertThat(months).as("Dec 2025, Jan and Feb 2026 partitions").isEqualTo(3);
    }
    @Test
    void aLargeFileDrawsAboutAsManySnapshotIdsAsItHasRowsWithItsFirstChunk(TestDatabase db) throws Exception {
        Path first = dir.resolve("register.csv");
        Files.writeString(first, HEADER + "ids-model,v1,2026-01-04T00:00:00Z,1,,,0.5,1\n");
        assertThat(ingest(db, first.toString())).as(stderr()).isEqualTo(ExitCode.OK); // registers the version
        int n = 5000; // chunks of 1000, 2000 and 2000: the old policy drew 1000, then 2000 + 4000
        Path file = dir.resolve("large.csv");
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            w.write(HEADER);
            for (int i = 0; i < n; i++) {
                w.write("ids-model,v1," + Instant.parse("2026-01-05T00:00:00Z").plusSeconds(60L * i) + "," + (100 + i) + ",,,0.9,"
                        + (i % 97) + "\n");
            }
        }
        long before = nextSnapshotId(db);

        assertThat(ingest(db, file.toString())).as(stderr()).isEqualTo(ExitCode.OK);
        assertThat(stdout()).contains(String.format(java.util.Locale.ROOT, "%,d snapshots, %,d inserted", n, n));
        long drawn = nextSnapshotId(db) - before - 1;
        assertThat(drawn).as("ids drawn for the rest of the file as estimated from its size, with a margin")
                .isBetween((long) n, n + n / 4L);
    }

    private static long nextSnapshotId(TestDatabase db) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT nextval(pg_get_serial_sequence('orchestrator.metric_snapshot', 'id'))")
                .mapTo(Long.class).one());
    }
}
