package org.visutility.orchestrator.collect;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.config.OnChangedValue;
import org.visutility.orchestrator.config.SqlCollectorSetting;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;
import org.visutility.orchestrator.support.TestPostgres;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A SQL collector whose query returns a changed value for a collected key: revised, rejected, or refused by its rules. */
@ExtendWith(PostgresExtension.class)
class SqlCollectorRevisionsTest {
    private static final Instant HOUR = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(3, ChronoUnit.HOURS);
    private static TestDatabase db;
    private static TestDatabase warehouse;
    private static SqlCollector collector;

    @BeforeAll
    static void setUp(TestDatabase database) {
        db = database;
        warehouse = TestPostgres.get().newEmptyDatabase("warehouse");
        collector = new SqlCollector(new SnapshotIngest(db.jdbi(), db.config().ingest(), new IngestListeners()), db.jdbi());
    }

    @AfterAll
    static void tearDown() {
        warehouse.close();
    }

    /** A warehouse table of hourly accuracy, recomputed in place; loaded_at is the watermark. */
    private static void table(String name, double accuracy) {
        warehouse.jdbi().useHandle(h -> {
            h.execute("CREATE TABLE " + name + " (model text, version text, observed_at timestamptz, sample_count bigint,"
                    + " accuracy double precision, loaded_at timestamptz DEFAULT clock_timestamp())");
            h.createUpdate("INSERT INTO " + name + " (model, version, observed_at, sample_count, accuracy) VALUES (:m, 'v1', :at, 100, :a)")
                    .bind("m", name).bind("at", HOUR.atOffset(java.time.ZoneOffset.UTC)).bind("a", accuracy).execute();
        });
    }

    private static void recompute(String name, double accuracy) {
        warehouse.jdbi().useHandle(h -> h.createUpdate("UPDATE " + name + " SET accuracy = :a, sample_count = 120, loaded_at = clock_timestamp()")
                .bind("a", accuracy).execute());
    }

    private static SqlCollectorSetting collectorOf(String name, OnChangedValue onChanged, Duration settle, Duration maxRevisionAge) {
        return new SqlCollectorSetting(name, warehouse.url(), Optional.ofNullable(warehouse.user()), Optional.ofNullable(warehouse.password()),
                "SELECT model, version, observed_at, sample_count, accuracy, loaded_at AS watermark FROM " + name.replace('-', '_')
                        + " WHERE loaded_at > :since",
                "0 */5 * * * ?", onChanged, Optional.ofNullable(settle), Optional.ofNullable(maxRevisionAge));
    }

    private static Map<String, Object> watermarkRow(String collector) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT last_outcome, last_error FROM orchestrator.collector_watermark WHERE collector = :c")
                .bind("c", collector).mapToMap().one());
    }

    @Test
    void aRecomputedWindowIsRevisedByDefault() {
        table("wh_default", 0.9);
        SqlCollectorSetting c = new SqlCollectorSetting("wh-default", warehouse.url(), Optional.ofNullable(warehouse.user()),
                Optional.ofNullable(warehouse.password()),
                "SELECT model, version, observed_at, sample_count, accuracy, loaded_at AS watermark FROM wh_default WHERE loaded_at > :since",
                "0 */5 * * * ?");
        assertThat(collector.run(c).result().inserted()).isEqualTo(1);
        recompute("wh_default", 0.8);

        SqlCollector.Outcome again = collector.run(c);

        assertThat(again.ok()).as(again.error()).isTrue();
        assertThat(again.result().revised()).isEqualTo(1);
    }

    @Test
    void aRejectCollectorFailsOnARecomputedWindowAsBefore() {
        table("wh_reject", 0.9);
        SqlCollectorSetting c = collectorOf("wh-reject", OnChangedValue.REJECT, null, null);
        assertThat(collector.run(c).ok()).isTrue();
        recompute("wh_reject", 0.8);

        SqlCollector.Outcome again = collector.run(c);

        assertThat(again.ok()).isFalse();
        assertThat(again.error()).contains("conflict with stored snapshots").contains("row 1: conflict on model=wh_reject");
        assertThat(watermarkRow("wh-reject")).containsEntry("last_outcome", "failed");
    }

    @Test
    void aRevisionOfASettledWindowFailsTheRunNamingTheRowTheKeyAndWhenItSettled() {
        table("wh_settled", 0.9);
        SqlCollectorSetting c = collectorOf("wh-settled", OnChangedValue.REVISE, Duration.ofHours(1), null);
        assertThat(collector.run(c).ok()).isTrue();
        recompute("wh_settled", 0.8);

        SqlCollector.Outcome again = collector.run(c);

        assertThat(again.ok()).isFalse();
        assertThat(again.error()).contains("1 invalid row(s): row 1: observed_at changes the value of model=wh_settled")
                .contains("settled at " + HOUR.plus(1, ChronoUnit.HOURS));
        assertThat((String) watermarkRow("wh-settled").get("last_error")).contains("settled at");
    }

    @Test
    void aRevisionOlderThanMaxRevisionAgeFailsTheRunAsTooLate() {
        table("wh_late", 0.9);
        SqlCollectorSetting c = collectorOf("wh-late", OnChangedValue.REVISE, null, Duration.ofHours(1));
        assertThat(collector.run(c).ok()).isTrue();
        recompute("wh_late", 0.8);

        SqlCollector.Outcome again = collector.run(c);

        assertThat(again.ok()).isFalse();
        assertThat(again.error()).contains("row 1: observed_at changes the value of model=wh_late").contains("too late")
                .contains("max_revision_age (1h)");
    }
}
