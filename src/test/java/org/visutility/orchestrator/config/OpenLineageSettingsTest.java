package org.visutility.orchestrator.config;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenLineage settings; their invalid values are among ConfigLoaderTest's rejections. */
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
}
