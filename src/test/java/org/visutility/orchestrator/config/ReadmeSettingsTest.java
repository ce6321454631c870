package org.visutility.orchestrator.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ReadmeSettingsTest {

    @Test
    void theReadmeDocumentsEverySettingWithItsKeyAndEnvironmentName() throws Exception {
        // a capability's settings table lives in its docs/<capability>.md until it is folded into the README
        StringBuilder docs = new StringBuilder(Files.readString(Path.of("README.md")));
        try (var pages = Files.list(Path.of("docs"))) {
            for (Path page : pages.filter(p -> p.toString().endsWith(".md")).toList()) docs.append(Files.readString(page));
        }
        for (Setting s : Setting.values()) {
            assertThat(docs).as("README or docs row for " + s).contains("`" + s.key() + "` | `" + s.env() + "`");
        }
    }

    @Test
    void theExampleConfigurationLoads() {
        OrchestratorConfig c = ConfigLoader.load(Path.of("ops/orchestrator.example.yaml"), java.util.Map.of());
        assertThat(c.dbUrl()).contains("jdbc:postgresql://localhost:5432/orchestrator");
    }
}
