package org.visutility.orchestrator.collect;

import org.visutility.orchestrator.support.Await;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.node.Node;
import org.visutility.orchestrator.config.SqlCollectorSetting;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;
import org.visutility.orchestrator.support.TestPostgres;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** SQL collectors against a second database acting as the warehouse. */
@ExtendWith(PostgresExtension.class)
class SqlCollectorTest {
    private static TestDatabase warehouse;
    private static TestDatabase db;
    private static SqlCollector collector;

    @BeforeAll
    static void setUp(TestDatabase database) {
        db = database;
        warehouse = TestPostgres.get().newEmptyDatabase("warehouse");
        SnapshotIngest ingest = new SnapshotIngest(db.jdbi(), db.config().ingest(), new IngestListeners());
        collector = new SqlCollector(ingest, db.jdbi());
    }

    @AfterAll
    static void tearDown() {
        warehouse.close();
    }

    private static void warehouseTable(String table) {
        warehouse.jdbi().useHandle(h -> h.execute("CREATE TABLE " + table + """
                 (model text, version text, observed_at timestamptz, sample_count bigint, segment text,
                  accuracy double precision, latency_ms numeric, loaded_at timestamptz DEFAULT now())"""));
    }

    private static void warehouseRow(String table, String model, String observedAt, double accuracy) {
        warehouse.jdbi().useHandle(h -> h.createUpdate("INSERT INTO " + table
                        + " (model, version, observed_at, sample_count, segment, accuracy, latency_ms)"
                        + " VALUES (:model, 'v1', CAST(:at AS timestamptz), 1000, 'eu', :accuracy, 12.5)")
                .bind("model", model).bind("at", observedAt).bind("accuracy", accuracy).execute());
    }

    private static SqlCollectorSetting collectorOf(String name, String query) {
        return new SqlCollectorSetting(name, warehouse.url(), Optional.ofNullable(warehouse.user()),
                Optional.ofNullable(warehouse.password()), query, "0 */5 * * * ?");
    }

    private static long snapshotsOf(String model) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT count(*) FROM orchestrator.metric_snapshot s JOIN orchestrator.model m ON m.id = s.model_id WHERE m.name = :m""")
                .bind("m", model).mapTo(Long.class).one());
    }

    private static Map<String, Object> watermarkRow(String collector) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT * FROM orchestrator.collector_watermark WHERE collector = :c")
                .bind("c", collector).mapToMap().one());
    }

    private static Instant watermarkOf(String collector) {
        return ((java.sql.Timestamp) watermarkRow(collector).get("watermark")).toInstant();
    }

    @Test
    void aPullTakesOnlyRowsNewerThanTheWatermarkAndAdvancesIt() {
        warehouseTable("wh_incremental");
        warehouseRow("wh_incremental", "sql-inc", "2026-01-05T10:00:00Z", 0.91);
        warehouseRow("wh_incremental", "sql-inc", "2026-01-05T10:05:00Z", 0.90);
        warehouseRow("wh_incremental", "sql-inc", "2026-01-05T10:10:00Z", 0.89);
        SqlCollectorSetting c = collectorOf("dwh-incremental", """
                SELECT model, version, observed_at, sample_count, segment, accuracy, latency_ms
                  FROM wh_incremental WHERE observed_at > :since ORDER BY observed_at""");

        SqlCollector.Outcome first = collector.run(c);
        assertThat(first.ok()).as(first.error()).isTrue();
        assertThat(first.result().inserted()).isEqualTo(3);
        assertThat(watermarkOf("dwh-incremental")).isEqualTo(Instant.parse("2026-01-05T10:10:00Z"));
        Map<String, Object> stored = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT s.segment, s.source, s.metrics::text AS metrics, b.channel, b.origin FROM orchestrator.metric_snapshot s
                  JOIN orchestrator.model m ON m.id = s.model_id JOIN orchestrator.ingest_batch b ON b.id = s.batch_id
                 WHERE m.name = 'sql-inc' ORDER BY s.observed_at LIMIT 1""").mapToMap().one());
        assertThat(stored).containsEntry("segment", "eu").containsEntry("source", "dwh-incremental")
                .containsEntry("metrics", "{\"accuracy\": 0.91, \"latency_ms\": 12.5}")
                .containsEntry("channel", "sql").containsEntry("origin", "dwh-incremental");

        SqlCollector.Outcome nothingNew = collector.run(c);
        assertThat(nothingNew.ok()).isTrue();
        assertThat(nothingNew.rows()).isZero();
        assertThat(watermarkRow("dwh-incremental")).containsEntry("last_outcome", "ok").containsEntry("last_row_count", 0);

        warehouseRow("wh_incremental", "sql-inc", "2026-01-05T10:15:00Z", 0.88);
        SqlCollector.Outcome next = collector.run(c);
        assertThat(next.result().inserted()).isEqualTo(1);
        assertThat(snapshotsOf("sql-inc")).isEqualTo(4);
        assertThat(watermarkOf("dwh-incremental")).isEqualTo(Instant.parse("2026-01-05T10:15:00Z"));
    }

    @Test
    void anOverlappingPullCountsDuplicatesAndNeverDoubleCounts() {
        warehouseTable("wh_overlap");
        warehouseRow("wh_overlap", "sql-overlap", "2026-01-06T10:00:00Z", 0.91);
        warehouseRow("wh_overlap", "sql-overlap", "2026-01-06T10:05:00Z", 0.90);
        SqlCollectorSetting c = collectorOf("dwh-overlap", """
                SELECT model, version, observed_at, sample_count, segment, 'dwh' AS source, accuracy
                  FROM wh_overlap WHERE observed_at >= :since""");
        assertThat(collector.run(c).result().inserted()).isEqualTo(2);

        SqlCollector.Outcome again = collector.run(c);
        assertThat(again.rows()).isEqualTo(1);
        assertThat(again.result().inserted()).isZero();
        assertThat(again.result().duplicate()).isEqualTo(1);
        assertThat(snapshotsOf("sql-overlap")).isEqualTo(2);
    }

    @Test
    void metricsMayComeAsOneJsonColumnAndTheWatermarkFromItsOwnColumn() {
        warehouseTable("wh_json");
        warehouseRow("wh_json", "sql-json", "2026-01-07T10:00:00Z", 0.81);
        Instant loadedAt = warehouse.jdbi().withHandle(h -> h.createQuery("SELECT max(loaded_at) FROM wh_json")
                .mapTo(OffsetDateTime.class).one()).toInstant();
        SqlCollectorSetting c = collectorOf("dwh-json", """
                SELECT model, version, observed_at, sample_count, jsonb_build_object('auc', accuracy) AS metrics, loaded_at AS watermark
                  FROM wh_json WHERE loaded_at > :since""");

        SqlCollector.Outcome o = collector.run(c);

        assertThat(o.ok()).as(o.error()).isTrue();
        assertThat(o.result().inserted()).isEqualTo(1);
        assertThat(watermarkOf("dwh-json")).isEqualTo(loadedAt.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
        String metrics = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT s.metrics::text FROM orchestrator.metric_snapshot s JOIN orchestrator.model m ON m.id = s.model_id
                 WHERE m.name = 'sql-json'""").mapTo(String.class).one());
        assertThat(metrics).isEqualTo("{\"auc\": 0.81}");
    }

    @Test
    void anInvalidRowFailsTheRunWritesNothingAndKeepsTheWatermark() {
        warehouseTable("wh_invalid");
        warehouseRow("wh_invalid", "sql-invalid", "2026-01-08T10:00:00Z", 0.91);
        warehouseRow("wh_invalid", "sql-invalid", "2026-01-08T10:05:00Z", 1.5);
        SqlCollectorSetting c = collectorOf("dwh-invalid", """
                SELECT model, version, observed_at, sample_count, segment, accuracy FROM wh_invalid
                 WHERE observed_at > :since ORDER BY observed_at""");

        SqlCollector.Outcome o = collector.run(c);

        assertThat(o.ok()).isFalse();
        assertThat(o.error()).contains("1 invalid row(s): row 2: metrics.accuracy must be within [0, 1]");
        assertThat(snapshotsOf("sql-invalid")).isZero();
        Map<String, Object> row = watermarkRow("dwh-invalid");
        assertThat(row).containsEntry("last_outcome", "failed").containsEntry("watermark", null);
        assertThat((String) row.get("last_error")).contains("row 2: metrics.accuracy");

        warehouse.jdbi().useHandle(h -> h.execute("UPDATE wh_invalid SET accuracy = 0.5 WHERE accuracy > 1"));
        SqlCollector.Outcome fixed = collector.run(c);
        assertThat(fixed.ok()).isTrue();
        assertThat(snapshotsOf("sql-invalid")).isEqualTo(2);
        assertThat(watermarkRow("dwh-invalid")).containsEntry("last_outcome", "ok").containsEntry("last_error", null);
    }

    @Test
    void aTimestampWithoutTimeZoneIsRejectedAsAmbiguous() {
        warehouseTable("wh_local");
        warehouseRow("wh_local", "sql-local", "2026-01-09T10:00:00Z", 0.91);
        SqlCollector.Outcome o = collector.run(collectorOf("dwh-local", """
                SELECT model, version, observed_at::timestamp AS observed_at, sample_count, accuracy FROM wh_local
                 WHERE observed_at > :since"""));
        assertThat(o.ok()).isFalse();
        assertThat(o.error()).contains("row 1: observed_at has no offset");
    }

    @Test
    void aQueryWithoutTheSnapshotColumnsFailsNamingTheMissingOne() {
        warehouseTable("wh_columns");
        warehouseRow("wh_columns", "sql-columns", "2026-01-09T10:00:00Z", 0.91);
        SqlCollector.Outcome o = collector.run(collectorOf("dwh-columns", """
                SELECT model, observed_at, sample_count, accuracy FROM wh_columns WHERE observed_at > :since"""));
        assertThat(o.ok()).isFalse();
        assertThat(o.error()).contains("the query returns no version column");
    }

    @Test
    void onQuartzAFailingCollectorIsLoggedByNameRetriedAndNeverStopsTheOthers() throws Exception {
        warehouseTable("wh_scheduled");
        warehouseRow("wh_scheduled", "sql-scheduled", "2026-01-10T10:00:00Z", 0.91);
        List<Map<String, Object>> collectors = List.of(
                Map.of("name", "dwh-broken", "url", warehouse.url(), "user", warehouse.user(), "cron", "* * * * * ?",
                        "query", "SELECT * FROM no_such_table WHERE observed_at > :since"),
                Map.of("name", "dwh-working", "url", warehouse.url(), "user", warehouse.user(), "cron", "* * * * * ?",
                        "query", "SELECT model, version, observed_at, sample_count, accuracy FROM wh_scheduled WHERE observed_at > :since"));
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger logger = (Logger) LoggerFactory.getLogger(SqlCollector.class);
        logger.addAppender(logs);
        try (Node node = Node.start(db.config(Map.of("ORCHESTRATOR_COLLECTORS", Json.MAPPER.writeValueAsString(collectors))),
                List.of(new CollectModule()))) {
            awaitTrue(() -> snapshotsOf("sql-scheduled") == 1, "the working collector's snapshot");
            awaitTrue(() -> "failed".equals(watermarkRowIfAny("dwh-broken").get("last_outcome")), "the broken collector's failure");
            Object firstFailure = watermarkRowIfAny("dwh-broken").get("last_run_at");
            awaitTrue(() -> !firstFailure.equals(watermarkRowIfAny("dwh-broken").get("last_run_at")), "the broken collector's retry");

            assertThat((String) watermarkRow("dwh-broken").get("last_error")).contains("no_such_table");
            assertThat(logs.list).anySatisfy(e -> {
                assertThat(e.getFormattedMessage()).startsWith("SQL collector dwh-broken failed").contains("no_such_table");
                assertThat(e.getMDCPropertyMap()).containsEntry(SqlCollector.MDC_KEY, "dwh-broken");
            });
            warehouseRow("wh_scheduled", "sql-scheduled", "2026-01-10T10:05:00Z", 0.92);
            awaitTrue(() -> snapshotsOf("sql-scheduled") == 2, "the working collector's next pull");
        } finally {
            logger.detachAppender(logs);
        }
    }

    private static Map<String, Object> watermarkRowIfAny(String collector) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT * FROM orchestrator.collector_watermark WHERE collector = :c")
                .bind("c", collector).mapToMap().findOne().orElse(Map.of()));
    }

    private static void awaitTrue(Supplier<Boolean> condition, String what) throws InterruptedException {
        Await.until(what, Duration.ofSeconds(60), condition::get);
    }
}
