package org.visutility.orchestrator.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

    @Test
    void defaultsApplyWhenNothingIsSet() {
        OrchestratorConfig c = ConfigLoader.load(null, Map.of());
        assertThat(c.embeddedDatabase()).isTrue();
        assertThat(c.httpPort()).isEqualTo(8080);
        assertThat(c.policyInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.rescueAfter()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.home()).isEqualTo(Path.of("var").toAbsolutePath());
        assertThat(c.ingestTokens()).isEmpty();
        assertThat(c.trialFolderRetention()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void theEmbeddedServersSharedBuffersAreAQuarterOfTheMemoryUnlessSet() {
        OrchestratorConfig byDefault = ConfigLoader.load(null, Map.of());
        long memory = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        assertThat(byDefault.embeddedSharedBuffersMb()).isEqualTo(EmbeddedSharedBuffers.defaultMb(memory));
        assertThat(ConfigLoader.load(null, Map.of("ORCHESTRATOR_EMBEDDED_SHARED_BUFFERS_MB", "512")).embeddedSharedBuffersMb())
                .isEqualTo(512);
    }

    @Test
    void theFileOverridesDefaultsAndTheEnvironmentOverridesTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("orchestrator.yaml");
        Files.writeString(file, """
                http_port: 9000
                policy_interval: 30s
                db_url: jdbc:postgresql://db.example:5432/models
                ingest_tokens: [aaaaaaaaaaaaaaaa1, bbbbbbbbbbbbbbbb2]
                """);
        OrchestratorConfig c = ConfigLoader.load(file, Map.of("ORCHESTRATOR_HTTP_PORT", "9100"));
        assertThat(c.httpPort()).isEqualTo(9100);
        assertThat(c.policyInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.dbUrl()).contains("jdbc:postgresql://db.example:5432/models");
        assertThat(c.embeddedDatabase()).isFalse();
        assertThat(c.ingestTokens()).containsExactly("aaaaaaaaaaaaaaaa1", "bbbbbbbbbbbbbbbb2");
    }

    @ParameterizedTest(name = "{0}={1} is rejected naming {0}")
    @CsvSource(delimiter = '|', value = {
            "ORCHESTRATOR_DB_URL|postgres://localhost/db|not a PostgreSQL JDBC URL",
            "ORCHESTRATOR_DB_URL|jdbc:postgresql://localhost:99999/db|out of range",
            "ORCHESTRATOR_HTTP_PORT|70000|out of range 0-65535",
            "ORCHESTRATOR_HTTP_PORT|eighty|not a whole number",
            "ORCHESTRATOR_POLICY_INTERVAL|5 minutes|not a duration",
            "ORCHESTRATOR_HEARTBEAT_INTERVAL|10ms|at least 100ms",
            "ORCHESTRATOR_RESCUE_AFTER|-1m|not a duration",
            "ORCHESTRATOR_DB_POOL_SIZE|0|out of range 1-200",
            "ORCHESTRATOR_EMBEDDED_SHARED_BUFFERS_MB|64|out of range 128-262144",
            "ORCHESTRATOR_INGEST_TOKENS|short|16-512 characters",
            "ORCHESTRATOR_OPENLINEAGE_URL|ftp://lineage.example|not an http or https URL",
            "ORCHESTRATOR_OPENLINEAGE_URL|marquez:5000|not an http or https URL",
            "ORCHESTRATOR_OPENLINEAGE_TIMEOUT|10ms|at least 100ms",
            "ORCHESTRATOR_OPENLINEAGE_API_KEY|short|16-512 characters",
            "ORCHESTRATOR_TRIAL_FOLDER_RETENTION|30m|at least 1h",
            "ORCHESTRATOR_TRIAL_FOLDER_RETENTION|4000d|at most 3650d"})
    void eachInvalidSettingIsRejectedByName(String env, String value, String rule) {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(env, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid setting " + env + ":")
                .hasMessageContaining(rule)
                .hasMessageNotContaining("\n");
    }

    @Test
    void anUnknownKeyInTheFileIsRejectedByName(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "http_prot: 9000\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http_prot")
                .hasMessageContaining("unknown key");
    }

    @Test
    void anUnreadableFileIsRejectedByName(@TempDir Path dir) {
        Path missing = dir.resolve("missing.yaml");
        assertThatThrownBy(() -> ConfigLoader.load(missing, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--config " + missing)
                .hasMessageContaining("cannot be read");
    }

    @Test
    void malformedYamlIsRejectedWithTheFileName(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("broken.yaml");
        Files.writeString(file, "http_port: [9000\n");
        assertThatThrownBy(() -> ConfigLoader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void durationsReadAndPrintInTheSameNotation() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(Durations.parse("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(Durations.format(Duration.ofMinutes(5))).isEqualTo("5m");
        assertThat(Durations.format(Duration.ofMillis(7500))).isEqualTo("7500ms");
    }
}
