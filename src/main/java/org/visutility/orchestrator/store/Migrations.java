package org.visutility.orchestrator.store;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

import javax.sql.DataSource;
import java.util.Optional;

/**
 * Applies the migrations in {@code db/migration} (packaged into the jar from the project's
 * top-level db/ folder). One history, in orchestrator.flyway_schema_history, covers our
 * tables and Quartz's and Spring Batch's.
 *
 * <p>Migrating needs no more than owning the database: no superuser, no CREATEROLE (V40's
 * server-wide role is left out, see {@link ServerRoleFreeMigrations}). After migrating, the
 * database's own roles, if an administrator has created them, are granted their privileges.
 */
public final class Migrations {
    public static final String LOCATION = "classpath:db/migration";
    public static final String HISTORY_SCHEMA = "orchestrator";

    private final Flyway flyway;
    private final DataSource dataSource;

    public Migrations(DataSource dataSource) {
        this(dataSource, Thread.currentThread().getContextClassLoader()); // as Flyway.configure() does
    }

    /** With the class loader the migrations are looked up in (tests give one with a second copy). */
    Migrations(DataSource dataSource, ClassLoader classLoader) {
        this.dataSource = dataSource;
        this.flyway = Flyway.configure(classLoader)
                .dataSource(dataSource)
                .locations(LOCATION)
                .schemas(HISTORY_SCHEMA)
                .defaultSchema(HISTORY_SCHEMA)
                .createSchemas(true)
                .validateMigrationNaming(true)
                .cleanDisabled(true)
                .skipDefaultResolvers(true)
                .resolvers(new ServerRoleFreeMigrations())
                .load();
    }

    /**
     * Brings the schema up to date and grants the database's roles; returns how many migrations
     * ran (0 when it already was).
     *
     * @throws MigrationFailedException with one line naming what failed and why
     */
    public int migrate() {
        MigrateResult result;
        try {
            result = flyway.migrate();
        } catch (FlywayException e) {
            throw MigrationFailedException.of(e);
        }
        try {
            Jdbi.create(dataSource).useHandle(RoleGrants::grant);
        } catch (JdbiException e) {
            throw new MigrationFailedException("granting the database's roles their privileges failed: "
                    + DatabaseErrors.describe(e), e);
        }
        return result.migrationsExecuted;
    }

    /** The version of the newest applied migration, if any. */
    public Optional<String> currentVersion() {
        MigrationInfo current = flyway.info().current();
        return current == null ? Optional.empty() : Optional.of(current.getVersion().getVersion());
    }
}
