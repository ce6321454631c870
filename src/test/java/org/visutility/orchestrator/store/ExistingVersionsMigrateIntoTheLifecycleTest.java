package org.visutility.orchestrator.store;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.model.Actor;
import org.visutility.orchestrator.model.OperatorActions;
import org.visutility.orchestrator.support.Lifecycles;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;
import org.visutility.orchestrator.support.TestPostgres;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database from before the version lifecycle (every ingest version 'active', experiment versions
 * 'candidate'), migrated: per model the version that reported most recently is active, the older
 * ones retired, experiment versions stay candidates, and every version has one migration event.
 */
@ExtendWith(PostgresExtension.class)
class ExistingVersionsMigrateIntoTheLifecycleTest {
    /** The lifecycle's first migration. */
    private static final MigrationVersion LIFECYCLE = MigrationVersion.fromVersion("115");
    private static final Instant T = Instant.parse("2026-03-02T00:00:00Z");

    @Test
    void theNewestReportingVersionIsActiveOlderOnesRetiredAndExperimentVersionsStayCandidates() {
        try (TestDatabase db = TestPostgres.get().newEmptyDatabase("before_lifecycle")) {
            migrateToJustBefore(db, LIFECYCLE);
            db.jdbi().useTransaction(h -> {
                h.execute("SELECT orchestrator.ensure_snapshot_partition(timestamptz '2026-03-02 00:00+00')");
                // churn: v0 registered by hand and never reported, v1 reported first, v2 reported last,
                // v3 produced by an experiment (and shadow-reported at v2's last moment), legacy
                // registered last but with the oldest history (a backfill)
                long churn = model(h, "churn");
                version(h, churn, "v0", "manual", null);
                long v1 = version(h, churn, "v1", "ingest", null);
                long v2 = version(h, churn, "v2", "ingest", null);
                long experiment = h.createQuery("""
                        INSERT INTO orchestrator.experiment (model_id, trigger, spec, spec_sha256, status)
                        VALUES (:m, 'policy', '{}', repeat('a', 64), 'succeeded') RETURNING id""").bind("m", churn).mapTo(Long.class).one();
                long v3 = version(h, churn, "experiment-" + experiment, "experiment", experiment);
                long legacy = version(h, churn, "legacy", "ingest", null);
                h.execute("SELECT orchestrator.ensure_snapshot_partition(timestamptz '2026-02-20 00:00+00')");
                snapshot(h, churn, legacy, T.minusSeconds(7 * 86400));
                snapshot(h, churn, v1, T);
                snapshot(h, churn, v1, T.plusSeconds(3600));
                snapshot(h, churn, v2, T.plusSeconds(7200));
                snapshot(h, churn, v3, T.plusSeconds(7200));
                // fraud: one version that never reported; tuned: only an experiment's candidate
                version(h, model(h, "fraud"), "f1", "ingest", null);
                long tuned = model(h, "tuned");
                long tunedExperiment = h.createQuery("""
                        INSERT INTO orchestrator.experiment (model_id, trigger, spec, spec_sha256, status)
                        VALUES (:m, 'submit', '{}', repeat('b', 64), 'succeeded') RETURNING id""").bind("m", tuned).mapTo(Long.class).one();
                version(h, tuned, "experiment-" + tunedExperiment, "experiment", tunedExperiment);
            });
            Map<String, String> oldStatuses = Lifecycles.statuses(db.jdbi(), "churn");
            assertThat(oldStatuses).containsEntry("v0", "active").containsEntry("v1", "active").containsEntry("v2", "active");

            new Migrations(db.dataSource()).migrate();

            Map<String, String> churn = Lifecycles.statuses(db.jdbi(), "churn");
            String churnCandidate = churn.keySet().stream().filter(v -> v.startsWith("experiment-")).findFirst().orElseThrow();
            assertThat(churn).containsEntry("v0", "retired").containsEntry("v1", "retired").containsEntry("v2", "active")
                    .containsEntry("legacy", "retired")
                    .containsEntry(churnCandidate, "candidate");
            assertThat(Lifecycles.statuses(db.jdbi(), "fraud")).containsEntry("f1", "active");
            assertThat(Lifecycles.statuses(db.jdbi(), "tuned").values()).containsExactly("candidate");

            assertThat(Lifecycles.events(db.jdbi(), "churn", "v0")).containsExactly("active -> retired by migration");
            assertThat(Lifecycles.events(db.jdbi(), "churn", "v1")).containsExactly("active -> retired by migration");
            assertThat(Lifecycles.events(db.jdbi(), "churn", "v2")).containsExactly("active -> active by migration");
            assertThat(Lifecycles.events(db.jdbi(), "churn", churnCandidate)).containsExactly("candidate -> candidate by migration");
            List<String> reasons = db.jdbi().withHandle(h -> h.createQuery("""
                    SELECT v.version || ': ' || e.reason || ' ' || coalesce(e.evidence ->> 'last_observed_at', '-')
                      FROM orchestrator.model_version_event e JOIN orchestrator.model_version v ON v.id = e.model_version_id
                      JOIN orchestrator.model m ON m.id = v.model_id WHERE m.name = 'churn' AND v.version LIKE 'v%' ORDER BY v.version""")
                    .mapTo(String.class).list());
            assertThat(reasons).containsExactly(
                    "v0: lifecycle introduced: an older version that never reported -",
                    "v1: lifecycle introduced: an older version that reported before the active one 2026-03-02T01:00:00.000000Z",
                    "v2: lifecycle introduced: the model's version that reported most recently 2026-03-02T02:00:00.000000Z");

            // the retired version that reported last is the one a rollback restores
            OperatorActions.Outcome rollback = db.jdbi().inTransaction(h ->
                    OperatorActions.rollback(h, "churn", Actor.operator("--actor", "ops"), "after the upgrade"));
            assertThat(rollback.version().version()).isEqualTo("v1");
            assertThat(Lifecycles.statuses(db.jdbi(), "churn")).containsEntry("v1", "active").containsEntry("v2", "retired");
        }
    }

    /** Applies every migration older than {@code version} (Flyway's target must name one that exists). */
    private static void migrateToJustBefore(TestDatabase db, MigrationVersion version) {
        FluentConfiguration config = Flyway.configure().dataSource(db.dataSource()).locations(Migrations.LOCATION)
                .schemas(Migrations.HISTORY_SCHEMA).defaultSchema(Migrations.HISTORY_SCHEMA).createSchemas(true);
        MigrationVersion before = Arrays.stream(config.load().info().all()).map(MigrationInfo::getVersion)
                .filter(v -> v.isNewerThan(MigrationVersion.EMPTY) && version.isNewerThan(v)).max(MigrationVersion::compareTo)
                .orElseThrow();
        config.target(before).load().migrate();
    }

    private static long model(Handle h, String name) {
        return h.createQuery("INSERT INTO orchestrator.model (name) VALUES (:n) RETURNING id").bind("n", name).mapTo(Long.class).one();
    }

    /** A version as the old schema wrote it: ingest and manual ones took the default status, experiments' were candidates. */
    private static long version(Handle h, long model, String label, String source, Long experiment) {
        return h.createQuery(experiment == null
                        ? "INSERT INTO orchestrator.model_version (model_id, version, source) VALUES (:m, :v, :s) RETURNING id"
                        : """
                          INSERT INTO orchestrator.model_version (model_id, version, source, experiment_id, status)
                          VALUES (:m, :v, :s, :e, 'candidate') RETURNING id""")
                .bind("m", model).bind("v", label).bind("s", source).bind("e", experiment).mapTo(Long.class).one();
    }

    private static void snapshot(Handle h, long model, long version, Instant at) {
        h.createUpdate("""
                INSERT INTO orchestrator.metric_snapshot (model_id, model_version_id, observed_at, source, sample_count, metrics)
                VALUES (:m, :v, :t, 'serving', 1000, '{"accuracy": 0.9}')""")
                .bind("m", model).bind("v", version).bind("t", at.atOffset(ZoneOffset.UTC)).execute();
    }
}
