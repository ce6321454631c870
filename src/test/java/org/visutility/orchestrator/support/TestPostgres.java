package org.visutility.orchestrator.support;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.visutility.orchestrator.store.EmbeddedPostgresServer;
import org.visutility.orchestrator.store.Migrations;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one PostgreSQL server of a test run: a Testcontainers container when a Docker engine
 * answers, the embedded server otherwise. Each test class gets its own database, cloned from a
 * template that the real Flyway migrations built once.
 */
public final class TestPostgres {
    private static final String TEMPLATE = "orchestrator_template";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static TestPostgres instance;

    private final String baseUrl;
    private final String user;
    private final String password;
    private final String kind;

    private TestPostgres(String baseUrl, String user, String password, String kind) {
        this.baseUrl = baseUrl;
        this.user = user;
        this.password = password;
        this.kind = kind;
    }

    public static synchronized TestPostgres get() {
        if (instance == null) {
            instance = startServer();
            instance.createTemplate();
        }
        return instance;
    }

    private static TestPostgres startServer() {
        if (!"embedded".equals(System.getenv("ORCHESTRATOR_TEST_DB")) && dockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
            String url = container.getJdbcUrl();
            String base = url.substring(0, url.lastIndexOf('/') + 1);
            return new TestPostgres(base, container.getUsername(), container.getPassword(), "testcontainers");
        }
        Path data = Path.of("target", "test-postgres", "data").toAbsolutePath();
        deleteTree(data);
        EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data, 0);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        return new TestPostgres("jdbc:postgresql://localhost:" + server.port() + "/", server.superuser(), null, "embedded");
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable t) {
            return false;
        }
    }

    private void createTemplate() {
        execute("postgres", "CREATE DATABASE " + TEMPLATE);
        try (var ds = org.visutility.orchestrator.store.DatabaseConnector.pool(baseUrl + TEMPLATE, user, password, 2)) {
            new Migrations(ds).migrate();
        }
    }

    /** A new database with the whole schema migrated. */
    public TestDatabase newMigratedDatabase(String hint) {
        String name = databaseName(hint);
        execute("postgres", "CREATE DATABASE " + name + " TEMPLATE " + TEMPLATE);
        return new TestDatabase(baseUrl + name, user, password);
    }

    /** A new database with nothing in it. */
    public TestDatabase newEmptyDatabase(String hint) {
        String name = databaseName(hint);
        execute("postgres", "CREATE DATABASE " + name);
        return new TestDatabase(baseUrl + name, user, password);
    }

    /** A new empty database owned by the given role, reached as that role (tests of least privilege). */
    public TestDatabase newEmptyDatabaseOwnedBy(String hint, String owner, String ownerPassword) {
        String name = databaseName(hint);
        execute("postgres", "CREATE DATABASE " + name + " OWNER " + owner);
        return new TestDatabase(baseUrl + name, owner, ownerPassword);
    }

    /** Runs one statement as the server's superuser (creating roles and databases for a test). */
    public void executeAsSuperuser(String database, String sql) {
        execute(database, sql);
    }

    public String superuser() {
        return user;
    }

    public String superuserPassword() {
        return password;
    }

    /** The JDBC URL of a database on this server. */
    public String url(String database) {
        return baseUrl + database;
    }

    public String kind() {
        return kind;
    }

    private static String databaseName(String hint) {
        String clean = hint.toLowerCase().replaceAll("[^a-z0-9]", "_");
        if (clean.length() > 40) clean = clean.substring(clean.length() - 40);
        return "t" + SEQUENCE.incrementAndGet() + "_" + clean;
    }

    private void execute(String database, String sql) {
        try (Connection c = DriverManager.getConnection(baseUrl + database, user, password);
             Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new IllegalStateException("cannot clean " + root + ": " + e.getMessage(), e);
        }
    }
}
