package org.visutility.orchestrator.store;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.visutility.orchestrator.core.ExitCode;
import org.visutility.orchestrator.core.Json;
import org.visutility.orchestrator.support.Cli;
import org.visutility.orchestrator.support.TestDatabase;
import org.visutility.orchestrator.support.TestPostgres;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service migrates as a role that owns its database and nothing more (no superuser, no
 * CREATEROLE), and a failed migrate says in one line what failed and why, as JSON with --json.
 */
class MigrateAsAnOwnerWithoutCreateRoleTest {
    private static final String PASSWORD = "owner-test-password";

    private static TestDatabase ownedDatabase(String owner) {
        TestPostgres server = TestPostgres.get();
        server.executeAsSuperuser("postgres", "CREATE ROLE " + owner + " LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB PASSWORD '" + PASSWORD + "'");
        return server.newEmptyDatabaseOwnedBy(owner, owner, PASSWORD);
    }

    @Test
    void anOwnerWithoutCreateRoleMigratesAFreshDatabase() throws Exception {
        try (TestDatabase db = ownedDatabase("owner_migrates")) {
            Cli.Run run = Cli.run(db.environment(Map.of()), "migrate", "--json");

            assertThat(run.err()).isEmpty();
            assertThat(run.status()).isEqualTo(ExitCode.OK);
            JsonNode out = jsonLine(run.out());
            assertThat(out.path("status").asText()).isEqualTo("ok");
            assertThat(out.path("schema_version").asText()).isEqualTo(new Migrations(db.dataSource()).currentVersion().orElseThrow());
            List<String> views = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT table_name FROM information_schema.views WHERE table_schema = 'lineage'").mapTo(String.class).list());
            assertThat(views).as("V40's views, run without its role section")
                    .contains("experiment_lineage", "trial_history", "model_health", "policy_history");
            assertThat(Cli.run(db.environment(Map.of()), "migrate").status()).as("again: nothing to do").isEqualTo(ExitCode.OK);
        }
    }

    @Test
    void aMigrationThatFailsIsOneLineNamingItAndWhyAndJsonSaysSo() throws Exception {
        try (TestDatabase db = ownedDatabase("owner_blocked")) {
            // Someone else's lineage schema: V40 may not create its views there.
            TestPostgres.get().executeAsSuperuser(db.name(), "CREATE SCHEMA lineage");

            Cli.Run text = Cli.run(db.environment(Map.of()), "migrate");
            Cli.Run json = Cli.run(db.environment(Map.of()), "migrate", "--json");

            String line = "orchestrator: migration V40 (create lineage views) failed and was rolled back: must be owner of schema lineage [SQL state 42501]";
            assertThat(text.status()).isEqualTo(ExitCode.FAILED);
            assertThat(text.err().strip()).isEqualTo(line);
            assertThat(json.status()).isEqualTo(ExitCode.FAILED);
            JsonNode out = jsonLine(json.out());
            assertThat(out.path("status").asText()).isEqualTo("failed");
            assertThat(out.path("error").asText()).isEqualTo(line.substring("orchestrator: ".length()));
        }
    }

    @Test
    void aRoleThatMayNotCreateTheSchemaIsToldSoInOneLineAndJson() throws Exception {
        TestPostgres server = TestPostgres.get();
        server.executeAsSuperuser("postgres", "CREATE ROLE stranger_migrates LOGIN PASSWORD '" + PASSWORD + "'");
        try (TestDatabase owned = ownedDatabase("owner_of_stranger")) {
            Map<String, String> env = new java.util.HashMap<>(owned.environment(Map.of()));
            env.put("ORCHESTRATOR_DB_USER", "stranger_migrates");

            Cli.Run json = Cli.run(env, "migrate", "--json");

            assertThat(json.status()).isEqualTo(ExitCode.FAILED);
            JsonNode out = jsonLine(json.out());
            assertThat(out.path("status").asText()).isEqualTo("failed");
            assertThat(out.path("error").asText()).isEqualTo("migrating failed: Unable to create schema \"orchestrator\": "
                    + "permission denied for database " + owned.name() + " [SQL state 42501]");
            assertThat(json.err().lines()).hasSize(1);
        }
    }

    @Test
    void cannotReachTheDatabaseStillGivesJson() throws Exception {
        Cli.Run json = Cli.run(Map.of("ORCHESTRATOR_DB_URL", "jdbc:postgresql://localhost:1/nowhere"), "migrate", "--json");

        assertThat(json.status()).isEqualTo(ExitCode.FAILED);
        JsonNode out = jsonLine(json.out());
        assertThat(out.path("status").asText()).isEqualTo("failed");
        assertThat(out.path("error").asText()).startsWith("cannot connect to the database at localhost:1/nowhere");
    }

    @Test
    void aBadSettingGivesJsonAndExitTwo() throws Exception {
        Cli.Run json = Cli.run(Map.of("ORCHESTRATOR_DB_URL", "postgres://nowhere"), "migrate", "--json");

        assertThat(json.status()).isEqualTo(ExitCode.USAGE);
        assertThat(jsonLine(json.out()).path("error").asText()).contains("ORCHESTRATOR_DB_URL");
    }

    /** The command's JSON line: a log line a leftover thread of an earlier test writes meanwhile may share the captured stdout. */
    private static JsonNode jsonLine(String out) throws Exception {
        return Json.MAPPER.readTree(out.lines().filter(l -> l.startsWith("{")).findFirst().orElse(out));
    }
}
