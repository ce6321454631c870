package org.visutility.orchestrator.support;

import com.zaxxer.hikari.HikariDataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.visutility.orchestrator.config.ConfigLoader;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.store.DatabaseConnector;
import org.visutility.orchestrator.store.DatabaseRoleNames;
import org.visutility.orchestrator.store.RoleSetup;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A test class's own database: its URL, a small pool and Jdbi on it, and a node configuration pointing at it. */
public final class TestDatabase implements AutoCloseable {
    /** The password tests give the policy-condition login (the embedded test server trusts local logins anyway). */
    public static final String POLICY_SQL_PASSWORD = "policy-sql-test-password";
    private final String url;
    private final String user;
    private final String password;
    private HikariDataSource dataSource;
    private Jdbi jdbi;

    TestDatabase(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public synchronized HikariDataSource dataSource() {
        if (dataSource == null) dataSource = DatabaseConnector.pool(url, user, password, 5);
        return dataSource;
    }

    public synchronized Jdbi jdbi() {
        if (jdbi == null) {
            jdbi = Jdbi.create(dataSource()).installPlugin(new PostgresPlugin());
        }
        return jdbi;
    }

    /** The environment a node uses to reach this database, plus any extra settings. */
    public Map<String, String> environment(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("ORCHESTRATOR_DB_URL", url);
        if (user != null) env.put("ORCHESTRATOR_DB_USER", user);
        if (password != null) env.put("ORCHESTRATOR_DB_PASSWORD", password);
        env.put("ORCHESTRATOR_HTTP_PORT", "0");
        env.put("ORCHESTRATOR_DB_POOL_SIZE", "5");
        env.put("ORCHESTRATOR_POLICY_SQL_PASSWORD", POLICY_SQL_PASSWORD);
        env.putAll(extra);
        return env;
    }

    /** The database's name, the last part of its URL. */
    public String name() {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    /**
     * Runs the admin step ({@code roles create}) for this database as the server's superuser, which
     * also grants the roles their privileges when the schema is migrated.
     */
    public DatabaseRoleNames createRoles() {
        TestPostgres server = TestPostgres.get();
        try (HikariDataSource admin = DatabaseConnector.pool(url, server.superuser(), server.superuserPassword(), 1)) {
            return Jdbi.create(admin).withHandle(h -> RoleSetup.run(h, Optional.of(POLICY_SQL_PASSWORD))).names();
        }
    }

    public OrchestratorConfig config() {
        return config(Map.of());
    }

    public OrchestratorConfig config(Map<String, String> extra) {
        return ConfigLoader.load(null, environment(extra));
    }

    @Override
    public synchronized void close() {
        if (dataSource != null) dataSource.close();
    }
}
