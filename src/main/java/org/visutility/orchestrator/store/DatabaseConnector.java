package org.visutility.orchestrator.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visutility.orchestrator.config.OrchestratorConfig;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

/** Opens the configured database: an existing PostgreSQL at ORCHESTRATOR_DB_URL, or the embedded one. */
public final class DatabaseConnector {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseConnector.class);
    /** The database the embedded server keeps the orchestrator's tables in. */
    public static final String EMBEDDED_DATABASE = "orchestrator";
    private static final long CONNECT_TIMEOUT_MS = 10_000;

    /** The least time a node's session may sit idle in a transaction before the server ends it. */
    public static final Duration MIN_IDLE_TRANSACTION_TIMEOUT = Duration.ofSeconds(30);

    private DatabaseConnector() {
    }

    public static Database open(OrchestratorConfig config) {
        if (config.dbUrl().isPresent()) {
            String url = config.dbUrl().get();
            HikariDataSource ds = pool(url, config.dbUser().orElse(null), config.dbPassword().orElse(null), config.dbPoolSize(),
                    idleTransactionTimeout(config));
            return new Database(ds, Optional.empty(), describe(url));
        }
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(config.home().resolve("postgres"), 0,
                config.embeddedSharedBuffersMb());
        try {
            createDatabaseIfMissing(server.jdbcUrl("postgres"), server.superuser(), EMBEDDED_DATABASE);
            String url = server.jdbcUrl(EMBEDDED_DATABASE);
            HikariDataSource ds = pool(url, server.superuser(), null, config.dbPoolSize(), idleTransactionTimeout(config));
            try {
                // The embedded server is the orchestrator's own, so its superuser is also the administrator
                // who creates the database's roles (custom SQL conditions need theirs).
                Jdbi.create(ds).useHandle(h -> RoleSetup.run(h, config.policySqlPassword()));
            } catch (RuntimeException e) {
                ds.close();
                throw e;
            }
            return new Database(ds, Optional.of(server), "embedded PostgreSQL " + describe(url) + " (data in " + server.dataDirectory() + ")");
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /**
     * How long the database lets a session of this node sit idle inside a transaction before it
     * ends the session: a node silent for rescue_after counts as gone, so a frozen node (a long GC
     * pause, SIGSTOP, a suspended VM) must not keep holding row locks the cluster waits on, such as
     * Quartz's trigger lock. Never below {@link #MIN_IDLE_TRANSACTION_TIMEOUT}: the service's own
     * transactions are never idle for long (no transaction spans a trainer or an HTTP call).
     */
    public static Duration idleTransactionTimeout(OrchestratorConfig config) {
        return config.rescueAfter().compareTo(MIN_IDLE_TRANSACTION_TIMEOUT) > 0 ? config.rescueAfter() : MIN_IDLE_TRANSACTION_TIMEOUT;
    }

    /** A pool on the given database; fails fast with the host and the reason when it cannot connect. */
    public static HikariDataSource pool(String url, String user, String password, int size) {
        return pool(url, user, password, size, null);
    }

    /** A pool whose sessions the server ends when idle in a transaction for longer than {@code idleTransactionTimeout}. */
    public static HikariDataSource pool(String url, String user, String password, int size, Duration idleTransactionTimeout) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        hc.setUsername(user);
        hc.setPassword(password);
        hc.setMaximumPoolSize(size);
        hc.setMinimumIdle(Math.min(2, size));
        hc.setPoolName("orchestrator");
        hc.setConnectionTimeout(CONNECT_TIMEOUT_MS);
        hc.setInitializationFailTimeout(1); // one attempt (bounded by connectTimeout), then a clear error
        hc.addDataSourceProperty("connectTimeout", "10");
        hc.addDataSourceProperty("ApplicationName", "visutility-orchestrator");
        hc.addDataSourceProperty("reWriteBatchedInserts", "true");
        if (idleTransactionTimeout != null) {
            hc.addDataSourceProperty("options", "-c idle_in_transaction_session_timeout=" + idleTransactionTimeout.toMillis());
        }
        try {
            return new HikariDataSource(hc);
        } catch (HikariPool.PoolInitializationException e) {
            throw new DatabaseUnavailableException("cannot connect to the database at " + describe(url) + ": " + rootMessage(e), e);
        }
    }

    static void createDatabaseIfMissing(String adminUrl, String user, String database) {
        try (Connection c = DriverManager.getConnection(adminUrl, user, null)) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                ps.setString(1, database);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) return;
                }
            }
            try (Statement st = c.createStatement()) {
                // identifier from a constant, not from input
                st.execute("CREATE DATABASE " + database);
                LOG.info("Created database {}", database);
            }
        } catch (SQLException e) {
            throw new DatabaseUnavailableException("cannot create database " + database + " at " + describe(adminUrl) + ": " + e.getMessage(), e);
        }
    }

    /** host:port/database of a JDBC URL, without parameters (they may carry secrets). */
    public static String describe(String url) {
        String s = url.startsWith("jdbc:postgresql://") ? url.substring("jdbc:postgresql://".length()) : url;
        int q = s.indexOf('?');
        return q < 0 ? s : s.substring(0, q);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        if (root instanceof java.net.UnknownHostException) return "unknown host " + root.getMessage();
        String m = root.getMessage();
        return m == null ? root.getClass().getSimpleName() : m.strip().split("\n")[0];
    }
}
