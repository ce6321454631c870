package org.visutility.orchestrator.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedPostgresServerTest {

    @Test
    void keepsItsDataAcrossARestartAndRefusesASecondOwner(@TempDir Path home) throws Exception {
        Path data = home.resolve("postgres");
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data, 0)) {
            try (Connection c = DriverManager.getConnection(server.jdbcUrl("postgres"), server.superuser(), null);
                 Statement st = c.createStatement()) {
                st.execute("CREATE TABLE kept (v text)");
                st.execute("INSERT INTO kept VALUES ('still here')");
            }
            assertThatThrownBy(() -> EmbeddedPostgresServer.start(data, 0))
                    .isInstanceOf(DatabaseUnavailableException.class)
                    .hasMessageContaining("in use by another orchestrator process");
        }
        try (EmbeddedPostgresServer again = EmbeddedPostgresServer.start(data, 0);
             Connection c = DriverManager.getConnection(again.jdbcUrl("postgres"), again.superuser(), null);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT v FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("still here");
        }
    }

    @Test
    void runsWithTheSharedBuffersItWasGiven(@TempDir Path home) throws Exception {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(home.resolve("postgres"), 0, 192);
             Connection c = DriverManager.getConnection(server.jdbcUrl("postgres"), server.superuser(), null);
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SHOW shared_buffers")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("192MB");
        }
    }
}
