package org.visutility.orchestrator.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ReadmeSettingsTest {

    @Test
    void theReadmeDocumentsEverySettingWithItsKeyAndEnvironmentName() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        for (Setting s : Setting.values()) {
            assertThat(readme).as("README row for " + s).contains("`" + s.key() + "` | `" + s.env() + "`");
        }
    }

    @Test
    void theExampleConfigurationLoads() {
        OrchestratorConfig c = ConfigLoader.load(Path.of("ops/orchestrator.example.yaml"), java.util.Map.of());
        assertThat(c.dbUrl()).contains("jdbc:postgresql://localhost:5432/orchestrator");
    }
}
