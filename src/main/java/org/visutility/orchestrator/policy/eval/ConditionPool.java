package org.visutility.orchestrator.policy.eval;

import org.visutility.orchestrator.store.SqlFiles;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.visutility.orchestrator.config.OrchestratorConfig;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.DatabaseErrors;
import org.visutility.orchestrator.store.DatabaseRoleNames;
import org.visutility.orchestrator.store.RoleGrants;

import java.util.Optional;

/**
 * Where custom SQL conditions run: a small pool of their own, logged in as the database's
 * policy-condition role {@code <database>_policy_sql}, never as the node's own user (which owns the
 * schema). That role may only SELECT the metric tables, belongs to no other role, and its settings
 * (made by {@code roles create}) keep it read-only and bound its statements, so a condition's text
 * cannot write, reach other tables, signal the node's backends or run programs.
 *
 * <p>The pool opens on first use: an administrator creates the role, maybe after the node started.
 * Until then every custom SQL condition is refused with a message that names the admin command.
 */
public final class ConditionPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConditionPool.class);
    /** Conditions run one after another in a pass; a second connection serves an apply meanwhile. */
    static final int SIZE = 2;
    private static final long CONNECT_TIMEOUT_MS = 10_000;
    private static final String ROLE_EXISTS = SqlFiles.load(ConditionPool.class, "ConditionRoleExists");

    /** Custom SQL conditions cannot run: the role is missing or the node cannot log in as it. */
    public static final class UnavailableException extends RuntimeException {
        UnavailableException(String message) {
            super(message);
        }
    }

    private final Jdbi owner;
    private final String url;
    private final String password;
    private HikariDataSource pool;
    private Jdbi jdbi;

    /**
     * @param owner    the node's own database, to find the role's name and grant it its privileges
     * @param url      the JDBC URL of that database
     * @param password the role's password ({@code policy_sql_password}), if it has one
     */
    public ConditionPool(Jdbi owner, String url, Optional<String> password) {
        this.owner = owner;
        this.url = url;
        this.password = password.orElse(null);
    }

    public static ConditionPool of(Database database, OrchestratorConfig config) {
        return new ConditionPool(database.jdbi(), database.jdbcUrl(), config.policySqlPassword());
    }

    /** Jdbi on the pool, opening it on first use. */
    synchronized Jdbi jdbi() {
        if (jdbi != null) return jdbi;
        String role = owner.withHandle(DatabaseRoleNames::of).conditions();
        if (!owner.withHandle(h -> h.createQuery(ROLE_EXISTS).bind("name", role).mapTo(Boolean.class).one())) {
            throw new UnavailableException("custom SQL conditions run as the role " + role + ", which does not exist;"
                    + " an administrator creates it with `orchestrator roles create`");
        }
        try {
            owner.useHandle(RoleGrants::grant); // it may have been created after the last migrate
        } catch (JdbiException e) {
            LOG.warn("Could not grant {} its privileges (the schema's owner does at its next migrate): {}", role, DatabaseErrors.describe(e));
        }
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        hc.setUsername(role);
        hc.setPassword(password);
        hc.setMaximumPoolSize(SIZE);
        hc.setMinimumIdle(0);
        hc.setPoolName("policy-conditions");
        hc.setConnectionTimeout(CONNECT_TIMEOUT_MS);
        hc.setInitializationFailTimeout(1); // one attempt, then a clear error; the next pass tries again
        hc.addDataSourceProperty("ApplicationName", "visutility-orchestrator-policy-sql");
        try {
            pool = new HikariDataSource(hc);
        } catch (HikariPool.PoolInitializationException e) {
            throw new UnavailableException("cannot log in as " + role + " (the role custom SQL conditions run as;"
                    + " its password is ORCHESTRATOR_POLICY_SQL_PASSWORD): " + DatabaseErrors.describe(e));
        }
        jdbi = Jdbi.create(pool).installPlugin(new PostgresPlugin());
        return jdbi;
    }

    /** Closes the handle's connection instead of returning it to the pool (it holds something a predicate left). */
    void discard(Handle handle) {
        HikariDataSource p;
        synchronized (this) {
            p = pool;
        }
        if (p != null) p.evictConnection(handle.getConnection());
    }

    @Override
    public synchronized void close() {
        if (pool != null) pool.close();
        pool = null;
        jdbi = null;
    }
}
