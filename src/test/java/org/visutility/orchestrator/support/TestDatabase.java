package org.visutility.orchestrator.support;

import com.zaxxer.hikari.HikariDataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.visutility.orchestrator.config.ConfigLoader;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.store.DatabaseConnector;

import java.util.HashMap;
import java.util.Map;

/** A test class's own database: its URL, a small pool and Jdbi on it, and a node configuration pointing at it. */
public final class TestDatabase implements AutoCloseable {
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
        env.putAll(extra);
        return env;
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
