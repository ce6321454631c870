package org.visutility.orchestrator.app;

import org.visutility.orchestrator.core.ExitCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.visutility.orchestrator.support.PostgresExtension;
import org.visutility.orchestrator.support.TestDatabase;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(PostgresExtension.class)
class CommandLineTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream originalErr;
    private PrintStream originalOut;

    @BeforeEach
    void capture() {
        originalErr = System.err;
        originalOut = System.out;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(originalErr);
        System.setOut(originalOut);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aPortOutOfRangeExitsWithStatus2AndOneLineNamingTheSetting() {
        int status = Main.run(Map.of("ORCHESTRATOR_HTTP_PORT", "70000"), "serve");
        assertThat(status).isEqualTo(ExitCode.USAGE);
        assertThat(stderr()).contains("invalid setting ORCHESTRATOR_HTTP_PORT: 70000 is out of range");
        assertThat(stderr().strip().lines()).hasSize(1);
    }

    @Test
    void aMalformedDatabaseUrlExitsWithStatus2() {
        int status = Main.run(Map.of("ORCHESTRATOR_DB_URL", "mysql://localhost/db"), "migrate");
        assertThat(status).isEqualTo(ExitCode.USAGE);
        assertThat(stderr()).contains("invalid setting ORCHESTRATOR_DB_URL");
    }

    @Test
    void anUnreadableConfigFileExitsWithStatus2() {
        int status = Main.run(Map.of(), "serve", "--config", "/no/such/orchestrator.yaml");
        assertThat(status).isEqualTo(ExitCode.USAGE);
        assertThat(stderr()).contains("/no/such/orchestrator.yaml").contains("cannot be read");
    }

    @Test
    void anUnknownCommandIsBadUsage() {
        assertThat(Main.run(Map.of(), "frobnicate")).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void anUnreachableDatabaseFailsWithTheHostAndTheReasonNotAStackTrace() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        int status = Main.run(Map.of("ORCHESTRATOR_DB_URL", "jdbc:postgresql://127.0.0.1:" + closedPort + "/orchestrator"), "migrate");
        assertThat(status).isEqualTo(ExitCode.FAILED);
        assertThat(stderr()).contains("cannot connect to the database at 127.0.0.1:" + closedPort + "/orchestrator")
                .containsIgnoringCase("refused")
                .doesNotContain("\tat ");
    }

    @Test
    void migrateReportsTheSchemaVersionAsJson(TestDatabase db) {
        int status = Main.run(db.environment(Map.of()), "migrate", "--json");
        assertThat(status).isEqualTo(ExitCode.OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"schema_version\":").contains("\"migrations_applied\":0");
    }
}
