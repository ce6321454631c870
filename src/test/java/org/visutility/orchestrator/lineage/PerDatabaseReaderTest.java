package org.visutility.orchestrator.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.store.Migrations;
import org.visutility.orchestrator.support.Cli;
import org.visutility.orchestrator.support.TestDatabase;
import org.visutility.orchestrator.support.TestPostgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each database has its own reader role, created by the optional admin step {@code roles create}
 * (an administrator with CREATEROLE) and granted by the service, which owns the views: a member
 * reads that database's lineage and no other's, and writes nothing whatever its session says.
 */
class PerDatabaseReaderTest {
    private static final String PASSWORD = "reader-test-password";
    private final TestPostgres server = TestPostgres.get();

    private void role(String name, String attributes) {
        server.executeAsSuperuser("postgres", "CREATE ROLE " + name + " LOGIN PASSWORD '" + PASSWORD + "' " + attributes);
    }

    /** A database owned by a plain owner, migrated by it. */
    private TestDatabase migratedAsOwner(String owner) {
        role(owner, "NOCREATEROLE");
        TestDatabase db = server.newEmptyDatabaseOwnedBy(owner, owner, PASSWORD);
        assertThat(Cli.run(db.environment(Map.of()), "migrate").status()).isEqualTo(ExitCode.OK);
        return db;
    }

    private static Map<String, String> as(TestDatabase db, String user) {
        Map<String, String> env = new HashMap<>(db.environment(Map.of()));
        env.put("ORCHESTRATOR_DB_USER", user);
        env.put("ORCHESTRATOR_DB_PASSWORD", PASSWORD);
        return env;
    }

    private Connection connect(TestDatabase db, String user) throws SQLException {
        return DriverManager.getConnection(db.url(), user, PASSWORD);
    }

    private static void seedOneModel(TestDatabase db) {
        db.jdbi().useHandle(h -> {
            h.execute("INSERT INTO orchestrator.model (name) VALUES ('churn')");
            h.execute("SELECT orchestrator.ensure_snapshot_partition(timestamptz '2025-01-15 00:00+00')");
        });
    }

    @Test
    void theAdminStepCreatesTheDatabasesReaderAndTheOwnerGrantsItAtItsNextMigrate() throws Exception {
        role("roles_admin_a", "CREATEROLE");
        try (TestDatabase db = migratedAsOwner("reader_owner_a")) {
            seedOneModel(db);
            Cli.Run created = Cli.run(as(db, "roles_admin_a"), "roles", "create", "--json");

            assertThat(created.status()).as(created.err()).isEqualTo(ExitCode.OK);
            JsonNode out = Json.MAPPER.readTree(created.out());
            String reader = db.name() + "_lineage_reader";
            assertThat(out.path("reader").path("role").asText()).isEqualTo(reader);
            assertThat(out.path("reader").path("created").asBoolean()).isTrue();
            assertThat(out.path("policy_sql").path("role").asText()).isEqualTo(db.name() + "_policy_sql");
            assertThat(out.path("privileges_granted").asBoolean()).as("the administrator does not own the views").isFalse();

            server.executeAsSuperuser("postgres", "CREATE ROLE analyst_a LOGIN PASSWORD '" + PASSWORD + "' IN ROLE " + reader);
            try (Connection c = connect(db, "analyst_a"); Statement st = c.createStatement()) {
                assertThatThrownBy(() -> st.executeQuery("SELECT count(*) FROM lineage.experiment_lineage"))
                        .hasMessageContaining("permission denied");
            }
            assertThat(Cli.run(db.environment(Map.of()), "migrate").status()).isEqualTo(ExitCode.OK);
            try (Connection c = connect(db, "analyst_a"); Statement st = c.createStatement()) {
                st.executeQuery("SELECT count(*) FROM lineage.experiment_lineage").close();
                var rs = st.executeQuery("SELECT name FROM orchestrator.model");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("churn");
            }
        }
    }

    @Test
    void theAdminStepRefusesARoleWithoutCreateRoleInOneLine() {
        try (TestDatabase db = migratedAsOwner("reader_owner_c")) {
            Cli.Run run = Cli.run(db.environment(Map.of()), "roles", "create");

            assertThat(run.status()).isEqualTo(ExitCode.FAILED);
            assertThat(run.err().strip()).startsWith("orchestrator: cannot create the database's roles (run roles create as a role with CREATEROLE): "
                    + "permission denied to create role");
            assertThat(run.err().lines()).hasSize(1);
        }
    }

    @Test
    void aMemberOfOneDatabasesReaderCannotReadAnothersLineage() throws Exception {
        role("roles_admin_b", "CREATEROLE");
        try (TestDatabase a = migratedAsOwner("reader_owner_1"); TestDatabase b = migratedAsOwner("reader_owner_2")) {
            for (TestDatabase db : new TestDatabase[] {a, b}) {
                assertThat(Cli.run(as(db, "roles_admin_b"), "roles", "create").status()).isEqualTo(ExitCode.OK);
                assertThat(Cli.run(db.environment(Map.of()), "migrate").status()).isEqualTo(ExitCode.OK);
            }
            server.executeAsSuperuser("postgres", "CREATE ROLE analyst_of_a LOGIN PASSWORD '" + PASSWORD + "' IN ROLE " + a.name() + "_lineage_reader");

            try (Connection c = connect(a, "analyst_of_a"); Statement st = c.createStatement()) {
                st.executeQuery("SELECT * FROM lineage.experiment_lineage").close();
            }
            try (Connection c = connect(b, "analyst_of_a"); Statement st = c.createStatement()) {
                assertThatThrownBy(() -> st.executeQuery("SELECT * FROM lineage.experiment_lineage"))
                        .hasMessageContaining("permission denied for schema lineage");
                assertThatThrownBy(() -> st.executeQuery("SELECT * FROM orchestrator.model"))
                        .hasMessageContaining("permission denied for schema orchestrator");
            }
        }
    }

    @Test
    void aReaderMemberWritesNothingEvenInAReadWriteSession() throws Exception {
        role("roles_admin_c", "CREATEROLE");
        try (TestDatabase db = migratedAsOwner("reader_owner_3")) {
            seedOneModel(db);
            assertThat(Cli.run(as(db, "roles_admin_c"), "roles", "create").status()).isEqualTo(ExitCode.OK);
            assertThat(Cli.run(db.environment(Map.of()), "migrate").status()).isEqualTo(ExitCode.OK);
            server.executeAsSuperuser("postgres", "CREATE ROLE analyst_writes LOGIN PASSWORD '" + PASSWORD + "' IN ROLE " + db.name() + "_lineage_reader");

            try (Connection c = connect(db, "analyst_writes"); Statement st = c.createStatement()) {
                st.execute("SET default_transaction_read_only = off");
                st.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE");
                assertThatThrownBy(() -> st.execute("INSERT INTO orchestrator.model (name) VALUES ('intruder')"))
                        .hasMessageContaining("permission denied for table model");
                assertThatThrownBy(() -> st.execute("UPDATE orchestrator.model SET name = 'renamed'"))
                        .hasMessageContaining("permission denied for table model");
                assertThatThrownBy(() -> st.execute("DELETE FROM orchestrator.trial"))
                        .hasMessageContaining("permission denied for table trial");
                assertThatThrownBy(() -> st.execute("SELECT orchestrator.ensure_snapshot_partition(timestamptz '2031-01-15 00:00+00')"))
                        .hasMessageContaining("permission denied for schema orchestrator");
                assertThatThrownBy(() -> st.execute("SELECT orchestrator.drop_snapshot_partitions_before(timestamptz '2026-01-01 00:00+00')"))
                        .hasMessageContaining("must be owner of table");
            }
            String name = db.jdbi().withHandle(h -> h.createQuery("SELECT string_agg(name, ',') FROM orchestrator.model").mapTo(String.class).one());
            assertThat(name).isEqualTo("churn");
        }
    }

    @Test
    void anUpgradedDatabaseGivesTheServerWideLineageReaderNothing() throws Exception {
        try (TestDatabase db = server.newEmptyDatabase("legacy")) {
            // Up to V83 as it was before: V40 whole, run by a superuser, made lineage_reader and granted it this database.
            Flyway.configure().dataSource(db.dataSource()).locations(Migrations.LOCATION).schemas(Migrations.HISTORY_SCHEMA)
                    .defaultSchema(Migrations.HISTORY_SCHEMA).createSchemas(true).target("83").load().migrate();
            server.executeAsSuperuser("postgres", "CREATE ROLE legacy_analyst LOGIN PASSWORD '" + PASSWORD + "' IN ROLE lineage_reader");
            try (Connection c = connect(db, "legacy_analyst"); Statement st = c.createStatement()) {
                st.executeQuery("SELECT * FROM lineage.experiment_lineage").close();
            }

            new Migrations(db.dataSource()).migrate();

            try (Connection c = connect(db, "legacy_analyst"); Statement st = c.createStatement()) {
                assertThatThrownBy(() -> st.executeQuery("SELECT * FROM lineage.experiment_lineage"))
                        .hasMessageContaining("permission denied for schema lineage");
            }
        }
    }
}
