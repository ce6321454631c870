package org.visutility.orchestrator.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OpenLineageSettingsTest {
    @Test
    void theExportIsOffByDefault() {
        OpenLineageSettings s = ConfigLoader.load(null, Map.of()).openLineage();
        assertThat(s.enabled()).isFalse();
        assertThat(s.namespace()).isEqualTo("visutility-orchestrator");
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.apiKey()).isEmpty();
    }

    @Test
    void aUrlOrAFileTurnsItOn() {
        OpenLineageSettings s = ConfigLoader.load(null, Map.of(
                "ORCHESTRATOR_OPENLINEAGE_URL", "https://marquez.example:5000",
                "ORCHESTRATOR_OPENLINEAGE_FILE", "var/lineage.jsonl",
                "ORCHESTRATOR_OPENLINEAGE_NAMESPACE", "prod",
                "ORCHESTRATOR_OPENLINEAGE_TIMEOUT", "750ms",
                "ORCHESTRATOR_OPENLINEAGE_API_KEY", "0123456789abcdef0123")).openLineage();
        assertThat(s.enabled()).isTrue();
        assertThat(s.url()).contains(URI.create("https://marquez.example:5000"));
        assertThat(s.file()).contains(Path.of("var/lineage.jsonl").toAbsolutePath());
        assertThat(s.namespace()).isEqualTo("prod");
        assertThat(s.timeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(s.apiKey()).contains("0123456789abcdef0123");
        assertThat(ConfigLoader.load(null, Map.of("ORCHESTRATOR_OPENLINEAGE_FILE", "/tmp/x.jsonl")).openLineage().enabled()).isTrue();
    }

    @ParameterizedTest(name = "{0}={1} is rejected naming {0}")
    @CsvSource(delimiter = '|', value = {
            "ORCHESTRATOR_OPENLINEAGE_URL|ftp://lineage.example|not an http or https URL",
            "ORCHESTRATOR_OPENLINEAGE_URL|marquez:5000|not an http or https URL",
            "ORCHESTRATOR_OPENLINEAGE_TIMEOUT|5 s|not a duration",
            "ORCHESTRATOR_OPENLINEAGE_TIMEOUT|10ms|at least 100ms",
            "ORCHESTRATOR_OPENLINEAGE_API_KEY|short|16-512 characters"})
    void eachInvalidSettingIsRejectedByName(String env, String value, String rule) {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(env, value)))
                .isInstanceOf(ConfigException.class).hasMessageContaining(env).hasMessageContaining(rule);
    }
}
