package org.visutility.orchestrator.store;

import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.executor.MigrationExecutor;
import org.flywaydb.core.api.resolver.MigrationResolver;
import org.flywaydb.core.api.resolver.ResolvedMigration;
import org.flywaydb.core.extensibility.MigrationType;
import org.flywaydb.core.internal.info.MigrationInfoContext;
import org.flywaydb.core.internal.jdbc.Results;
import org.flywaydb.core.internal.parser.ParsingContext;
import org.flywaydb.core.internal.resolver.sql.SqlMigrationResolver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Resolves the SQL migrations exactly as Flyway does, with one change: V40 runs without its last
 * section, which creates the server-wide role {@code lineage_reader} ({@code CREATE ROLE} and
 * {@code ALTER ROLE} need CREATEROLE, which the service must not need). V40 has landed, so its
 * file stays as it is and keeps its checksum (databases that ran it still validate); only what
 * runs differs. Each database's reader is now its own role, made by {@code orchestrator roles
 * create} and granted after every migrate ({@link RoleGrants}); V96 takes from the old role what
 * V40 gave it where V40 ran whole.
 *
 * <p>Flyway's default resolvers are switched off for this one (see {@link Migrations}); the
 * project has only SQL migrations, so the SQL resolver is all there is to resolve with.
 */
final class ServerRoleFreeMigrations implements MigrationResolver {
    static final MigrationVersion V40 = MigrationVersion.fromVersion("40");
    /** The line that opens V40's role section; what follows it is not run. */
    static final String ROLE_SECTION = "-- ------------------------------------------------------------------ lineage_reader";
    /** V40's checksum as it landed: the section is cut from that text and no other. */
    static final int V40_CHECKSUM = -1881727671;

    @Override
    public Collection<ResolvedMigration> resolveMigrations(Context context) {
        SqlMigrationResolver sql = new SqlMigrationResolver(context.resourceProvider, context.sqlScriptExecutorFactory,
                context.sqlScriptFactory, context.configuration, new ParsingContext());
        List<ResolvedMigration> out = new ArrayList<>();
        // A file found twice (the class path and the working directory both hold db/migration) is one
        // migration, as in Flyway's own resolution: its resolved migrations are equal by version,
        // description, script and checksum.
        for (ResolvedMigration m : new LinkedHashSet<>(sql.resolveMigrations(context))) {
            out.add(V40.equals(m.getVersion()) ? new WithoutRoleSection(m) : m);
        }
        return out;
    }

    /** The text of V40 before its role section. */
    static String v40WithoutRoleSection(String script) {
        String text = read(script);
        int cut = text.indexOf(ROLE_SECTION);
        if (cut < 0) throw new FlywayException(script + " has no section '" + ROLE_SECTION + "' to leave out");
        return text.substring(0, cut);
    }

    private static String read(String script) {
        String resource = "db/migration/" + script;
        try (InputStream in = ServerRoleFreeMigrations.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) throw new FlywayException("migration " + resource + " is not on the class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource + ": " + e.getMessage(), e);
        }
    }

    /** V40 as Flyway resolved it (version, description, checksum, type), run without its role section. */
    private static final class WithoutRoleSection implements ResolvedMigration {
        private final ResolvedMigration resolved;

        WithoutRoleSection(ResolvedMigration resolved) {
            if (resolved.getChecksum() == null || resolved.getChecksum() != V40_CHECKSUM) {
                throw new FlywayException("V40 is not the migration that landed (checksum " + resolved.getChecksum()
                        + ", expected " + V40_CHECKSUM + "); landed migrations must not change");
            }
            this.resolved = resolved;
        }

        @Override
        public MigrationVersion getVersion() {
            return resolved.getVersion();
        }

        @Override
        public String getDescription() {
            return resolved.getDescription();
        }

        @Override
        public String getScript() {
            return resolved.getScript();
        }

        @Override
        public Integer getChecksum() {
            return resolved.getChecksum();
        }

        @Override
        public MigrationType getType() {
            return resolved.getType();
        }

        @Override
        public String getPhysicalLocation() {
            return resolved.getPhysicalLocation();
        }

        @Override
        public boolean checksumMatches(Integer checksum) {
            return resolved.checksumMatches(checksum);
        }

        @Override
        public boolean checksumMatchesWithoutBeingIdentical(Integer checksum) {
            return resolved.checksumMatchesWithoutBeingIdentical(checksum);
        }

        @Override
        public org.flywaydb.core.api.MigrationState getState(MigrationInfoContext context) {
            return resolved.getState(context);
        }

        @Override
        public MigrationExecutor getExecutor() {
            String sql = v40WithoutRoleSection(resolved.getScript());
            return new MigrationExecutor() {
                @Override
                public List<Results> execute(org.flywaydb.core.api.executor.Context context) throws SQLException {
                    try (Statement st = context.getConnection().createStatement()) {
                        st.execute(sql);
                    }
                    return List.of();
                }

                @Override
                public boolean canExecuteInTransaction() {
                    return true;
                }

                @Override
                public boolean shouldExecute() {
                    return true;
                }
            };
        }
    }
}
