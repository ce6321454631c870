package org.visutility.orchestrator.store;

import com.zaxxer.hikari.HikariDataSource;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;

import javax.sql.DataSource;
import java.util.Optional;

/** An open database: the pooled DataSource, Jdbi on top of it, and the embedded server if we run one. */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final Optional<EmbeddedPostgresServer> embedded;
    private final String description;

    Database(HikariDataSource dataSource, Optional<EmbeddedPostgresServer> embedded, String description) {
        this.dataSource = dataSource;
        this.embedded = embedded;
        this.description = description;
        this.jdbi = Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public String jdbcUrl() {
        return dataSource.getJdbcUrl();
    }

    public String username() {
        return dataSource.getUsername();
    }

    public String password() {
        return dataSource.getPassword();
    }

    /** Where the database is, for logs and /health: host, port and name, never the password. */
    public String description() {
        return description;
    }

    public boolean isEmbedded() {
        return embedded.isPresent();
    }

    @Override
    public void close() {
        dataSource.close();
        embedded.ifPresent(EmbeddedPostgresServer::close);
    }
}
