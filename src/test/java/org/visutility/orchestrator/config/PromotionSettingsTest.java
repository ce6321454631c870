package org.visutility.orchestrator.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The promotion hand-off's settings: off by default, a URL and/or a command turn it on, bad values name the setting. */
class PromotionSettingsTest {
    @TempDir
    Path dir;

    @Test
    void theHandOffIsOffByDefault() {
        PromotionSettings s = ConfigLoader.load(null, Map.of()).promotion();
        assertThat(s.enabled()).isFalse();
        assertThat(s.timeout()).isEqualTo(Durations.parse(PromotionDefaults.TIMEOUT)).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.webhookSecret()).isEmpty();
        assertThat(s.command()).isEmpty();
    }

    @Test
    void aWebhookWithItsSecretAndACommandSplitOnSpacesTurnItOn() {
        PromotionSettings s = ConfigLoader.load(null, Map.of(
                "ORCHESTRATOR_PROMOTION_WEBHOOK_URL", "https://deploy.example/hooks/promotion",
                "ORCHESTRATOR_PROMOTION_WEBHOOK_SECRET", "0123456789abcdef-secret",
                "ORCHESTRATOR_PROMOTION_COMMAND", "/usr/local/bin/deploy --cluster  eu",
                "ORCHESTRATOR_PROMOTION_TIMEOUT", "30s")).promotion();
        assertThat(s.enabled()).isTrue();
        assertThat(s.webhookUrl()).contains(URI.create("https://deploy.example/hooks/promotion"));
        assertThat(s.webhookSecret()).contains("0123456789abcdef-secret");
        assertThat(s.command()).containsExactly("/usr/local/bin/deploy", "--cluster", "eu");
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aCommandIsAYamlListOrAJsonArrayAndARelativeProgramIsResolvedAtStart() throws Exception {
        Path yaml = Files.writeString(dir.resolve("orchestrator.yaml"), "promotion_command: [bin/deploy.sh, --note, two words]\n");
        assertThat(ConfigLoader.load(yaml, Map.of()).promotion().command())
                .containsExactly(Path.of("bin/deploy.sh").toAbsolutePath().normalize().toString(), "--note", "two words");
        assertThat(ConfigLoader.load(null, Map.of("ORCHESTRATOR_PROMOTION_COMMAND", "[\"deploy\", \"a b\"]")).promotion().command())
                .containsExactly("deploy", "a b");
    }

    @Test
    void badValuesNameTheSettingAndTheRule() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("ORCHESTRATOR_PROMOTION_WEBHOOK_URL", "ftp://deploy.example")))
                .hasMessageContaining("ORCHESTRATOR_PROMOTION_WEBHOOK_URL").hasMessageContaining("http or https");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("ORCHESTRATOR_PROMOTION_WEBHOOK_URL", "https://deploy.example",
                "ORCHESTRATOR_PROMOTION_WEBHOOK_SECRET", "short")))
                .hasMessageContaining("ORCHESTRATOR_PROMOTION_WEBHOOK_SECRET").hasMessageContaining("16-512");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("ORCHESTRATOR_PROMOTION_WEBHOOK_SECRET", "0123456789abcdef-secret")))
                .hasMessageContaining("ORCHESTRATOR_PROMOTION_WEBHOOK_SECRET").hasMessageContaining("ORCHESTRATOR_PROMOTION_WEBHOOK_URL is not");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("ORCHESTRATOR_PROMOTION_COMMAND", "[1, 2]")))
                .hasMessageContaining("ORCHESTRATOR_PROMOTION_COMMAND").hasMessageContaining("non-empty string");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("ORCHESTRATOR_PROMOTION_COMMAND", "[\"deploy\"")))
                .hasMessageContaining("ORCHESTRATOR_PROMOTION_COMMAND").hasMessageContaining("JSON array");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("ORCHESTRATOR_PROMOTION_TIMEOUT", "10 parsecs")))
                .hasMessageContaining("ORCHESTRATOR_PROMOTION_TIMEOUT");
    }
}
