package org.visutility.orchestrator.collect;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.config.SqlCollectorSetting;
import org.visutility.orchestrator.support.Cli;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.SnapshotApi;
import org.visutility.orchestrator.support.TestDatabase;
import org.visutility.orchestrator.support.TestPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.visutility.orchestrator.support.Snapshots.aSnapshot;

/**
 * Case 4 of issue 13: one accepted batch of a snapshot a month since 1970 created 1,368
 * partitions. observed_at is now bounded by ORCHESTRATOR_INGEST_MAX_AGE on every path, and one
 * batch may bring only ORCHESTRATOR_INGEST_MAX_NEW_PARTITIONS months without a partition.
 */
@ExtendWith(PostgresExtension.class)
class IngestBoundsPartitionsTest {
    private static final YearMonth THIS_MONTH = YearMonth.now(ZoneOffset.UTC);
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

    private static long partitions() {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT count(*) FROM pg_inherits
                 WHERE inhparent IN ('orchestrator.metric_snapshot'::regclass, 'orchestrator.metric_value'::regclass)""")
                .mapTo(Long.class).one());
    }

    private static long snapshotsOf(String model) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT count(*) FROM orchestrator.metric_snapshot s JOIN orchestrator.model m ON m.id = s.model_id WHERE m.name = :m""")
                .bind("m", model).mapTo(Long.class).one());
    }

    /** Mid-month of {@code monthsBack} months ago, so that it lies in that month whatever the day today. */
    private static Instant monthsAgo(int monthsBack) {
        return THIS_MONTH.minusMonths(monthsBack).atDay(15).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    @Test
    void aBatchOfOneSnapshotAMonthSince1970IsRejectedNamingObservedAtAndCreatesNoPartition() throws Exception {
        List<Map<String, Object>> batch = new ArrayList<>();
        for (YearMonth m = YearMonth.of(1970, 1); m.isBefore(THIS_MONTH); m = m.plusMonths(1)) {
            batch.add(aSnapshot("since-1970", "v1", m.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC)));
        }
        assertThat(batch).hasSizeGreaterThan(680);
        long before = partitions();

        SnapshotApi.Answer a = api.post(batch);

        assertThat(a.status()).as(a.response().body()).isEqualTo(400);
        JsonNode first = a.body().path("violations").get(0);
        assertThat(first.path("index").asInt()).isZero();
        assertThat(first.path("field").asText()).isEqualTo("observed_at");
        assertThat(first.path("rule").asText()).contains("must not be before", "at most 730d old", "ORCHESTRATOR_INGEST_MAX_AGE",
                "got 1970-01-01T00:00:00Z");
        assertThat(partitions()).isEqualTo(before);
        assertThat(snapshotsOf("since-1970")).isZero();
    }

    @Test
    void aBatchSpanningMoreNewMonthsThanAllowedIsRejectedWholeAndCreatesNoPartition() throws Exception {
        List<Map<String, Object>> fiveMonths = new ArrayList<>();
        for (int back = 20; back >= 16; back--) fiveMonths.add(aSnapshot("many-months", "v1", monthsAgo(back)));
        long before = partitions();

        SnapshotApi.Answer a = api.post(fiveMonths);

        assertThat(a.status()).as(a.response().body()).isEqualTo(400);
        JsonNode v = a.body().path("violations").get(0);
        assertThat(v.has("index")).as("a rule about the batch as a whole").isFalse();
        assertThat(v.path("field").asText()).isEqualTo("observed_at");
        assertThat(v.path("rule").asText()).contains("falls in 5 months that have no partition yet",
                THIS_MONTH.minusMonths(20).toString(), "at most 3", "ORCHESTRATOR_INGEST_MAX_NEW_PARTITIONS");
        assertThat(partitions()).isEqualTo(before);
        assertThat(snapshotsOf("many-months")).isZero();

        // oldest first, three months at a time: the months that have a partition no longer count
        assertThat(api.post(fiveMonths.subList(0, 3)).status()).isEqualTo(200);
        SnapshotApi.Answer rest = api.post(fiveMonths);
        assertThat(rest.status()).as(rest.response().body()).isEqualTo(200);
        assertThat(rest.body().path("inserted").asInt()).isEqualTo(2);
        assertThat(partitions()).isEqualTo(before + 2 * 5);
    }

    @Test
    void aFileWithTooOldOrTooManyNewMonthsExitsTwoNamingTheRuleAndWritesNothing() throws Exception {
        Path old = dir.resolve("old.csv");
        Files.writeString(old, "model,version,observed_at,sample_count,segment,source,accuracy\n"
                + "file-old,v1," + monthsAgo(2) + ",100,,,0.9\n"
                + "file-old,v1,1999-03-01T00:00:00Z,100,,,0.9\n");
        Cli.Run r = Cli.run(db.environment(Map.of()), "ingest", old.toString());
        assertThat(r.status()).as(r.err()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("line 3: observed_at must not be before", "ORCHESTRATOR_INGEST_MAX_AGE", "got 1999-03-01T00:00:00Z");
        assertThat(snapshotsOf("file-old")).isZero();

        StringBuilder spread = new StringBuilder("model,version,observed_at,sample_count,segment,source,accuracy\n");
        for (int back = 14; back >= 9; back--) spread.append("file-spread,v1,").append(monthsAgo(back)).append(",100,,,0.9\n");
        Path file = dir.resolve("spread.csv");
        Files.writeString(file, spread);
        long before = partitions();
        r = Cli.run(db.environment(Map.of()), "ingest", file.toString());
        assertThat(r.status()).as(r.err()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("observed_at falls in 6 months that have no partition yet", "ORCHESTRATOR_INGEST_MAX_NEW_PARTITIONS");
        assertThat(partitions()).isEqualTo(before);
        assertThat(snapshotsOf("file-spread")).isZero();

        r = Cli.run(db.environment(Map.of("ORCHESTRATOR_INGEST_MAX_NEW_PARTITIONS", "6")), "ingest", file.toString());
        assertThat(r.status()).as(r.err()).isEqualTo(ExitCode.OK);
        assertThat(snapshotsOf("file-spread")).isEqualTo(6);
    }

    @Test
    void theMaximumAgeIsASetting() throws Exception {
        Path file = dir.resolve("age.csv");
        Files.writeString(file, "model,version,observed_at,sample_count,segment,source,accuracy\n"
                + "age-setting,v1," + Instant.now().minus(40, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS) + ",100,,,0.9\n");

        Cli.Run r = Cli.run(db.environment(Map.of("ORCHESTRATOR_INGEST_MAX_AGE", "30d")), "ingest", file.toString());
        assertThat(r.status()).as(r.err()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("line 2: observed_at must not be before", "at most 30d old");

        r = Cli.run(db.environment(Map.of("ORCHESTRATOR_INGEST_MAX_AGE", "a year")), "ingest", file.toString());
        assertThat(r.status()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("invalid setting ORCHESTRATOR_INGEST_MAX_AGE");

        r = Cli.run(db.environment(Map.of("ORCHESTRATOR_INGEST_MAX_NEW_PARTITIONS", "0")), "ingest", file.toString());
        assertThat(r.status()).isEqualTo(ExitCode.USAGE);
        assertThat(r.err()).contains("invalid setting ORCHESTRATOR_INGEST_MAX_NEW_PARTITIONS", "from 1 to 120");
    }

    @Test
    void aSqlCollectorStartsAtTheEarliestAcceptedTimeAndItsOldRowsBreakTheSameRule() {
        try (TestDatabase warehouse = TestPostgres.get().newEmptyDatabase("old_history")) {
            warehouse.jdbi().useHandle(h -> {
                h.execute("CREATE TABLE history (model text, version text, observed_at timestamptz, sample_count bigint, accuracy float8)");
                h.createUpdate("INSERT INTO history VALUES ('sql-old', 'v1', timestamptz '1990-05-01 00:00+00', 10, 0.9),"
                        + " ('sql-old', 'v1', :recent, 10, 0.9)").bind("recent", monthsAgo(1).atOffset(ZoneOffset.UTC)).execute();
            });
            SqlCollector collector = new SqlCollector(new SnapshotIngest(db.jdbi(), db.config().ingest(), new IngestListeners()), db.jdbi());

            SqlCollector.Outcome incremental = collector.run(collectorOf(warehouse, "history-incremental",
                    "SELECT * FROM history WHERE observed_at > :since ORDER BY observed_at"));
            assertThat(incremental.ok()).as(incremental.error()).isTrue();
            assertThat(incremental.rows()).as("the first pull starts at the earliest accepted time, not 1970").isEqualTo(1);

            SqlCollector.Outcome everything = collector.run(collectorOf(warehouse, "history-all",
                    "SELECT * FROM history WHERE :since IS NOT NULL ORDER BY observed_at"));
            assertThat(everything.ok()).isFalse();
            assertThat(everything.error()).contains("row 1: observed_at must not be before", "ORCHESTRATOR_INGEST_MAX_AGE");
        }
    }

    private static SqlCollectorSetting collectorOf(TestDatabase warehouse, String name, String query) {
        return new SqlCollectorSetting(name, warehouse.url(), Optional.ofNullable(warehouse.user()),
                Optional.ofNullable(warehouse.password()), query, "0 */5 * * * ?");
    }
}
