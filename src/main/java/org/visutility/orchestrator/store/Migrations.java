package org.visutility.orchestrator.store;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;
import java.util.Optional;

/**
 * Applies the migrations in {@code db/migration} (packaged into the jar from the project's
 * top-level db/ folder). One history, in orchestrator.flyway_schema_history, covers our
 * tables and Quartz's and Spring Batch's.
 */
public final class Migrations {
    public static final String LOCATION = "classpath:db/migration";
    public static final String HISTORY_SCHEMA = "orchestrator";

    private final Flyway flyway;

    public Migrations(DataSource dataSource) {
        this.flyway = Flyway.configure()
                .dataSource(dataSource)
                .locations(LOCATION)
                .schemas(HISTORY_SCHEMA)
                .defaultSchema(HISTORY_SCHEMA)
                .createSchemas(true)
                .validateMigrationNaming(true)
                .cleanDisabled(true)
                .load();
    }

    /** Brings the schema up to date; returns how many migrations ran (0 when it already was). */
    public int migrate() {
        MigrateResult result = flyway.migrate();
        return result.migrationsExecuted;
    }

    /** The version of the newest applied migration, if any. */
    public Optional<String> currentVersion() {
        MigrationInfo current = flyway.info().current();
        return current == null ? Optional.empty() : Optional.of(current.getVersion().getVersion());
    }
}
