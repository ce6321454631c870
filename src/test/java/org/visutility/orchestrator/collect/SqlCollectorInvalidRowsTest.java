package org.visutility.orchestrator.collect;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.config.InvalidRowPolicy;
import org.visutility.orchestrator.config.OnChangedValue;
import org.visutility.orchestrator.config.SqlCollectorSetting;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;
import org.visutility.orchestrator.support.TestPostgres;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A SQL collector's rows that break a rule: with on_invalid_row skip_row they are left out, recorded
 * in orchestrator.collector_rejects and the rest is written; with reject_run the run fails, writes
 * nothing, and the failure and its rows are recorded; failed runs in a row are counted, and the
 * collectors' health section says degraded after the configured number of them.
 */
@ExtendWith(PostgresExtension.class)
class SqlCollectorInvalidRowsTest {
    private static TestDatabase warehouse;
    private static TestDatabase db;
    private static SqlCollector collector;

    @BeforeAll
    static void setUp(TestDatabase database) {
        db = database;
        warehouse = TestPostgres.get().newEmptyDatabase("warehouse_rows");
        collector = new SqlCollector(new SnapshotIngest(db.jdbi(), db.config().ingest(), new IngestListeners()), db.jdbi());
    }

    @AfterAll
    static void tearDown() {
        warehouse.close();
    }

    private static void warehouseTable(String table) {
        warehouse.jdbi().useHandle(h -> h.execute("CREATE TABLE " + table
                + " (model text, version text, observed_at timestamptz, sample_count bigint, accuracy double precision, note text)"));
    }

    private static void warehouseRow(String table, String model, String observedAt, double accuracy) {
        warehouse.jdbi().useHandle(h -> h.createUpdate("INSERT INTO " + table + " (model, version, observed_at, sample_count, accuracy)"
                        + " VALUES (:model, 'v1', CAST(:at AS timestamptz), 1000, :accuracy)")
                .bind("model", model).bind("at", observedAt).bind("accuracy", accuracy).execute());
    }

    private static SqlCollectorSetting collectorOf(String name, String table, String comparison, InvalidRowPolicy onInvalidRow) {
        return new SqlCollectorSetting(name, warehouse.url(), Optional.ofNullable(warehouse.user()), Optional.ofNullable(warehouse.password()),
                "SELECT model, version, observed_at, sample_count, accuracy FROM " + table + " WHERE observed_at " + comparison
                        + " :since ORDER BY observed_at", "0 */5 * * * ?", OnChangedValue.REJECT, Optional.empty(), Optional.empty(), onInvalidRow);
    }

    private static List<Double> accuraciesOf(String model) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT (s.metrics->>'accuracy')::float8 FROM orchestrator.metric_snapshot s JOIN orchestrator.model m ON m.id = s.model_id
                 WHERE m.name = :m ORDER BY s.observed_at""").bind("m", model).mapTo(Double.class).list());
    }

    private static Map<String, Object> watermarkRow(String collector) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT * FROM orchestrator.collector_watermark WHERE collector = :c")
                .bind("c", collector).mapToMap().one());
    }

    private static List<Map<String, Object>> rejectsOf(String collector) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT action, row_number, row_data::text AS row_data, row_data->>'model' AS model, row_truncated, field, rule,
                       rows_rejected_in_run, batch_id
                  FROM orchestrator.collector_rejects WHERE collector = :c ORDER BY id""").bind("c", collector).mapToMap().list());
    }

    @Test
    void skipRowWritesTheGoodRowsRecordsTheBadOnesInCollectorRejectsAndAdvancesTheWatermark() {
        warehouseTable("wh_skip");
        warehouseRow("wh_skip", "sql-skip", "2026-02-01T10:00:00Z", 0.91);
        warehouseRow("wh_skip", "sql-skip", "2026-02-01T10:05:00Z", 1.5);
        warehouseRow("wh_skip", "sql-skip", "2026-02-01T10:10:00Z", 0.89);
        SqlCollectorSetting c = collectorOf("dwh-skip", "wh_skip", ">", InvalidRowPolicy.SKIP_ROW);

        SqlCollector.Outcome o = collector.run(c);

        assertThat(o.ok()).as(o.error()).isTrue();
        assertThat(o.rows()).isEqualTo(3);
        assertThat(o.result().inserted()).isEqualTo(2);
        assertThat(o.skipped()).isEqualTo(1);
        assertThat(accuraciesOf("sql-skip")).containsExactly(0.91, 0.89);
        assertThat(o.watermark()).isEqualTo(Instant.parse("2026-02-01T10:10:00Z"));
        assertThat(watermarkRow("dwh-skip")).containsEntry("last_outcome", "ok").containsEntry("consecutive_failures", 0)
                .containsEntry("last_skipped_count", 1).containsEntry("last_error", null);
        List<Map<String, Object>> rejects = rejectsOf("dwh-skip");
        assertThat(rejects).hasSize(1);
        assertThat(rejects.get(0)).containsEntry("action", "skipped").containsEntry("row_number", 2).containsEntry("model", "sql-skip")
                .containsEntry("field", "metrics.accuracy").containsEntry("row_truncated", false).containsEntry("rows_rejected_in_run", 1)
                .containsEntry("batch_id", o.result().batchId());
        assertThat((String) rejects.get(0).get("rule")).contains("within [0, 1]");
        assertThat((String) rejects.get(0).get("row_data")).contains("\"accuracy\": 1.5").contains("\"observed_at\": \"2026-02-01T10:05:00Z\"");

        // the watermark moved past the skipped row: the next run neither pulls nor records it again
        SqlCollector.Outcome next = collector.run(c);
        assertThat(next.rows()).isZero();
        assertThat(rejectsOf("dwh-skip")).hasSize(1);
        assertThat(watermarkRow("dwh-skip")).containsEntry("last_skipped_count", 0);
    }

    @Test
    void aRunWhoseRowsAreAllLeftOutSucceedsAndMovesTheWatermarkOnlyByAWatermarkColumn() {
        warehouse.jdbi().useHandle(h -> h.execute("""
                CREATE TABLE wh_all_bad (model text, version text, observed_at timestamptz, sample_count bigint, accuracy float8,
                                         loaded_at timestamptz)"""));
        warehouse.jdbi().useHandle(h -> h.execute("""
                INSERT INTO wh_all_bad VALUES ('sql-all-bad', 'v1', '2026-02-02T10:00:00Z', 10, 0.9, '2026-02-02T11:00:00Z')"""));
        String byObservedAt = "SELECT model, version, observed_at, sample_count, accuracy FROM wh_all_bad WHERE observed_at > :since";
        // the same snapshots under the same source: the second collector's first pull finds them stored already
        String byLoadedAt = "SELECT model, version, observed_at, sample_count, accuracy, 'dwh-all-bad' AS source, loaded_at AS watermark"
                + " FROM wh_all_bad WHERE loaded_at > :since";
        SqlCollectorSetting observed = setting("dwh-all-bad", byObservedAt);
        SqlCollectorSetting loaded = setting("dwh-all-bad-loaded", byLoadedAt);
        assertThat(collector.run(observed).ok()).isTrue();
        assertThat(collector.run(loaded).ok()).isTrue();
        warehouse.jdbi().useHandle(h -> h.execute("""
                INSERT INTO wh_all_bad VALUES ('sql-all-bad', 'v1', '2026-02-02T10:05:00Z', 10, -1, '2026-02-02T11:05:00Z')"""));

        SqlCollector.Outcome o = collector.run(observed);

        assertThat(o.ok()).as(o.error()).isTrue();
        assertThat(o.skipped()).isEqualTo(1);
        assertThat(o.result().batchId()).isNull();
        assertThat(accuraciesOf("sql-all-bad")).containsExactly(0.9);
        assertThat(rejectsOf("dwh-all-bad")).singleElement().satisfies(r -> assertThat(r).containsEntry("row_number", 1)
                .containsEntry("batch_id", null).containsEntry("field", "metrics.accuracy"));
        assertThat(watermarkRow("dwh-all-bad")).containsEntry("last_outcome", "ok").containsEntry("last_skipped_count", 1);
        // an invalid row's observed_at is not trusted to move the watermark: it stays at the last valid row's
        assertThat(o.watermark()).isEqualTo(Instant.parse("2026-02-02T10:00:00Z"));

        // a watermark column says how far every row counts, a skipped one too
        SqlCollector.Outcome byColumn = collector.run(loaded);
        assertThat(byColumn.skipped()).isEqualTo(1);
        assertThat(byColumn.watermark()).isEqualTo(Instant.parse("2026-02-02T11:05:00Z"));
        assertThat(collector.run(loaded).rows()).isZero();
    }

    private static SqlCollectorSetting setting(String name, String query) {
        return new SqlCollectorSetting(name, warehouse.url(), Optional.ofNullable(warehouse.user()), Optional.ofNullable(warehouse.password()),
                query, "0 */5 * * * ?", OnChangedValue.REJECT, Optional.empty(), Optional.empty(), InvalidRowPolicy.SKIP_ROW);
    }

    @Test
    void rejectRunWritesNothingRecordsTheFailureAndTheRowsThatFailedItAndCountsFailuresInARow() {
        warehouseTable("wh_reject");
        warehouseRow("wh_reject", "sql-reject", "2026-02-03T10:00:00Z", 0.91);
        warehouseRow("wh_reject", "sql-reject", "2026-02-03T10:05:00Z", 1.5);
        SqlCollectorSetting c = collectorOf("dwh-reject", "wh_reject", ">", InvalidRowPolicy.REJECT_RUN);

        SqlCollector.Outcome first = collector.run(c);
        SqlCollector.Outcome second = collector.run(c);

        assertThat(first.ok()).isFalse();
        assertThat(second.ok()).isFalse();
        assertThat(second.error()).contains("1 invalid row(s): row 2: metrics.accuracy must be within [0, 1]");
        assertThat(accuraciesOf("sql-reject")).isEmpty();
        Map<String, Object> failing = watermarkRow("dwh-reject");
        assertThat(failing).containsEntry("watermark", null).containsEntry("last_outcome", "failed").containsEntry("consecutive_failures", 2)
                .containsEntry("last_success_at", null);
        assertThat((String) failing.get("last_failure_error")).contains("row 2: metrics.accuracy");
        assertThat(rejectsOf("dwh-reject")).hasSize(2).allSatisfy(r -> assertThat(r).containsEntry("action", "run_rejected")
                .containsEntry("row_number", 2).containsEntry("field", "metrics.accuracy").containsEntry("batch_id", null));

        warehouse.jdbi().useHandle(h -> h.execute("UPDATE wh_reject SET accuracy = 0.5 WHERE accuracy > 1"));
        assertThat(collector.run(c).ok()).isTrue();
        Map<String, Object> fixed = watermarkRow("dwh-reject");
        assertThat(fixed).containsEntry("consecutive_failures", 0).containsEntry("last_error", null);
        assertThat(fixed.get("last_success_at")).isNotNull();
        assertThat(fixed.get("last_failure_at")).isNotNull();
        assertThat((String) fixed.get("last_failure_error")).as("the last failure stays readable after a success").contains("row 2");
        assertThat(accuraciesOf("sql-reject")).containsExactly(0.91, 0.5);
    }

    @Test
    void aRowWhoseValueConflictsWithAStoredSnapshotFailsARejectingRunAndIsLeftOutBySkipRow() {
        warehouseTable("wh_conflict");
        warehouseRow("wh_conflict", "sql-conflict", "2026-02-04T10:00:00Z", 0.91);
        assertThat(collector.run(collectorOf("dwh-conflict", "wh_conflict", ">=", InvalidRowPolicy.REJECT_RUN)).ok()).isTrue();
        warehouse.jdbi().useHandle(h -> h.execute("UPDATE wh_conflict SET accuracy = 0.80"));
        warehouseRow("wh_conflict", "sql-conflict", "2026-02-04T10:05:00Z", 0.85);

        SqlCollector.Outcome rejected = collector.run(collectorOf("dwh-conflict", "wh_conflict", ">=", InvalidRowPolicy.REJECT_RUN));
        assertThat(rejected.ok()).isFalse();
        assertThat(rejected.error()).contains("conflict with stored snapshots");
        assertThat(accuraciesOf("sql-conflict")).containsExactly(0.91);

        SqlCollector.Outcome skipped = collector.run(collectorOf("dwh-conflict", "wh_conflict", ">=", InvalidRowPolicy.SKIP_ROW));
        assertThat(skipped.ok()).as(skipped.error()).isTrue();
        assertThat(skipped.skipped()).isEqualTo(1);
        assertThat(accuraciesOf("sql-conflict")).containsExactly(0.91, 0.85);
        assertThat(skipped.watermark()).isEqualTo(Instant.parse("2026-02-04T10:05:00Z"));
        List<Map<String, Object>> rejects = rejectsOf("dwh-conflict");
        assertThat(rejects).extracting(r -> r.get("action")).containsExactly("run_rejected", "skipped");
        assertThat(rejects).allSatisfy(r -> assertThat(r).containsEntry("row_number", 1).containsEntry("field", "key")
                .containsEntry("model", "sql-conflict"));
        assertThat(rejects.get(1)).containsEntry("batch_id", skipped.result().batchId());
        assertThat((String) rejects.get(1).get("row_data")).contains("\"accuracy\": 0.8");
    }

    @Test
    void skipRowLeavesOutTheRowsOfAnUnknownModelWithoutRegisteringIt() {
        warehouseTable("wh_unknown");
        warehouseRow("wh_unknown", "sql-known", "2026-02-06T10:00:00Z", 0.9);
        assertThat(collector.run(collectorOf("dwh-known-first", "wh_unknown", ">", InvalidRowPolicy.REJECT_RUN)).ok()).isTrue();
        warehouseRow("wh_unknown", "sql-never-seen", "2026-02-06T10:05:00Z", 0.8);
        warehouseRow("wh_unknown", "sql-known", "2026-02-06T10:10:00Z", 0.7);
        SqlCollector strict = new SqlCollector(new SnapshotIngest(db.jdbi(),
                db.config(Map.of("ORCHESTRATOR_INGEST_REGISTER_UNKNOWN", "false")).ingest(), new IngestListeners()), db.jdbi());

        SqlCollector.Outcome o = strict.run(collectorOf("dwh-unknown", "wh_unknown", ">", InvalidRowPolicy.SKIP_ROW));

        assertThat(o.ok()).as(o.error()).isTrue();
        assertThat(o.skipped()).isEqualTo(1);
        assertThat(o.result().inserted()).isEqualTo(2);
        assertThat(accuraciesOf("sql-known")).containsExactly(0.9, 0.9, 0.7);
        long registered = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM orchestrator.model WHERE name = 'sql-never-seen'")
                .mapTo(Long.class).one());
        assertThat(registered).isZero();
        assertThat(rejectsOf("dwh-unknown")).singleElement().satisfies(r -> {
            assertThat(r).containsEntry("row_number", 2).containsEntry("field", "model").containsEntry("model", "sql-never-seen");
            assertThat((String) r.get("rule")).contains("unknown model");
        });
    }

    @Test
    void aRunRecordsAtMostAHundredRejectedRowsEachCutToBoundsAndSaysHowManyItRejectedInAll() {
        warehouse.jdbi().useHandle(h -> {
            h.execute("CREATE TABLE wh_many (model text, version text, observed_at timestamptz, sample_count bigint, accuracy float8, note text)");
            h.execute("""
                    INSERT INTO wh_many SELECT 'sql-many', 'v1', timestamptz '2026-02-05T00:00:00Z' + i * interval '1 minute', 10, 0.5,
                                               CASE WHEN i > 1 THEN repeat('x', 2000) END
                      FROM generate_series(1, 151) AS i""");
        });
        SqlCollectorSetting c = setting("dwh-many", "SELECT * FROM wh_many WHERE observed_at > :since ORDER BY observed_at");

        SqlCollector.Outcome o = collector.run(c);

        assertThat(o.ok()).as(o.error()).isTrue();
        assertThat(o.result().inserted()).isEqualTo(1);
        assertThat(o.skipped()).isEqualTo(150);
        List<Map<String, Object>> rejects = rejectsOf("dwh-many");
        assertThat(rejects).hasSize(RejectedRows.MAX_RECORDED)
                .allSatisfy(r -> assertThat(r).containsEntry("rows_rejected_in_run", 150).containsEntry("row_truncated", true)
                        .containsEntry("field", "metrics.note"));
        assertThat(rejects.get(0)).containsEntry("row_number", 2);
        assertThat((String) rejects.get(0).get("row_data")).contains("\"note\": \"" + "x".repeat(WarehouseRowJson.MAX_VALUE_CHARS) + "...\"");
        assertThat(watermarkRow("dwh-many")).containsEntry("last_skipped_count", 150);
    }

    @Test
    void theCollectorsHealthSaysDegradedAfterTheConfiguredFailuresInARowAndUpAgainAfterASuccess() {
        SqlCollectorSetting c = collectorOf("dwh-health", "wh_health", ">", InvalidRowPolicy.REJECT_RUN);
        CollectorsHealth health = new CollectorsHealth(new CollectorRunStates(db.jdbi(), List.of("dwh-health", "dwh-not-run")), 2);

        assertThat(collector.run(c).ok()).isFalse();
        Map<String, Object> once = health.report();
        assertThat(health.degrades(once)).isFalse();
        assertThat(once).containsEntry("status", "up").containsEntry("degraded_after", 2);
        assertThat(entry(once, "dwh-health")).containsEntry("status", "retrying").containsEntry("consecutive_failures", 1);
        assertThat(entry(once, "dwh-not-run")).containsEntry("status", "not_run_yet").containsEntry("last_run_at", null);

        assertThat(collector.run(c).ok()).isFalse();
        Map<String, Object> twice = health.report();
        assertThat(health.degrades(twice)).isTrue();
        assertThat(twice).containsEntry("status", "degraded").containsEntry("failing", List.of("dwh-health"));
        Map<String, Object> failing = entry(twice, "dwh-health");
        assertThat(failing).containsEntry("status", "failing").containsEntry("consecutive_failures", 2).containsEntry("last_success_at", null);
        assertThat((String) failing.get("last_error")).contains("wh_health").hasSizeLessThanOrEqualTo(CollectorRunState.SHOWN_ERROR_CHARS + 3);
        assertThat(failing.get("last_failure_at")).isNotNull();

        warehouseTable("wh_health");
        assertThat(collector.run(c).ok()).isTrue();
        Map<String, Object> fixed = health.report();
        assertThat(health.degrades(fixed)).isFalse();
        assertThat(fixed).containsEntry("status", "up").containsEntry("failing", List.of());
        assertThat(entry(fixed, "dwh-health")).containsEntry("status", "ok").containsEntry("consecutive_failures", 0);
        assertThat(entry(fixed, "dwh-health").get("last_success_at")).isNotNull();
        assertThat(entry(fixed, "dwh-health").get("last_failure_at")).isNotNull();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> entry(Map<String, Object> report, String collector) {
        return ((List<Map<String, Object>>) report.get("list")).stream().filter(m -> collector.equals(m.get("collector"))).findFirst()
                .orElseThrow();
    }
}
