package org.visutility.orchestrator.bench;

import com.zaxxer.hikari.HikariDataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.visutility.orchestrator.store.Database;
import org.visutility.orchestrator.store.DatabaseConnector;
import org.visutility.orchestrator.store.Migrations;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A throw-away database beside the orchestrator's own on the same server, so that a benchmark
 * never touches real data: created (and migrated) fresh, dropped on close unless kept.
 * Needs the CREATEDB privilege (the embedded server's user has it).
 */
final class ScratchDatabase implements AutoCloseable {
    private static final Pattern URL = Pattern.compile("(jdbc:postgresql://[^/]+/)([^?]+)(\\?.*)?");

    private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,40}");

    private final Database server;
    private final String name;
    private final String url;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final boolean keep;

    private ScratchDatabase(Database server, String name, String url, HikariDataSource dataSource, boolean keep) {
        this.server = server;
        this.name = name;
        this.url = url;
        this.dataSource = dataSource;
        this.keep = keep;
        this.jdbi = Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
    }

    /**
     * A scratch name beside the server's database: its name (when a plain identifier) plus the
     * suffix, so two orchestrator databases on one server get scratch databases of their own.
     */
    static String nameBeside(String jdbcUrl, String suffix) {
        Matcher m = URL.matcher(jdbcUrl);
        String db = m.matches() ? m.group(2).toLowerCase(java.util.Locale.ROOT) : "";
        return (PLAIN_IDENTIFIER.matcher(db).matches() ? db : "orchestrator") + suffix;
    }

    /** {@code name} is a constant of the caller or made by {@link #nameBeside} (an identifier, never input). */
    static ScratchDatabase create(Database server, String name, int poolSize, boolean keep) {
        server.jdbi().useHandle(h -> {
            h.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            h.execute("CREATE DATABASE " + name);
        });
        Matcher m = URL.matcher(server.jdbcUrl());
        if (!m.matches()) throw new IllegalStateException("cannot derive a database URL from " + DatabaseConnector.describe(server.jdbcUrl()));
        String url = m.group(1) + name + (m.group(3) == null ? "" : m.group(3));
        HikariDataSource ds = DatabaseConnector.pool(url, server.username(), server.password(), poolSize);
        new Migrations(ds).migrate();
        return new ScratchDatabase(server, name, url, ds, keep);
    }

    Jdbi jdbi() {
        return jdbi;
    }

    /** Its connection pool (for code that takes a DataSource, such as Spring Batch's repository). */
    javax.sql.DataSource dataSource() {
        return dataSource;
    }

    /** Its JDBC URL (the server's, with this database). */
    String url() {
        return url;
    }

    String name() {
        return name;
    }

    @Override
    public void close() {
        dataSource.close();
        if (!keep) server.jdbi().useHandle(h -> h.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
    }
}
