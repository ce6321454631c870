package org.visutility.orchestrator.collect;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.config.CollectedItems;
import org.visutility.orchestrator.config.InvalidRowPolicy;
import org.visutility.orchestrator.config.SqlCollectorSetting;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;
import org.visutility.orchestrator.support.TestPostgres;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** SQL collectors with returns: distributions, on a predictions table of a second database acting as the warehouse. */
@ExtendWith(PostgresExtension.class)
class DistributionSqlCollectorTest {
    /** The README's example: the score histogram per hour against fixed edges, with width_bucket. */
    static final String PREDICTION_HISTOGRAMS = """
            WITH scored AS (
                SELECT model, version, date_trunc('hour', scored_at, 'UTC') + interval '1 hour' AS observed_at,
                       least(greatest(width_bucket(score, ARRAY[0, 0.25, 0.5, 0.75, 1]::float8[]), 1), 4) AS bin
                  FROM predictions
                 WHERE scored_at >= :since AND scored_at < date_trunc('hour', now(), 'UTC')
            )
            SELECT w.model, w.version, w.observed_at, 'prediction' AS feature, 'numeric' AS kind,
                   ARRAY[0, 0.25, 0.5, 0.75, 1]::float8[] AS edges,
                   ARRAY(SELECT count(s.bin) FROM generate_series(1, 4) AS b
                           LEFT JOIN scored s ON s.model = w.model AND s.version = w.version
                                             AND s.observed_at = w.observed_at AND s.bin = b
                          GROUP BY b ORDER BY b) AS counts
              FROM (SELECT DISTINCT model, version, observed_at FROM scored) w
            """;
    static final String PLAN_HISTOGRAMS = """
            SELECT model, version, observed_at, 'plan' AS feature, 'categorical' AS kind,
                   array_agg(plan ORDER BY plan) AS categories, array_agg(n ORDER BY plan) AS counts
              FROM (SELECT model, version, date_trunc('hour', scored_at, 'UTC') + interval '1 hour' AS observed_at, plan, count(*) AS n
                      FROM predictions
                     WHERE scored_at >= :since AND scored_at < date_trunc('hour', now(), 'UTC')
                     GROUP BY 1, 2, 3, 4) per_value
             GROUP BY model, version, observed_at
            """;
    private static TestDatabase warehouse;
    private static TestDatabase db;
    private static SqlCollector collector;

    @BeforeAll
    static void setUp(TestDatabase database) {
        db = database;
        warehouse = TestPostgres.get().newEmptyDatabase("histograms");
        collector = new SqlCollector(new SnapshotIngest(db.jdbi(), db.config().ingest(), new IngestListeners()),
                new DistributionIngest(db.jdbi(), db.config().ingest()), db.jdbi());
        warehouse.jdbi().useHandle(h -> h.execute("""
                CREATE TABLE predictions (model text, version text, scored_at timestamptz, score double precision, plan text);
                INSERT INTO predictions VALUES
                    ('churn-wh', 'v1', '2026-11-30T10:05:00Z', 0.10, 'monthly'),
                    ('churn-wh', 'v1', '2026-11-30T10:15:00Z', 0.30, 'monthly'),
                    ('churn-wh', 'v1', '2026-11-30T10:25:00Z', 1.00, 'yearly'),
                    ('churn-wh', 'v1', '2026-11-30T10:35:00Z', 0.80, 'say "two" \\ years'),
                    ('churn-wh', 'v1', '2026-11-30T11:05:00Z', 0.55, 'monthly')"""));
    }

    @AfterAll
    static void tearDown() {
        warehouse.close();
    }

    private static SqlCollectorSetting collectorOf(String name, String query, InvalidRowPolicy onInvalidRow) {
        return new SqlCollectorSetting(name, warehouse.url(), Optional.ofNullable(warehouse.user()), Optional.ofNullable(warehouse.password()),
                query, "0 */5 * * * ?", SqlCollectorSetting.DEFAULT_ON_CHANGED_VALUE, Optional.empty(), Optional.empty(), onInvalidRow,
                CollectedItems.DISTRIBUTIONS);
    }

    private static List<Map<String, Object>> stored(String feature) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                SELECT d.observed_at::text AS observed_at, d.edges::text AS edges, d.categories::text AS categories, d.counts::text AS counts,
                       d.source, b.channel, b.item_kind
                  FROM orchestrator.distribution_snapshot d JOIN orchestrator.model m ON m.id = d.model_id
                  JOIN orchestrator.ingest_batch b ON b.id = d.batch_id
                 WHERE m.name = 'churn-wh' AND d.feature = :f ORDER BY d.observed_at""").bind("f", feature).mapToMap().list());
    }

    @Test
    void aWidthBucketQueryOverPredictionsStoresOneScoreHistogramPerHourAndAdvancesTheWatermark() {
        SqlCollectorSetting c = collectorOf("wh-scores", PREDICTION_HISTOGRAMS, InvalidRowPolicy.REJECT_RUN);

        SqlCollector.Outcome o = collector.run(c);

        assertThat(o.ok()).as(o.error()).isTrue();
        assertThat(o.result().inserted()).isEqualTo(2);
        List<Map<String, Object>> rows = stored("prediction");
        assertThat(rows).hasSize(2);
        // 0.10 in [0, .25), 0.30 in [.25, .5), 1.00 on the last edge counts in the last bin, 0.80 in [.75, 1]
        assertThat(rows.get(0)).containsEntry("edges", "{0,0.25,0.5,0.75,1}").containsEntry("counts", "{1,1,0,2}")
                .containsEntry("source", "wh-scores").containsEntry("channel", "sql").containsEntry("item_kind", "distributions");
        assertThat(rows.get(1)).containsEntry("counts", "{0,0,1,0}");
        Object watermark = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT (watermark AT TIME ZONE 'UTC')::text FROM orchestrator.collector_watermark WHERE collector = 'wh-scores'").mapTo(String.class).one());
        assertThat(watermark).isEqualTo("2026-11-30 12:00:00");

        SqlCollector.Outcome again = collector.run(c);
        assertThat(again.ok()).isTrue();
        assertThat(again.rows()).isZero();
    }

    @Test
    void categoricalRowsCarryTheirValuesAndCountsAsTwoArrays() {
        SqlCollector.Outcome o = collector.run(collectorOf("wh-plans", PLAN_HISTOGRAMS, InvalidRowPolicy.REJECT_RUN));

        assertThat(o.ok()).as(o.error()).isTrue();
        List<Map<String, Object>> rows = stored("plan");
        assertThat(rows).extracting(r -> r.get("counts")).containsExactly("{2,1,1}", "{1}");
        assertThat(rows.get(0).get("categories")).isEqualTo("{monthly,\"say \\\"two\\\" \\\\ years\",yearly}");
    }

    @Test
    void aRowBreakingAHistogramRuleFailsTheRunAndWritesNothing() {
        SqlCollector.Outcome o = collector.run(collectorOf("wh-bad", """
                SELECT 'churn-bad' AS model, 'v1' AS version, TIMESTAMPTZ '2026-11-30T10:00:00Z' AS observed_at, 'age' AS feature,
                       'numeric' AS kind, ARRAY[0, 10, 5]::float8[] AS edges, ARRAY[1, 2]::bigint[] AS counts
                 WHERE now() > :since""", InvalidRowPolicy.REJECT_RUN));

        assertThat(o.ok()).isFalse();
        assertThat(o.error()).contains("row 1: bins[2] must be greater than the edge before it");
        long stored = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT count(*) FROM orchestrator.distribution_snapshot d JOIN orchestrator.model m ON m.id = d.model_id
                 WHERE m.name = 'churn-bad'""").mapTo(Long.class).one());
        assertThat(stored).isZero();
    }
}
