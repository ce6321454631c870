package org.visutility.orchestrator.collect;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.visutility.orchestrator.config.ConfigLoader;
import org.visutility.orchestrator.config.OnChangedValue;
import org.visutility.orchestrator.config.SqlCollectorSetting;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;
import org.visutility.orchestrator.support.TestPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the worked example of docs/collect.md ("Late labels: a warehouse that revises its windows")
 * from the files in examples/warehouse-late-labels/, as shipped: the collector of orchestrator.yaml
 * (only its connection pointed at a scratch warehouse database) collects the hourly accuracy of
 * warehouse.sql's predictions, then late-labels.sql lands labels in an already-collected hour, and the
 * next run stores that hour's revision 2 instead of failing on a conflict at every run.
 */
@ExtendWith(PostgresExtension.class)
class WarehouseLateLabelsExampleTest {
    private static final Path EXAMPLE = Path.of("examples/warehouse-late-labels");
    /** The query docs/collect.md shows the output of. */
    static final String REVISIONS = """
            SELECT observed_at, revision, is_current, sample_count, round((metrics ->> 'accuracy')::numeric, 3) AS accuracy,
                   recorded_at, superseded_at, settled_at
              FROM lineage.snapshot_revisions
             WHERE model = 'churn'
             ORDER BY observed_at, revision""";

    private static TestDatabase db;
    private static TestDatabase warehouse;

    @BeforeAll
    static void setUp(TestDatabase database) {
        db = database;
        warehouse = TestPostgres.get().newEmptyDatabase("warehouse");
    }

    @AfterAll
    static void tearDown() {
        warehouse.close();
    }

    /** The example's collector, read through the configuration loader, connected to the scratch warehouse. */
    private static SqlCollectorSetting exampleCollector(Path dir) throws Exception {
        String yaml = Files.readString(EXAMPLE.resolve("orchestrator.yaml"))
                .replaceFirst("url: \\S+", "url: " + warehouse.url())
                .replaceFirst("user: \\S+", "user: " + warehouse.user())
                .replaceFirst("password: \\S+", "password: " + warehouse.password());
        Path config = dir.resolve("orchestrator.yaml");
        Files.writeString(config, yaml);
        List<SqlCollectorSetting> collectors = ConfigLoader.load(config, Map.of()).ingest().collectors();
        assertThat(collectors).hasSize(1);
        return collectors.get(0);
    }

    /** Runs one of the example's scripts as psql would (in the test's session time zone, not UTC: the hours are UTC hours all the same). */
    private static void runInWarehouse(String file) throws Exception {
        String sql = Files.readString(EXAMPLE.resolve(file));
        warehouse.jdbi().useHandle(h -> h.createScript(sql).execute());
    }

    private static List<Map<String, Object>> revisions() {
        return db.jdbi().withHandle(h -> h.createQuery(REVISIONS).mapToMap().list());
    }

    /** The rows as docs/collect.md shows them: the query's text output in a UTC session. */
    private static String table() {
        return db.jdbi().withHandle(h -> {
            h.execute("SET TIME ZONE 'UTC'");
            String t = h.createQuery("SELECT string_agg(concat_ws(' | ', r.observed_at, r.revision, r.is_current, r.sample_count,"
                    + " r.accuracy, r.recorded_at, coalesce(r.superseded_at::text, ''), r.settled_at), E'\\n' ORDER BY r.observed_at, r.revision) FROM ("
                    + REVISIONS + ") r").mapTo(String.class).one();
            h.execute("RESET TIME ZONE");
            return t;
        });
    }

    @Test
    void lateLabelsInAnAlreadyCollectedHourAreStoredAsRevisionTwoNotStuck(@TempDir Path dir) throws Exception {
        SqlCollectorSetting collector = exampleCollector(dir);
        assertThat(collector.onChangedValue()).isEqualTo(OnChangedValue.REVISE);
        assertThat(collector.settle()).contains(Duration.ofDays(2));
        SqlCollector sql = new SqlCollector(new SnapshotIngest(db.jdbi(), db.config().ingest(), new IngestListeners()), db.jdbi());
        runInWarehouse("warehouse.sql");

        SqlCollector.Outcome first = sql.run(collector);

        assertThat(first.ok()).as(first.error()).isTrue();
        assertThat(first.result().inserted()).isEqualTo(3);
        List<Map<String, Object>> before = revisions();
        System.out.println("Before the late labels:\n" + table());
        assertThat(before).extracting(r -> r.get("revision"), r -> r.get("sample_count"), r -> r.get("accuracy").toString())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 10L, "0.800"),
                        org.assertj.core.groups.Tuple.tuple(1, 6L, "0.833"),
                        org.assertj.core.groups.Tuple.tuple(1, 10L, "0.800"));
        assertThat(before).allSatisfy(r -> assertThat(r.get("settled_at")).as("settled two days after the hour").isNotNull());

        runInWarehouse("late-labels.sql");
        SqlCollector.Outcome second = sql.run(collector);

        assertThat(second.ok()).as(second.error()).isTrue();
        assertThat(second.rows()).as("only the hour that received labels is recomputed").isEqualTo(1);
        assertThat(second.result().revised()).isEqualTo(1);
        List<Map<String, Object>> after = revisions();
        System.out.println("After the late labels:\n" + table());
        assertThat(after).extracting(r -> r.get("revision"), r -> r.get("is_current"), r -> r.get("sample_count"),
                        r -> r.get("accuracy").toString())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, true, 10L, "0.800"),
                        org.assertj.core.groups.Tuple.tuple(1, false, 6L, "0.833"),
                        org.assertj.core.groups.Tuple.tuple(2, true, 10L, "0.600"),
                        org.assertj.core.groups.Tuple.tuple(1, true, 10L, "0.800"));
        assertThat(after.get(1).get("superseded_at")).isEqualTo(after.get(2).get("recorded_at"));

        SqlCollector.Outcome third = sql.run(collector);
        assertThat(third.ok()).as("nothing new: the next run is quiet, not failing").isTrue();
        assertThat(third.rows()).isZero();
    }
}
