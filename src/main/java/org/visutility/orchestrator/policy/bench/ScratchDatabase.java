package org.visutility.orchestrator.policy.bench;

import com.zaxxer.hikari.HikariDataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
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

    private final Database server;
    private final String name;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final boolean keep;

    private ScratchDatabase(Database server, String name, HikariDataSource dataSource, boolean keep) {
        this.server = server;
        this.name = name;
        this.dataSource = dataSource;
        this.keep = keep;
        this.jdbi = Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin()).installPlugin(new PostgresPlugin());
    }

    /** {@code name} is a constant of the caller (an identifier, never input). */
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
        return new ScratchDatabase(server, name, ds, keep);
    }

    Jdbi jdbi() {
        return jdbi;
    }

    String name() {
        return name;
    }

    String url() {
        return dataSource.getJdbcUrl();
    }

    @Override
    public void close() {
        dataSource.close();
        if (!keep) server.jdbi().useHandle(h -> h.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
    }
}
