package org.visutility.orchestrator.policy;

import org.junit.jupiter.api.Test;
import org.visutility.orchestrator.config.ConfigException;
import org.visutility.orchestrator.config.ConfigLoader;
import org.visutility.orchestrator.config.OrchestratorConfig;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicySettingsTest {

    @Test
    void theWebhookIsOffByDefaultAndTakesAnHttpUrl() {
        assertThat(ConfigLoader.load(null, Map.of()).policyWebhookUrl()).isEmpty();
        OrchestratorConfig c = ConfigLoader.load(null, Map.of("ORCHESTRATOR_POLICY_WEBHOOK_URL", "https://hooks.example/policies"));
        assertThat(c.policyWebhookUrl()).contains(URI.create("https://hooks.example/policies"));
    }

    @Test
    void aWebhookThatIsNotAnHttpUrlStopsTheStartNamingTheSetting() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("ORCHESTRATOR_POLICY_WEBHOOK_URL", "ftp://hooks.example/x")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid setting ORCHESTRATOR_POLICY_WEBHOOK_URL: 'ftp://hooks.example/x' is not an http or https URL");
    }
}
