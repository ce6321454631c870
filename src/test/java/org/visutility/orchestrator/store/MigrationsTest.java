package org.visutility.orchestrator.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;
import org.visutility.orchestrator.support.TestPostgres;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(PostgresExtension.class)
class MigrationsTest {

    @Test
    void migratesAnEmptyDatabaseToTheLatestVersionAndAgainIsANoOp() {
        try (TestDatabase empty = TestPostgres.get().newEmptyDatabase("empty")) {
            Migrations migrations = new Migrations(empty.dataSource());
            assertThat(migrations.currentVersion()).isEmpty();

            int first = migrations.migrate();
            assertThat(first).isGreaterThanOrEqualTo(3);
            assertThat(migrations.currentVersion()).isPresent();

            assertThat(migrations.migrate()).isZero();
            Integer failed = empty.jdbi().withHandle(h ->
                    h.createQuery("SELECT count(*) FROM orchestrator.flyway_schema_history WHERE NOT success").mapTo(Integer.class).one());
            assertThat(failed).isZero();
        }
    }

    @Test
    void createsOurQuartzAndSpringBatchTablesInTheirOwnSchemas(TestDatabase db) {
        List<String> tables = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT table_schema || '.' || table_name FROM information_schema.tables
                 WHERE table_schema IN ('orchestrator', 'quartz', 'batch') ORDER BY 1""").mapTo(String.class).list());
        assertThat(tables).contains(
                "orchestrator.model", "orchestrator.model_version", "orchestrator.metric_snapshot", "orchestrator.metric_value",
                "orchestrator.retrain_policy", "orchestrator.retrain_policy_version", "orchestrator.policy_state",
                "orchestrator.policy_evaluation", "orchestrator.experiment", "orchestrator.trial",
                "orchestrator.hyperparameter_set", "quartz.qrtz_scheduler_state", "quartz.qrtz_job_details",
                "batch.batch_job_execution", "batch.batch_step_execution_context");
    }

    @Test
    void everyTableAndColumnHasAComment(TestDatabase db) {
        List<String> uncommented = db.jdbi().withHandle(h -> h.createQuery("""
                SELECT n.nspname || '.' || c.relname || coalesce('.' || a.attname, '')
                  FROM pg_class c
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                  LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                 WHERE n.nspname IN ('orchestrator', 'quartz', 'batch', 'lineage')
                   AND c.relkind IN ('r', 'p', 'v', 'm')
                   AND NOT c.relispartition
                   AND c.relname <> 'flyway_schema_history'
                   AND (obj_description(c.oid, 'pg_class') IS NULL
                        OR (a.attnum IS NOT NULL AND col_description(c.oid, a.attnum) IS NULL))
                 ORDER BY 1""").mapTo(String.class).list());
        assertThat(uncommented).isEmpty();
    }

    @Test
    void lastValuesOfAMetricForAModelAreAnIndexLookup(TestDatabase db) {
        String plan = db.jdbi().withHandle(h -> {
            h.execute("SELECT orchestrator.ensure_snapshot_partition(now())");
            h.execute("SET enable_seqscan = off");
            return String.join("\n", h.createQuery("""
                    EXPLAIN SELECT value FROM orchestrator.metric_value
                     WHERE model_id = 1 AND metric = 'accuracy' ORDER BY observed_at DESC LIMIT 10""")
                    .mapTo(String.class).list());
        });
        assertThat(plan).contains("metric_value_").containsIgnoringCase("index");
    }

    @Test
    void oldSnapshotsAreDroppedByMonthlyPartition(TestDatabase db) {
        Integer dropped = db.jdbi().withHandle(h -> {
            h.execute("SELECT orchestrator.ensure_snapshot_partition(timestamptz '2025-01-15 00:00+00')");
            h.execute("SELECT orchestrator.ensure_snapshot_partition(timestamptz '2025-02-15 00:00+00')");
            return h.createQuery("SELECT orchestrator.drop_snapshot_partitions_before(timestamptz '2025-02-01 00:00+00')")
                    .mapTo(Integer.class).one();
        });
        assertThat(dropped).isEqualTo(2);
        List<String> left = db.jdbi().withHandle(h -> h.createQuery(
                "SELECT relname FROM pg_class WHERE relkind = 'r' AND relname LIKE 'metric_%_2025_0%' ORDER BY 1").mapTo(String.class).list());
        assertThat(left).containsExactly("metric_snapshot_2025_02", "metric_value_2025_02");
    }
}
